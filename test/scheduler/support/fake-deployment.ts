/**
 * A fake deployment for scheduler tests (an injected seam, no HTTP): sliding-window admission like the
 * Azure standard SKU (tokens over a token window, requests over a request window), latency on the
 * virtual clock, rate headers, and scripted failures. It records everything it receives.
 */
import { ProviderError } from '../../../src/errors.ts';
import type { VirtualClock } from '../../../src/internal/clock.ts';
import type { Completion, DeploymentHandle, ErrorCategory, RateInfo, WorkItem } from '../../../src/types.ts';

export interface FakeDeploymentOptions {
  readonly id: string;
  readonly clock: VirtualClock;
  /** Server token budget per token window (undefined: unlimited). */
  readonly tpm?: number;
  /** Server RPM; the request window admits ceil(rpm/6). */
  readonly rpm?: number;
  readonly tokenWindowMs?: number;
  readonly requestWindowMs?: number;
  /** What the handle advertises (default: the server's own tpm/rpm). */
  readonly advertised?: { readonly tpm?: number; readonly rpm?: number };
  readonly latencyMs?: number;
  readonly maxConcurrency?: number;
  /** Send x-ratelimit-* information (default true). */
  readonly headers?: boolean;
  /** The server charges this × the client's estimate (`item.cost`) against its token window. */
  readonly chargeFactor?: number;
  /** Tokens per window used by an unseen tenant. */
  readonly foreignTokens?: number;
  /** Return an error for this request instead of admitting it (evaluated before admission). */
  readonly script?: (ctx: { readonly item: WorkItem; readonly n: number; readonly now: number }) => ProviderError | undefined;
  /** Offer DeploymentHandle.checkListed: it answers `named` after `afterMs` (without it, the handle has none). */
  readonly listCheck?: { readonly afterMs: number; readonly named: boolean };
}

export interface Received {
  readonly time: number;
  readonly key: string;
  readonly outcome: 'ok' | ErrorCategory;
}

export function providerError(
  category: ErrorCategory,
  extra: { retryAfterMs?: number; rate?: RateInfo; retryable?: boolean; status?: number } = {},
): ProviderError {
  const retryable = extra.retryable ?? ['quota', 'capacity', 'server', 'timeout', 'connection'].includes(category);
  return new ProviderError({ category, message: `fake ${category}`, retryable, ...extra });
}

export class FakeDeployment implements DeploymentHandle {
  readonly id: string;
  readonly limits: { readonly tpm?: number; readonly rpm?: number };
  readonly maxConcurrency: number;
  readonly received: Received[] = [];
  inFlight = 0;
  peakInFlight = 0;
  /** When each model-list check was received. */
  readonly listChecks: number[] = [];
  readonly checkListed?: (signal: AbortSignal) => Promise<boolean>;
  readonly #o: FakeDeploymentOptions;
  readonly #log: { time: number; cost: number }[] = [];

  constructor(options: FakeDeploymentOptions) {
    this.#o = options;
    this.id = options.id;
    this.limits = options.advertised ?? {
      ...(options.tpm === undefined ? {} : { tpm: options.tpm }),
      ...(options.rpm === undefined ? {} : { rpm: options.rpm }),
    };
    this.maxConcurrency = options.maxConcurrency ?? 256;
    const check = options.listCheck;
    if (check !== undefined)
      this.checkListed = () => {
        this.listChecks.push(options.clock.now());
        return new Promise((resolve) => options.clock.setTimer(() => resolve(check.named), check.afterMs));
      };
  }

  get admitted(): number {
    return this.received.filter((r) => r.outcome === 'ok').length;
  }

  countOf(outcome: Received['outcome']): number {
    return this.received.filter((r) => r.outcome === outcome).length;
  }

