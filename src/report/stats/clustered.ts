/**
 * Standard errors for evals with repeats: several samples of one row are not independent, so the naive
 * SE understates the uncertainty. Clustering by row follows Miller (2024), "Adding Error Bars to Evals",
 * eq. 4: SE = √(Σ_c (Σ_{i∈c} (x_i − x̄))²) / n, with no small-sample correction.
 */

import { wilsonInterval, type Interval } from './wilson.ts';

/** Scores of one cluster (one dataset row across its repeats). */
export type Cluster = readonly number[];

/** Clustered standard error of the mean over all values; `null` when there are no values. */
export function clusteredStandardError(clusters: readonly Cluster[]): number | null {
  let n = 0;
  let sum = 0;
  for (const cluster of clusters) {
    for (const x of cluster) sum += x;
    n += cluster.length;
  }
  if (n === 0) return null;
  const mean = sum / n;
  let total = 0;
  for (const cluster of clusters) {
    let residual = 0;
    for (const x of cluster) residual += x - mean;
    total += residual * residual;
  }
  return Math.sqrt(total) / n;
}

/**
 * Mean within-row variance across repeats (sample variance, n − 1), over rows with at least two repeats:
 * how much a model's answer to the same question varies from run to run. `null` without such rows.
 */
export function meanWithinClusterVariance(clusters: readonly Cluster[]): number | null {
  let rows = 0;
  let total = 0;
  for (const cluster of clusters) {
    const n = cluster.length;
    if (n < 2) continue;
    let mean = 0;
    for (const x of cluster) mean += x;
    mean /= n;
    let squares = 0;
    for (const x of cluster) squares += (x - mean) ** 2;
    total += squares / (n - 1);
    rows++;
  }
  return rows === 0 ? null : total / rows;
}

/**
 * 95% interval for a pass rate whose samples cluster by row (repeats): Wilson on the effective sample
 * size n / deff (Kish 1965), where deff = clustered variance / naive variance of the mean, floored at 1
 * so clustering never narrows the interval. At 0% or 100% the naive variance is 0 and deff is
 * undefined: the effective size is the number of rows (repeats of a row add no information when they
 * all agree), which keeps the interval honest and never zero-width.
 * @param clusters 0/1 outcomes per row
 */
export function clusteredProportionInterval(clusters: readonly Cluster[]): { ci: Interval; designEffect: number } | null {
  let n = 0;
  let passes = 0;
  for (const cluster of clusters) {
    n += cluster.length;
    for (const x of cluster) passes += x;
  }
  if (n === 0) return null;
  const p = passes / n;
  const naiveVariance = (p * (1 - p)) / n;
  const se = clusteredStandardError(clusters) ?? 0;
  const designEffect = naiveVariance > 0 ? Math.max(1, (se * se) / naiveVariance) : n / clusters.length;
  const effectiveN = n / designEffect;
  return { ci: wilsonInterval(p * effectiveN, effectiveN)!, designEffect };
}
