/**
 * Percentiles by linear interpolation between order statistics: Hyndman & Fan's definition 7 ("R-7"),
 * the default of R, NumPy and Excel's PERCENTILE.INC. For sorted x of length n and p in [0, 1]:
 * h = (n − 1)·p, result = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]).
 */

/** The percentiles every latency table reports, as fractions. */
export const REPORTED_PERCENTILES = [0.5, 0.9, 0.95, 0.99] as const;

/** R-7 percentile of an ascending array; `NaN` when empty. `p` is a fraction in [0, 1]. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const loValue = sorted[lo] as number;
  if (lo + 1 >= n) return loValue;
  return loValue + (h - lo) * ((sorted[lo + 1] as number) - loValue);
}

/** Sorts a copy ascending as a Float64Array (numeric order, unlike Array#sort's default). */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/** R-7 percentile of unsorted values (sorts a copy). */
export function percentile(values: ArrayLike<number>, p: number): number {
  return percentileSorted(sortedCopy(values), p);
}
