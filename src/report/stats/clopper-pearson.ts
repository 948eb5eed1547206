/**
 * Clopper–Pearson ("exact") interval for a binomial proportion: the inversion of two one-sided exact
 * binomial tests at α/2 each. Used on the discordant pairs of a paired comparison, where it agrees with
 * McNemar's exact test by construction: ½ lies outside the interval exactly when p < α.
 */
import type { Interval } from './wilson.ts';

/**
 * @param successes x in 0..trials
 * @param level two-sided coverage; @default 0.95
 * @returns `null` when `trials` is 0
 */
export function clopperPearson(successes: number, trials: number, level = 0.95): Interval | null {
  if (trials <= 0) return null;
  const tail = (1 - level) / 2;
  // Lower bound: the π at which P(X ≥ x | π) = α/2; upper: the π at which P(X ≤ x | π) = α/2.
  const low = successes === 0 ? 0 : bisect((p) => 1 - binomialCdf(successes - 1, trials, p) - tail);
  const high = successes === trials ? 1 : bisect((p) => tail - binomialCdf(successes, trials, p));
  return { low, high };
}

/** P(X ≤ k) for X ~ Binomial(n, p), summed in log space so large n neither overflows nor underflows. */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  let logC = 0; // log C(n, 0)
  let total = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    total += Math.exp(logC + i * logP + (n - i) * logQ);
  }
  return Math.min(1, total);
}

// --- internal ---

/** Root of an increasing function on [0, 1] by bisection (60 halvings: below double precision). */
function bisect(f: (p: number) => number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) < 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
