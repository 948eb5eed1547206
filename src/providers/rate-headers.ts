/**
 * Reads rate-limit headers into RateInfo, folding in every spelling Azure and OpenAI-compatible gateways
 * have been seen to send (azure-v1-behaviour.md §4). Pure: the caller supplies `now` for HTTP dates.
 */
import type { RateInfo } from '../types.ts';

/** Header bags accepted: a fetch `Headers` or a plain record (names in any case). */
export type HeaderBag = Headers | Readonly<Record<string, string | undefined>>;

/** The 2023 hyphenated `x-rate-limit-*` spelling is read when the current one is absent. */
const PREFIXES = ['x-ratelimit-', 'x-rate-limit-'] as const;

/**
 * Parses rate-limit and retry headers. Unknown, negative (`-1`) or malformed values are omitted rather
 * than guessed, because a wrong budget is worse than no budget for the scheduler's mirrors.
 * @param now epoch ms used to turn an HTTP-date `retry-after` into a delay
 */
export function parseRateHeaders(headers: HeaderBag, now: number = Date.now()): RateInfo {
  const get = headerReader(headers);
  const count = (name: string) => firstDefined(PREFIXES.map((prefix) => parseCount(get(prefix + name))));
  const reset = (name: string) => firstDefined(PREFIXES.map((prefix) => parseResetMs(get(prefix + name))));
  const info: Record<string, number | boolean> = {};
  assign(info, 'limitTokens', count('limit-tokens'));
  assign(info, 'limitRequests', count('limit-requests'));
  assign(info, 'remainingTokens', count('remaining-tokens'));
  assign(info, 'remainingRequests', count('remaining-requests'));
  assign(info, 'resetTokensMs', reset('reset-tokens'));
  assign(info, 'resetRequestsMs', reset('reset-requests'));
  assign(info, 'retryAfterMs', parseRetryAfterMs(get, now));
  assign(info, 'shouldRetry', parseBoolean(get('x-should-retry')));
  assign(info, 'utilizationPct', parseNonNegative(get('azure-openai-deployment-utilization')?.replace(/%\s*$/, '')));
  const format = resetFormat(
    firstDefined(['reset-tokens', 'reset-requests'].flatMap((name) => PREFIXES.map((prefix) => get(prefix + name)))),
  );
  return (format === undefined ? info : { ...info, resetFormat: format }) as RateInfo;
}

/**
 * The server's wait hint, most precise first: `retry-after-ms` (float ms), `x-ms-retry-after-ms`,
 * then `retry-after` (float seconds or an HTTP date relative to `now`).
 */
function parseRetryAfterMs(get: (name: string) => string | undefined, now: number): number | undefined {
  const ms = parseNonNegative(get('retry-after-ms')) ?? parseNonNegative(get('x-ms-retry-after-ms'));
  if (ms !== undefined) return ms;
  const raw = get('retry-after')?.trim();
  if (!raw) return undefined;
  const seconds = parseNonNegative(raw);
  if (seconds !== undefined) return seconds * 1000;
  // Only an HTTP date is left; refuse anything else Date.parse would half-accept (like "soon 5").
  if (!/[a-z]{3},?\s/i.test(raw)) return undefined;
  const at = Date.parse(raw);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** Plain seconds (`10`, `0.5`: Azure) or a unit-suffixed duration (`6m0s`, `1s`, `20ms`: OpenAI style). */
function resetFormat(value: string | undefined): RateInfo['resetFormat'] {
  const raw = value?.trim();
  if (!raw || parseResetMs(raw) === undefined) return undefined;
  return /[a-zµ]$/i.test(raw) ? 'duration' : 'seconds';
}

const DURATION_PART = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/gy;
const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 1e-3, µs: 1e-3, ns: 1e-6 };

/**
 * A reset value: plain seconds (`10`, `0.5`) as Azure sends, or a Go-style duration
 * (`6m0s`, `1s`, `100ms`, `1h2m3.5s`) as OpenAI and some gateways send.
 * @returns milliseconds, or undefined when unparseable or negative
 */
export function parseResetMs(value: string | undefined): number | undefined {
  const raw = value?.trim();
  if (!raw) return undefined;
  const seconds = parseNonNegative(raw);
  if (seconds !== undefined) return seconds * 1000;
  if (raw.startsWith('-')) return undefined;
  let total = 0;
  DURATION_PART.lastIndex = 0;
  let consumed = 0;
  for (let match = DURATION_PART.exec(raw); match; match = DURATION_PART.exec(raw)) {
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN);
    consumed = DURATION_PART.lastIndex;
  }
  return consumed === raw.length && Number.isFinite(total) ? total : undefined;
}

function headerReader(headers: HeaderBag): (name: string) => string | undefined {
  if (typeof (headers as Headers).get === 'function') {
    const bag = headers as Headers;
    return (name) => bag.get(name) ?? undefined;
  }
  const lower = new Map<string, string>();
  for (const [name, value] of Object.entries(headers as Record<string, string | undefined>)) {
    if (value !== undefined) lower.set(name.toLowerCase(), value);
  }
  return (name) => lower.get(name);
}

/** A budget count: a finite number ≥ 0; `-1` means "not reported" on the Responses API. */
function parseCount(value: string | undefined): number | undefined {
  return parseNonNegative(value);
}

function parseNonNegative(value: string | undefined): number | undefined {
  const raw = value?.trim();
  if (!raw || !/^[+]?\d*\.?\d+(?:e[+-]?\d+)?$/i.test(raw)) return undefined;
  const parsed = Number(raw);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined;
}

function parseBoolean(value: string | undefined): boolean | undefined {
  const raw = value?.trim().toLowerCase();
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  return undefined;
}

function firstDefined<T>(values: readonly (T | undefined)[]): T | undefined {
  return values.find((value) => value !== undefined);
}

function assign(target: Record<string, number | boolean>, key: string, value: number | boolean | undefined): void {
  if (value !== undefined) target[key] = value;
}
