/**
 * Translates anything an SDK call can throw into a ProviderError. This is the only module that looks at
 * openai's error classes, error bodies and error headers (sdk-notes.md §9.1), so the scheduler can branch on
 * `category` and `retryable` alone. Messages carry the server's short error text and never headers, keys
 * or request bodies.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, OpenAIError } from 'openai';
import { ProviderError } from '../errors.ts';
import type { ErrorCategory, RateInfo } from '../types.ts';
import { parseRateHeaders } from './rate-headers.ts';

export interface MapErrorContext {
  /** The caller's signal (not the watchdog's): when it is aborted, the failure is an `aborted`. */
  readonly signal?: AbortSignal;
  /** The provider's idle/total stream watchdog fired: the failure is a `timeout`. */
  readonly watchdogFired?: boolean;
  /** Which watchdog limit fired, for the message. */
  readonly watchdogDetail?: string;
  /** Epoch ms, for HTTP-date `retry-after` values. */
  readonly now: number;
}

/**
 * A stream that ended in a terminal failure event (`response.failed`) rather than a thrown SDK error.
 * Adapters throw it; mapError classifies it like a mid-stream `error` event.
 */
export class StreamFailureError extends Error {
  readonly code: string | undefined;
  constructor(message: string, code?: string) {
    super(message);
    this.name = 'StreamFailureError';
    this.code = code;
  }
}

/** The stream ended cleanly but before any terminal event: the answer is truncated. */
export class StreamTruncatedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StreamTruncatedError';
  }
}

const MAX_MESSAGE_CHARS = 300;
const CAPACITY_TEXT = /high demand|temporarily unable|overloaded/i;
const QUOTA_TEXT = /rate limit|ratelimit|quota|too many requests/i;
const TOKEN_FAILURE_TEXT = /Failed to get token from 'apiKey' function|Expected 'apiKey' function argument/;

/** Classifies one failure of one attempt. Never throws. */
export function mapError(error: unknown, context: MapErrorContext): ProviderError {
  if (error instanceof ProviderError) return error;
  // Who aborted decides, whatever the SDK wrapped the abort in (APIUserAbortError, a DOMException, or a
  // silently ended stream): the watchdog means a slow server, the caller means "stop, do not count".
  if (context.watchdogFired) {
    return new ProviderError({
      category: 'timeout',
      retryable: true,
      message: `timed out: ${context.watchdogDetail ?? 'watchdog limit reached'}`,
      cause: error,
    });
  }
  if (context.signal?.aborted) {
    return new ProviderError({ category: 'aborted', retryable: false, message: 'request aborted by the caller', cause: error });
  }
  if (error instanceof APIUserAbortError) {
    return new ProviderError({ category: 'aborted', retryable: false, message: 'request aborted', cause: error });
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new ProviderError({ category: 'timeout', retryable: true, message: 'request timed out before a response', cause: error });
  }
  if (error instanceof APIConnectionError) {
    // The OS error (ECONNREFUSED, ENOTFOUND, a TLS failure) sits a few causes deep: name it, it is the fix.
    const os = osError(error);
    const detail =
      os === undefined ? causeText(error) : `${os.message}${os.code !== undefined && !os.message.includes(os.code) ? ` (${os.code})` : ''}`;
    return new ProviderError({
      category: 'connection',
      retryable: true,
      message: `connection failed: ${clip(detail)}`,
      ...codeOf(os?.code),
      cause: error,
    });
  }
  if (error instanceof APIError) return fromApiError(error, context.now);
  if (error instanceof StreamFailureError) {
    return new ProviderError({
      category: 'server',
      retryable: true,
      message: `server reported a failed response: ${clip(error.message)}`,
      ...codeOf(error.code),
      cause: error,
    });
  }
  if (error instanceof StreamTruncatedError) {
    return new ProviderError({ category: 'connection', retryable: true, message: clip(error.message), cause: error });
  }
  if (error instanceof OpenAIError && TOKEN_FAILURE_TEXT.test(error.message)) {
    return new ProviderError({
      category: 'auth',
      retryable: false,
      message: `could not get an Entra token: ${clip(causeText(error))}`,
      cause: error,
    });
  }
  if (isAbortLike(error)) {
    return new ProviderError({ category: 'aborted', retryable: false, message: 'request aborted', cause: error });
  }
  if (error instanceof SyntaxError) {
    return new ProviderError({ category: 'server', retryable: true, message: `malformed response: ${clip(error.message)}`, cause: error });
  }
  // Undici's "terminated" / socket errors while reading a body arrive as plain errors.
  return new ProviderError({ category: 'connection', retryable: true, message: `request failed: ${clip(errorText(error))}`, cause: error });
}

