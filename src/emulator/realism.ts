/**
 * The `realism` profile: the imprecision of a real endpoint that the exact emulator leaves out, so a
 * benchmark is not a best case. With `realism: 'exact'` (the default) none of this runs and the server's
 * view of the quota equals the client's. With `'realistic'` (or explicit settings) the server
 *  - charges its own estimate: the exact estimate × (1 + bias + uniform noise in ±noise), drawn once per
 *    request body, so a retry of the same body is charged the same;
 *  - reports `x-ratelimit-remaining-*` as they were one or two decisions earlier (lag);
 *  - varies header spellings per response as azure-v1-behaviour.md §4 / §13.4 list (no `limit-*`; on a
 *    429 the 2023 `x-rate-limit-reset-tokens` + `policy-id` without `retry-after*`);
 *  - sends `retry-after-ms` rounded up to whole seconds, or not at all (only `retry-after`);
 *  - answers a capacity 429 (high-demand text, with a hint) now and then, before admission.
 * Every draw comes from seeded generators (the emulator seed + request fingerprint), so runs replay.
 */
import type { Random } from '../internal/rng.ts';

export interface RealismSettings {
  /** Mean relative error of the server's estimate (0.03 = charges 3 % more than the exact estimate). */
  estimateBias: number;
  /** Half-width of the uniform relative noise on the estimate (0.1 = ±10 %). */
  estimateNoise: number;
  /** Largest lag of `remaining-*`, in admission decisions; each response draws 0..max uniformly. */
  remainingLagMax: number;
  /** Probability that a response omits `x-ratelimit-limit-*` (2024 style). */
  omitLimitHeaders: number;
  /** Probability that a quota 429 uses the 2023 spelling (`x-rate-limit-reset-tokens`, `policy-id`, no `retry-after*`). */
  legacy429: number;
  /** Probability that a quota 429's `retry-after-ms` is rounded up to whole seconds. */
  retryAfterMsRounded: number;
  /** Probability that a quota 429 has no `retry-after-ms` (only `retry-after` in seconds). */
  retryAfterMsAbsent: number;
  /** Probability of a capacity 429 (not counted against quota) per request. */
  capacity429: number;
}

export type Realism = 'exact' | 'realistic' | Partial<RealismSettings>;

/** The `'realistic'` preset. */
export const realisticDefaults: Readonly<RealismSettings> = {
  estimateBias: 0.03,
  estimateNoise: 0.1,
  remainingLagMax: 2,
  omitLimitHeaders: 0.15,
  legacy429: 0.1,
  retryAfterMsRounded: 0.25,
  retryAfterMsAbsent: 0.2,
  capacity429: 0.01,
};

/** undefined = exact. Explicit settings start from zero (only what is named is imprecise). */
export function resolveRealism(realism: Realism | undefined): RealismSettings | undefined {
  if (realism === undefined || realism === 'exact') return undefined;
  if (realism === 'realistic') return { ...realisticDefaults };
  const zero: RealismSettings = {
    estimateBias: 0,
    estimateNoise: 0,
    remainingLagMax: 0,
    omitLimitHeaders: 0,
    legacy429: 0,
    retryAfterMsRounded: 0,
    retryAfterMsAbsent: 0,
    capacity429: 0,
  };
  return { ...zero, ...realism };
}

const probabilityKeys = ['omitLimitHeaders', 'legacy429', 'retryAfterMsRounded', 'retryAfterMsAbsent', 'capacity429'] as const;

