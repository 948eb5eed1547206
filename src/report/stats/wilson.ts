/**
 * Wilson score interval for a binomial proportion (Wilson 1927). Unlike the normal ("Wald") interval it
 * stays inside [0, 1] and behaves at 0/n and n/n, which pass rates of small evals hit often.
 */

/** A two-sided interval; both ends are in the unit of the estimate. */
export interface Interval {
  readonly low: number;
  readonly high: number;
}

/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

/**
 * Wilson score interval for `successes` out of `trials`.
 * @param z normal quantile; @default Z95 (95%)
 * @returns `null` when `trials` is 0 (nothing to estimate).
 */
export function wilsonInterval(successes: number, trials: number, z = Z95): Interval | null {
  if (trials <= 0) return null;
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const center = (p + z2 / (2 * trials)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  // Exact at the edges (rounding would otherwise give 0.9999999999999999 at n/n).
  return { low: successes <= 0 ? 0 : Math.max(0, center - half), high: successes >= trials ? 1 : Math.min(1, center + half) };
}
