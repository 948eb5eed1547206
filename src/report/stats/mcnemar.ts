/**
 * McNemar's exact test for paired pass/fail outcomes: under H0 the discordant pairs split 50/50, so the
 * two-sided p-value is 2·P(X ≤ min(b, c)) for X ~ Binomial(b + c, ½), capped at 1. Exact, so it holds
 * for the small discordant counts typical of evals, where the χ² approximation does not.
 */

/**
 * @param b pairs where the first target passed and the second failed
 * @param c pairs where the first target failed and the second passed
 * @returns two-sided p-value; 1 when there are no discordant pairs
 */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  // Sum C(n, i)·2^−n in log space so n in the thousands neither overflows nor underflows.
  const logHalfN = -n * Math.LN2;
  let logTerm = logHalfN; // i = 0: C(n, 0) = 1
  let tail = Math.exp(logTerm);
  for (let i = 1; i <= k; i++) {
    logTerm += Math.log(n - i + 1) - Math.log(i);
    tail += Math.exp(logTerm);
  }
  return Math.min(1, 2 * tail);
}