/** Validation issues for `deployments[i].realism` (one line each, naming the field). */
export function validateRealism(issues: string[], path: string, v: unknown): void {
  if (v === undefined || v === 'exact' || v === 'realistic') return;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    issues.push(
      `${path}: expected 'exact', 'realistic' or an object of settings, got ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`,
    );
    return;
  }
  for (const [k, x] of Object.entries(v)) {
    const ok = typeof x === 'number' && Number.isFinite(x);
    if (!(k in realisticDefaults)) issues.push(`${path}.${k}: unknown setting (known: ${Object.keys(realisticDefaults).join(', ')})`);
    else if ((probabilityKeys as readonly string[]).includes(k) && !(ok && x >= 0 && x <= 1))
      issues.push(`${path}.${k}: expected a probability in [0, 1], got ${String(x)}`);
    else if (k === 'estimateBias' && !(ok && x > -1 && x < 10)) issues.push(`${path}.${k}: expected a number > -1, got ${String(x)}`);
    else if (k === 'estimateNoise' && !(ok && x >= 0 && x < 1)) issues.push(`${path}.${k}: expected a number in [0, 1), got ${String(x)}`);
    else if (k === 'remainingLagMax' && !(ok && Number.isInteger(x) && x >= 0 && x <= 16))
      issues.push(`${path}.${k}: expected an integer in [0, 16], got ${String(x)}`);
  }
}

/** The server's charge for a request whose exact estimate is `exact`; `random` is seeded by the request body. */
export function realisticCharge(exact: number, s: RealismSettings, random: Random): number {
  const factor = 1 + s.estimateBias + (2 * random() - 1) * s.estimateNoise;
  return Math.max(1, Math.round(exact * factor));
}

/**
 * `remaining-*` as seen one or a few decisions late: a ring of the last values per deployment. Lag 0 is
 * the current value; a lag beyond what is recorded reports the oldest recorded one.
 */
export class RemainingLag {
  #history: Array<{ tokens: number; requests: number }> = [];

  record(tokens: number, requests: number, maxLag: number): void {
    this.#history.push({ tokens, requests });
    if (this.#history.length > maxLag + 1) this.#history.shift();
  }

  /** The values `lag` decisions before the last recorded one. */
  at(lag: number): { tokens: number; requests: number } | undefined {
    const n = this.#history.length;
    return n === 0 ? undefined : this.#history[Math.max(0, n - 1 - lag)];
  }

  clear(): void {
    this.#history = [];
  }
}

/**
 * Applies lag and spelling variation to the Azure x-ratelimit-* headers of one decision (mutates `h`).
 * `rejected` describes a quota 429 (its exact wait and limiter), undefined when admitted.
 */
export function varyAzureHeaders(
  h: Record<string, string>,
  s: RealismSettings,
  lag: RemainingLag,
  rejected: { waitMs: number; reason: 'tokens' | 'requests' } | undefined,
  random: Random,
): void {
  const tokens = Number(h['x-ratelimit-remaining-tokens']);
  const requests = Number(h['x-ratelimit-remaining-requests']);
  if (Number.isFinite(tokens) && Number.isFinite(requests) && tokens >= 0) {
    lag.record(tokens, requests, s.remainingLagMax);
    const stale = lag.at(Math.floor(random() * (s.remainingLagMax + 1)));
    if (stale) {
      h['x-ratelimit-remaining-tokens'] = String(stale.tokens);
      h['x-ratelimit-remaining-requests'] = String(stale.requests);
    }
  }
  if (random() < s.omitLimitHeaders) {
    delete h['x-ratelimit-limit-tokens'];
    delete h['x-ratelimit-limit-requests'];
  }
  if (rejected === undefined || h['retry-after-ms'] === undefined) return;
  const waitMs = rejected.waitMs;
  const draw = random();
  if (draw < s.legacy429) {
    h['x-rate-limit-reset-tokens'] = String(Math.max(0, Math.ceil(waitMs / 1000)));
    h['policy-id'] = rejected.reason === 'tokens' ? 'DeploymentRatelimit-Token' : 'DeploymentRatelimit-Call';
    delete h['retry-after-ms'];
    delete h['retry-after'];
  } else if (draw < s.legacy429 + s.retryAfterMsAbsent) {
    delete h['retry-after-ms'];
  } else if (draw < s.legacy429 + s.retryAfterMsAbsent + s.retryAfterMsRounded) {
    h['retry-after-ms'] = String(Math.max(1, Math.ceil(waitMs / 1000)) * 1000);
  }
}
