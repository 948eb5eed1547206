/**
 * One load-test request: exactly one HTTP attempt through a provider (SDK retries are off, and load mode
 * adds none), turned into the plain outcome the load journal records. Shared by the main-thread
 * transport and the worker threads.
 */
import { ProviderError } from '../errors.ts';
import type { Clock } from '../internal/clock.ts';
import type { Provider } from '../providers/provider.ts';
import type { PromptInput, RateInfo } from '../types.ts';

export interface LoadOutcome {
  /** When the request was handed to the client (epoch ms). */
  readonly sentAt: number;
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

export async function executeLoadRequest(provider: Provider, input: PromptInput, signal: AbortSignal, clock: Clock): Promise<LoadOutcome> {
  const sentAt = clock.now();
  try {
    const c = await provider.complete(input, signal);
    return {
      sentAt: c.timing.startedAt,
      outcome: 'ok',
      status: c.status,
      ...(c.timing.firstTokenMs === undefined ? {} : { ttftMs: c.timing.firstTokenMs }),
      e2eMs: c.timing.endMs,
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
