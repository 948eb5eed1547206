/**
 * Builders for the scheduler's own failure descriptions and attempt events, so every settled item
 * carries a JSON-safe error that says why, in the journal's vocabulary.
 */
import { ProviderError, serializeError } from '../errors.ts';
import type { AttemptEvent, Completion, ErrorCategory, FailureReason, SerializedError } from '../types.ts';
import type { Entry } from './lane.ts';

/** A failure the scheduler decided on (no provider error behind it, or a run-level reason). */
export function schedulerError(code: string, message: string, category?: ErrorCategory, retryable = false): SerializedError {
  return { name: 'SchedulerError', code, message, ...(category === undefined ? {} : { category }), retryable };
}

export const tooLargeError = (cost: number): SerializedError =>
  schedulerError(
    'E_TOO_LARGE',
    `admission cost ${cost} exceeds the token budget of every deployment of the target; the server can never admit it`,
    'bad_request',
  );

/** The error to report for an item: its own last error when it had one, else `fallback`. */
export function lastErrorOr(entry: Entry, fallback: SerializedError): SerializedError {
  return entry.lastError === undefined ? fallback : serializeError(entry.lastError);
}

/** Why items settle when the run stops: a deadline or an abort (Ctrl-C, a failed hook or cursor). */
export function stopError(reason: 'aborted' | 'deadline', deadlineMs: number): SerializedError {
  return reason === 'deadline'
    ? schedulerError('E_DEADLINE', `the run deadline of ${deadlineMs} ms passed`, undefined, true)
    : schedulerError('E_ABORTED', 'the run was aborted', 'aborted', true);
}

/** What an item reports when its lane gives up for `reason`. */
export function lastErrorFor(reason: FailureReason, entry: Entry, laneError: SerializedError): SerializedError {
  // 'unavailable' names the deployment's problem; a deadline keeps the item's own last error if any
  return reason === 'deadline' ? lastErrorOr(entry, laneError) : laneError;
}

/** One attempt as the hooks see it. */
export function attemptEvent(
  entry: Entry,
  deploymentId: string,
  waitedBeforeMs: number,
  startedAt: number,
  durationMs: number,
  result: { readonly completion: Completion } | { readonly error: unknown },
): AttemptEvent {
  const base = { item: entry.item, deploymentId, attempt: entry.sent, waitedBeforeMs, startedAt, durationMs };
  if ('completion' in result) return { ...base, completion: result.completion };
  const error = result.error;
  const serialized = serializeError(error);
  const rate = error instanceof ProviderError ? error.rate : undefined;
  return { ...base, error: rate === undefined ? serialized : { ...serialized, rate } };
}

/**
 * Why a deployment that never answered is given up: its name, how many connection attempts failed, and
 * the OS error (ECONNREFUSED, ENOTFOUND, a TLS failure) from the last one. The URL is added where the
 * deployment's configuration is known (the summary's "could not be completed" line).
 */
export function unreachableError(deploymentId: string, last: ProviderError, attempts: number): ProviderError {
  const message = `deployment ${deploymentId} unreachable after ${attempts} connection attempt${attempts === 1 ? '' : 's'}: ${last.message}`;
  return new ProviderError({
    category: 'connection',
    retryable: false,
    message,
    ...(last.errorCode === undefined ? {} : { code: last.errorCode }),
    cause: last,
  });
}
