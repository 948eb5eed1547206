/**
 * One load-test request: exactly one HTTP attempt through a provider (SDK retries are off, and load mode
 * adds none), turned into the plain outcome the load journal records. Shared by the main-thread
 * transport and the worker threads.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { ProviderError } from '../errors.ts';
import type { Clock } from '../internal/clock.ts';
import type { ReleaseGate } from '../load/release-gate.ts';
import type { Provider } from '../providers/provider.ts';
import type { PromptInput, RateInfo } from '../types.ts';
import { bodyEndTimes } from './load-http-fetch.ts';

export interface LoadOutcome {
  /** When the request was handed to the client (epoch ms). */
  readonly sentAt: number;
  /** SDK request building before the HTTP client got the request (client work). @unit milliseconds */
  readonly sdkPrepMs?: number;
  /** How long the built request waited for its due time before it went to the HTTP client. @unit milliseconds */
  readonly heldMs?: number;
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
 * A request built before its due time (`releaseAt`, open loop) waits at `gate` until then: the send
 * time is the due time plus the gate's lateness, whatever the SDK's building cost.
 */
export function stampingFetch(clock: Clock, inner: typeof fetch = fetch, gate?: ReleaseGate): typeof fetch {
  return async (input, init) => {
    const stamp = requestStamp.getStore();
    if (!stamp || stamp.fetchAt !== undefined) return inner(input, init);
    const readyAt = clock.now();
    stamp.readyAt = readyAt;
    const hold = gate !== undefined && stamp.releaseAt !== undefined && stamp.releaseAt > readyAt;
    if (hold) await gate.until(stamp.releaseAt!);
    stamp.fetchAt = hold ? clock.now() : readyAt;
    const response = await inner(input, init);
    stamp.response = response;
    return response;
  };
}

interface RequestStamp {
  /** Open loop: the due time; the request is not handed to the HTTP client before it. */
  readonly releaseAt?: number;
  /** When the SDK had built the request and called fetch. */
  readyAt?: number;
  fetchAt?: number;
  /** The response, to read when its body ended at the transport (bodyEndTimes). */
  response?: Response;
}

const requestStamp = new AsyncLocalStorage<RequestStamp>();

/** @param releaseAt open loop: the request's due time (it may be built earlier, never sent earlier) */
export async function executeLoadRequest(
  provider: Provider,
  input: PromptInput,
  signal: AbortSignal,
  clock: Clock,
  releaseAt?: number,
): Promise<LoadOutcome> {
  const startedAt = clock.now();
  const stamp: RequestStamp = releaseAt === undefined ? {} : { releaseAt };
  try {
    const c = await requestStamp.run(stamp, () => provider.complete(input, signal));
    // From the SDK call to the hand-over: building, then any wait for the due time.
    const prep = stamp.fetchAt === undefined ? 0 : Math.max(0, stamp.fetchAt - c.timing.startedAt);
    const held = stamp.fetchAt === undefined || stamp.readyAt === undefined ? 0 : stamp.fetchAt - stamp.readyAt;
    // e2e ends when the last byte arrived (or at the logical end the adapter marked, if earlier), but
    // never before the adapter saw the last output: a body that arrives in one piece with its end
    // is read by the SDK after the transport saw the end, and e2e < TTFT would make no sense.
    const bodyEnd = stamp.response ? bodyEndTimes.get(stamp.response) : undefined;
    const lastOutput = c.timing.lastTokenMs ?? c.timing.firstTokenMs ?? -Infinity;
    const endMs = bodyEnd === undefined ? c.timing.endMs : Math.min(c.timing.endMs, Math.max(bodyEnd - c.timing.startedAt, lastOutput));
    return {
      sentAt: c.timing.startedAt + prep,
      sdkPrepMs: prep - held,
      ...(held > 0 ? { heldMs: held } : {}),
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
      // Never sent: the notional send time is when it was due (or called, if later).
      sentAt: stamp.fetchAt ?? Math.max(startedAt, releaseAt ?? -Infinity),
      outcome: e?.category ?? 'connection',
      ...(e?.status === undefined ? {} : { status: e.status }),
      ...(e?.errorCode === undefined ? {} : { errorCode: e.errorCode }),
      e2eMs: clock.now() - (stamp.fetchAt ?? Math.max(startedAt, releaseAt ?? -Infinity)),
      ...(e?.requestId ? { requestId: e.requestId } : {}),
      ...(e?.retryAfterMs === undefined ? {} : { retryAfterMs: e.retryAfterMs }),
      ...(e?.rate?.utilizationPct === undefined ? {} : { utilizationPct: e.rate.utilizationPct }),
      ...(e?.rate ? { rate: e.rate } : {}),
    };
  }
}
