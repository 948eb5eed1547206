/**
 * Pure retry policy: what a failure means for its item, how long to wait, and the decorrelated-v2
 * backoff (Polly / cockatiel formula) for failures without a hint. `random` is always injected.
 */
import { ProviderError } from '../errors.ts';
import type { ErrorCategory, RateInfo } from '../types.ts';
import { hintClampMs } from './defaults.ts';

/**
 * - `quota`: a rate limit that provably frees; pauses the deployment, never uses an attempt.
 * - `overload`: capacity 429, 5xx, timeout, connection: uses an attempt, backs off, cuts concurrency.
 * - `config`: 401/403/404: the deployment is unusable; the item goes to a peer or the lane fails.
 * - `fatal`: the request itself is wrong (400, content filter): recorded once, never retried.
 */
export type FailureClass = 'quota' | 'overload' | 'config' | 'fatal';

const classByCategory: Readonly<Record<ErrorCategory, FailureClass>> = {
  quota: 'quota',
  capacity: 'overload',
  server: 'overload',
  timeout: 'overload',
  connection: 'overload',
  aborted: 'overload',
  auth: 'config',
  not_found: 'config',
  bad_request: 'fatal',
  content_filter: 'fatal',
};

/** Classifies anything `execute` rejected with; non-provider errors are bugs and so fatal. */
export function classifyFailure(error: unknown): FailureClass {
  if (!(error instanceof ProviderError)) return 'fatal';
  const cls = classByCategory[error.category] ?? 'fatal';
  // a provider that says "do not retry" wins for overload-type categories (e.g. 501)
  if (cls === 'overload' && !error.retryable) return 'fatal';
  return cls;
}

/** Whether a failure of this class uses up one of the item's attempts. Quota 429s never do. */
export function consumesAttempt(cls: FailureClass): boolean {
  return cls === 'overload';
}

/**
 * The server's wait hint: `retryAfterMs` (already `retry-after-ms` > `retry-after`), else the
 * `x-ratelimit-reset-*` values (the later of the two), else undefined. @unit milliseconds
 */
export function hintWaitMs(retryAfterMs: number | undefined, rate: RateInfo | undefined): number | undefined {
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) return retryAfterMs;
  const resets = [rate?.resetTokensMs, rate?.resetRequestsMs].filter((v): v is number => v !== undefined && Number.isFinite(v) && v > 0);
  return resets.length === 0 ? undefined : Math.max(...resets);
}

/** Clamps a wait into [50 ms, 120 s]; a longer one marks the deployment unavailable. */
export function clampWait(ms: number): { waitMs: number; unavailable: boolean } {
  if (ms > hintClampMs.max) return { waitMs: ms, unavailable: true };
  return { waitMs: Math.max(hintClampMs.min, ms), unavailable: false };
}

/** Where one decorrelated-v2 sequence stands. */
export interface BackoffState {
  readonly attempt: number;
  readonly prev: number;
}

const pFactor = 4;
const rpScalingFactor = 1 / 1.4;

/**
 * Decorrelated jitter "v2" (Polly's smoothed formula, as cockatiel): spreads retries without the
 * clumping of AWS's original formula. Returns the delay and the state for the next call. @unit milliseconds
 */
export function decorrelatedBackoff(
  state: BackoffState | undefined,
  baseMs: number,
  maxMs: number,
  random: () => number,
): { delayMs: number; state: BackoffState } {
  const attempt = state?.attempt ?? 0;
  const prev = state?.prev ?? 0;
  const t = attempt + random();
  const next = 2 ** t * Math.tanh(Math.sqrt(pFactor * t));
  const intrinsic = Number.isFinite(next) ? Math.max(0, next - prev) : Number.POSITIVE_INFINITY;
  const delayMs = Math.min(intrinsic * rpScalingFactor * baseMs, maxMs);
  return { delayMs, state: { attempt: attempt + 1, prev: next } };
}

/**
 * Wait before an overload retry of one item: the server's hint when it gave one (clamped), else the
 * next decorrelated step. @unit milliseconds
 */
export function overloadRetryDelay(
  hintMs: number | undefined,
  state: BackoffState | undefined,
  policy: { readonly baseDelayMs: number; readonly maxDelayMs: number },
  random: () => number,
): { delayMs: number; state: BackoffState | undefined } {
  if (hintMs !== undefined) return { delayMs: Math.min(clampWait(hintMs).waitMs, hintClampMs.max), state };
  const next = decorrelatedBackoff(state, policy.baseDelayMs, policy.maxDelayMs, random);
  return { delayMs: Math.max(hintClampMs.min, next.delayMs), state: next.state };
}
