/**
 * One load-test request: exactly one HTTP attempt through a provider (SDK retries are off, and load mode
 * adds none), turned into the plain outcome the load journal records. Shared by the main-thread
 * transport and the worker threads.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { ProviderError } from '../errors.ts';
import type { Clock } from '../internal/clock.ts';
import type { Provider } from '../providers/provider.ts';
import type { PromptInput, RateInfo } from '../types.ts';
import { bodyEndTimes } from './load-http-fetch.ts';

export interface LoadOutcome {
  /** When the request was handed to the client (epoch ms). */
  readonly sentAt: number;
  /** SDK request building before the HTTP client got the request (client work). @unit milliseconds */
  readonly sdkPrepMs?: number;
  readonly outcome: string;
  readonly status?: number;
  readonly errorCode?: string;
  readonly ttftMs?: number;
  readonly e2eMs: number;
  readonly promptTokens?: number;
  readonly outputTokens?: number;
  readonly requestId?: string;
  readonly utilizationPct?: number;
  readonly retryAfterMs?: number;
  readonly rate?: RateInfo;
}

/**
 * A fetch for the providers of a load run that stamps, per request, the moment the SDK hands the request
 * to the HTTP client. Latencies are measured from there: the SDK's request building before it (≈ 1 ms of
 * CPU, more on a busy machine) is client work, reported apart as `sdkPrepMs`, not the server's latency.
 */
export function stampingFetch(clock: Clock, inner: typeof fetch = fetch): typeof fetch {
  return (input, init) => {
    const stamp = requestStamp.getStore();
    if (!stamp || stamp.fetchAt !== undefined) return inner(input, init);
    stamp.fetchAt = clock.now();
    return inner(input, init).then((response) => {
      stamp.response = response;
      return response;
    });
  };
}

interface RequestStamp {
  fetchAt?: number;
  /** The response, to read when its body ended at the transport (bodyEndTimes). */
  response?: Response;
}

const requestStamp = new AsyncLocalStorage<RequestStamp>();

export async function executeLoadRequest(provider: Provider, input: PromptInput, signal: AbortSignal, clock: Clock): Promise<LoadOutcome> {
  const sentAt = clock.now();
  const stamp: RequestStamp = {};
  try {
    const c = await requestStamp.run(stamp, () => provider.complete(input, signal));
    const prep = stamp.fetchAt === undefined ? 0 : Math.max(0, stamp.fetchAt - c.timing.startedAt);
    // e2e ends when the last byte arrived (or at the logical end the adapter marked, if earlier), but
    // never before the adapter saw the last output: a body that arrives in one piece with its end
    // is read by the SDK after the transport saw the end, and e2e < TTFT would make no sense.
    const bodyEnd = stamp.response ? bodyEndTimes.get(stamp.response) : undefined;
    const lastOutput = c.timing.lastTokenMs ?? c.timing.firstTokenMs ?? -Infinity;
    const endMs = bodyEnd === undefined ? c.timing.endMs : Math.min(c.timing.endMs, Math.max(bodyEnd - c.timing.startedAt, lastOutput));
    return {
      sentAt: c.timing.startedAt + prep,
      sdkPrepMs: prep,
      outcome: 'ok',
      status: c.status,
      ...(c.timing.firstTokenMs === undefined ? {} : { ttftMs: c.timing.firstTokenMs - prep }),
      e2eMs: endMs - prep,
      promptTokens: c.usage.promptTokens,
      outputTokens: c.usage.completionTokens,
      ...(c.requestId ? { requestId: c.requestId } : {}),
      ...(c.rate.utilizationPct === undefined ? {} : { utilizationPct: c.rate.utilizationPct }),
      rate: c.rate,
    };
  } catch (error) {
    const e = error instanceof ProviderError ? error : undefined;
    return {
      sentAt,
      outcome: e?.category ?? 'connection',
      ...(e?.status === undefined ? {} : { status: e.status }),
      ...(e?.errorCode === undefined ? {} : { errorCode: e.errorCode }),
      e2eMs: clock.now() - sentAt,
      ...(e?.requestId ? { requestId: e.requestId } : {}),
      ...(e?.retryAfterMs === undefined ? {} : { retryAfterMs: e.retryAfterMs }),
      ...(e?.rate?.utilizationPct === undefined ? {} : { utilizationPct: e.rate.utilizationPct }),
      ...(e?.rate ? { rate: e.rate } : {}),
    };
  }
}
