/**
 * Standard errors for evals with repeats: several samples of one row are not independent, so the naive
 * SE understates the uncertainty. Clustering by row follows Miller (2024), "Adding Error Bars to Evals",
 * eq. 4: SE = √(Σ_c (Σ_{i∈c} (x_i − x̄))²) / n, with no small-sample correction.
 */

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