  execute(item: WorkItem, _signal: AbortSignal): Promise<Completion> {
    const clock = this.#o.clock;
    const now = clock.now();
    const scripted = this.#o.script?.({ item, n: this.received.length, now });
    if (scripted !== undefined) return this.#reply(now, item, scripted);
    const tokenWindow = this.#o.tokenWindowMs ?? 60_000;
    const requestWindow = this.#o.requestWindowMs ?? 10_000;
    const horizon = now - Math.max(tokenWindow, requestWindow);
    while (this.#log.length > 0 && (this.#log[0] as { time: number }).time <= horizon) this.#log.shift();
    const tokensUsed = this.#sum(now, tokenWindow) + (this.#o.foreignTokens ?? 0);
    const requestsUsed = this.#count(now, requestWindow);
    const tokenLimit = this.#o.tpm ?? Number.POSITIVE_INFINITY;
    const requestLimit = this.#o.rpm === undefined ? Number.POSITIVE_INFINITY : Math.ceil(this.#o.rpm / 6);
    const charge = item.cost * (this.#o.chargeFactor ?? 1);
    let waitMs = 0;
    if (tokensUsed + charge > tokenLimit)
      waitMs = Math.max(waitMs, this.#tokenWait(now, tokenWindow, tokenLimit - (this.#o.foreignTokens ?? 0), charge));
    if (requestsUsed + 1 > requestLimit) waitMs = Math.max(waitMs, this.#requestWait(now, requestWindow, requestLimit));
    if (waitMs > 0) {
      const rate = this.#rate(now, tokenLimit, requestLimit, tokensUsed, requestsUsed);
      return this.#reply(now, item, providerError('quota', { retryAfterMs: Math.ceil(waitMs), status: 429, ...(rate ? { rate } : {}) }));
    }
    this.#log.push({ time: now, cost: charge });
    const rate = this.#rate(now, tokenLimit, requestLimit, tokensUsed + charge, requestsUsed + 1);
    return this.#reply(now, item, undefined, rate);
  }

  #reply(now: number, item: WorkItem, error: ProviderError | undefined, rate?: RateInfo): Promise<Completion> {
    this.received.push({ time: now, key: item.key, outcome: error?.category ?? 'ok' });
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    const latency = error === undefined ? (this.#o.latencyMs ?? 1_000) : 5;
    return new Promise((resolve, reject) => {
      this.#o.clock.setTimer(() => {
        this.inFlight--;
        if (error !== undefined) reject(error);
        else resolve(completion(now, latency, rate ?? {}));
      }, latency);
    });
  }

  #rate(now: number, tokenLimit: number, requestLimit: number, tokensUsed: number, requestsUsed: number): RateInfo | undefined {
    if (this.#o.headers === false) return undefined;
    return {
      ...(Number.isFinite(tokenLimit) ? { limitTokens: tokenLimit, remainingTokens: Math.max(0, tokenLimit - tokensUsed) } : {}),
      ...(Number.isFinite(requestLimit)
        ? { limitRequests: requestLimit, remainingRequests: Math.max(0, requestLimit - requestsUsed) }
        : {}),
      ...(this.#log.length > 0
        ? { resetTokensMs: Math.max(0, (this.#log[0]?.time ?? now) + (this.#o.tokenWindowMs ?? 60_000) - now) }
        : {}),
    };
  }

  #sum(now: number, windowMs: number): number {
    let sum = 0;
    for (const e of this.#log) if (e.time > now - windowMs) sum += e.cost;
    return sum;
  }

  #count(now: number, windowMs: number): number {
    let n = 0;
    for (const e of this.#log) if (e.time > now - windowMs) n++;
    return n;
  }

  #tokenWait(now: number, windowMs: number, limit: number, cost: number): number {
    const inWindow = this.#log.filter((e) => e.time > now - windowMs);
    let sum = inWindow.reduce((s, e) => s + e.cost, 0);
    for (const e of inWindow) {
      sum -= e.cost;
      if (sum + cost <= limit) return e.time + windowMs - now;
    }
    return windowMs;
  }

  #requestWait(now: number, windowMs: number, limit: number): number {
    const inWindow = this.#log.filter((e) => e.time > now - windowMs);
    const idx = inWindow.length + 1 - limit - 1;
    return (inWindow[Math.max(0, idx)]?.time ?? now) + windowMs - now;
  }
}

export function completion(startedAt: number, latencyMs: number, rate: RateInfo, completionTokens = 10): Completion {
  return {
    text: 'ok',
    finishReason: 'stop',
    usage: { promptTokens: 10, completionTokens, reasoningTokens: 0, cachedTokens: 0 },
    timing: { startedAt, endMs: latencyMs },
    rate,
    status: 200,
    requestId: null,
    region: null,
    model: null,
  };
}