function fromApiError(error: APIError, now: number): ProviderError {
  const status = error.status;
  const headers = error.headers;
  const rate = headers ? parseRateHeaders(headers, now) : {};
  const body = (error.error ?? {}) as Record<string, unknown>;
  const code = stringOrUndefined(error.code ?? body['code']);
  const text = clip(stringOrUndefined(body['message']) ?? error.message);
  const requestId = stringOrUndefined(error.requestID ?? headers?.get('apim-request-id'));
  const base = { status, rate, cause: error, ...codeOf(code), ...(requestId ? { requestId } : {}) };
  const build = (category: ErrorCategory, retryable: boolean, retryAfterMs?: number) =>
    new ProviderError({
      ...base,
      category,
      // The server's veto wins over our classification (openai-node obeys it the same way).
      retryable: rate.shouldRetry === false ? false : retryable,
      message: `${status ?? 'stream'} ${category}${code ? ` (${code})` : ''}: ${text}`,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });

  if (status === undefined) return build('server', true); // an SSE `error` event after the stream started
  if (status === 429) {
    const kind = rateLimitKind(code, text, rate);
    return build(kind, true, retryAfterFor(kind, rate, text));
  }
  if (status === 401 || status === 403) return build('auth', false);
  if (status === 404) return build('not_found', false);
  if (status === 408) return build('timeout', true, rate.retryAfterMs);
  if (status === 400 && code === 'content_filter') return build('content_filter', false);
  if (status >= 500) return build('server', true, rate.retryAfterMs);
  if (status === 409) return build('server', true, rate.retryAfterMs); // openai-node retries conflicts too
  return build('bad_request', false);
}

/**
 * Quota (our own budget is spent: waiting is free and certain to help) versus capacity (the service is
 * busy: waiting may not help, and it costs an attempt). Text is the strongest signal, then headers.
 */
function rateLimitKind(code: string | undefined, text: string, rate: RateInfo): 'quota' | 'capacity' {
  if (code === 'EngineOverloaded' || CAPACITY_TEXT.test(text)) return 'capacity';
  if (QUOTA_TEXT.test(text) || code === 'rate_limit_exceeded') return 'quota';
  if (rate.remainingTokens === 0 || rate.remainingRequests === 0) return 'quota';
  if ((rate.remainingTokens ?? 0) > 0 || (rate.remainingRequests ?? 0) > 0) return 'capacity';
  return 'quota';
}

/** retry-after-ms > retry-after > the message's "retry after N seconds" > (quota only) the exhausted window's reset. */
function retryAfterFor(kind: 'quota' | 'capacity', rate: RateInfo, text: string): number | undefined {
  if (rate.retryAfterMs !== undefined) return rate.retryAfterMs;
  const match = /(?:retry after|try again in)\s+(\d+(?:\.\d+)?)\s*seconds?/i.exec(text);
  if (match) return Number(match[1]) * 1000;
  if (kind !== 'quota') return undefined;
  if (rate.remainingTokens === 0 && rate.resetTokensMs !== undefined) return rate.resetTokensMs;
  if (rate.remainingRequests === 0 && rate.resetRequestsMs !== undefined) return rate.resetRequestsMs;
  const resets = [rate.resetTokensMs, rate.resetRequestsMs].filter((value): value is number => value !== undefined && value > 0);
  return resets.length > 0 ? Math.max(...resets) : undefined;
}

function isAbortLike(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

function causeText(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}

/** The innermost error of a cause chain (fetch wraps the socket error twice), with its OS code if any. */
function osError(error: Error): { message: string; code: string | undefined } | undefined {
  let current: unknown = error;
  let found: { message: string; code: string | undefined } | undefined;
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (depth > 0) found = { message: current.message, code: typeof code === 'string' ? code : found?.code };
    const inner: unknown = (current as { cause?: unknown }).cause ?? (current as { errors?: unknown[] }).errors?.[0];
    current = inner;
  }
  return found;
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${causeText(error)}` : typeof error === 'string' ? error : 'unknown error';
}

function codeOf(code: string | undefined): { code?: string } {
  return code ? { code } : {};
}

function stringOrUndefined(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_MESSAGE_CHARS ? `${oneLine.slice(0, MAX_MESSAGE_CHARS - 1)}…` : oneLine;
}
