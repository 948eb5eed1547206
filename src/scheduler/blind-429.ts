/**
 * A 429 with no hint at all (no retry-after, no x-ratelimit-* header): the server gives no quota window
 * to wait for, so it is overload (a bare endpoint's in-flight cap, a proxy's limiter), not a quota
 * window. The answer is the congestion-control one: shrink concurrency (multiplicative decrease to
 * what was in flight when the server said no), retry after a short jittered delay, count one burst of
 * such 429s as one signal, and never pause long on a guess (the delay doubles only while bursts keep
 * coming without a success, up to `maxMs`).
 */
import type { RateInfo } from '../types.ts';

export const blindTuning = {
  /** First pause after a burst. @unit milliseconds */
  baseMs: 250,
  /** Longest pause on a guess. @unit milliseconds */
  maxMs: 5_000,
  /** Multiplicative decrease of the in-flight cap per burst (gentler than TCP's 0.5: a refusal here costs one fast round trip, not a lost packet). */
  cut: 0.85,
} as const;

export interface BlindSignal {
  /** False when this 429 belongs to a burst already counted. */
  readonly newBurst: boolean;
  /** Pause the deployment until then (jittered). @unit milliseconds (clock time) */
  readonly until: number;
}

export class Blind429 {
  #step = 0;
  #burstUntil = Number.NEGATIVE_INFINITY;
  #signals = 0;

  /** Bursts counted so far (each one cut the in-flight cap once). */
  get signals(): number {
    return this.#signals;
  }

  /** A hint-less 429 at `now`. Rejections that arrive before the previous burst's pause ended are the same burst. */
  onReject(now: number, random: () => number): BlindSignal {
    if (now < this.#burstUntil) return { newBurst: false, until: this.#burstUntil };
    const delay = Math.min(blindTuning.baseMs * 2 ** this.#step, blindTuning.maxMs) * (0.5 + 0.5 * random());
    this.#step++;
    this.#signals++;
    this.#burstUntil = now + delay;
    return { newBurst: true, until: this.#burstUntil };
  }

  /** Any answer that was not a hint-less 429: the next burst starts from the short pause again. */
  onAnswer(): void {
    this.#step = 0;
  }
}

/** True when a 429 carried nothing to wait for: no retry hint and no x-ratelimit-* value at all. */
export function isBlind(retryAfterMs: number | undefined, rate: RateInfo | undefined): boolean {
  if (retryAfterMs !== undefined || rate?.retryAfterMs !== undefined) return false;
  if (rate === undefined) return true;
  const values = [
    rate.limitTokens,
    rate.limitRequests,
    rate.remainingTokens,
    rate.remainingRequests,
    rate.resetTokensMs,
    rate.resetRequestsMs,
  ];
  return values.every((value) => value === undefined);
}
