/**
 * Standard errors for evals with repeats: several samples of one row are not independent, so the naive
 * SE understates the uncertainty. Clustering by row follows Miller (2024), "Adding Error Bars to Evals",
 * eq. 4: SE = √(Σ_c (Σ_{i∈c} (x_i − x̄))²) / n, with no small-sample correction.
 */

import { wilsonInterval, type Interval } from './wilson.ts';

/** Scores of one cluster (one dataset row across its repeats). */
export type Cluster = readonly number[];

/**
 * Clusters laid out flat: cluster c holds `values[offsets[c]]` up to (not including) `values[offsets[c + 1]]`.
 * At 100k rows an array per row cost ~100 bytes a row in the report's last step (cluster-builder.ts
 * builds this instead); the statistics below read either form in the same order, with the same sums.
 */
export interface FlatClusters {
  /** Cluster count + 1 entries, ascending, starting at 0. */
  readonly offsets: ArrayLike<number>;
  readonly values: ArrayLike<number>;
}

/** Arrays of arrays (tests, small inputs) in the flat layout. */
export function flatClusters(clusters: readonly Cluster[]): FlatClusters {
  const offsets = new Float64Array(clusters.length + 1);
  for (let c = 0; c < clusters.length; c++) offsets[c + 1] = offsets[c]! + clusters[c]!.length;
  return { offsets, values: clusters.flat() };
}

function flat(clusters: FlatClusters | readonly Cluster[]): FlatClusters {
  return Array.isArray(clusters) ? flatClusters(clusters as readonly Cluster[]) : (clusters as FlatClusters);
}

/** Clustered standard error of the mean over all values; `null` when there are no values. */
export function clusteredStandardError(clusters: FlatClusters | readonly Cluster[]): number | null {
  const { offsets, values } = flat(clusters);
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  if (n === 0) return null;
  const mean = sum / n;
  let total = 0;
  for (let c = 0; c + 1 < offsets.length; c++) {
    let residual = 0;
    for (let i = offsets[c]!; i < offsets[c + 1]!; i++) residual += values[i]! - mean;
    total += residual * residual;
  }
  return Math.sqrt(total) / n;
}

/**
 * Mean within-row variance across repeats (sample variance, n − 1), over rows with at least two repeats:
 * how much a model's answer to the same question varies from run to run. `null` without such rows.
 */
export function meanWithinClusterVariance(clusters: FlatClusters | readonly Cluster[]): number | null {
  const { offsets, values } = flat(clusters);
  let rows = 0;
  let total = 0;
  for (let c = 0; c + 1 < offsets.length; c++) {
    const from = offsets[c]!;
    const to = offsets[c + 1]!;
    const n = to - from;
    if (n < 2) continue;
    let mean = 0;
    for (let i = from; i < to; i++) mean += values[i]!;
    mean /= n;
    let squares = 0;
    for (let i = from; i < to; i++) squares += (values[i]! - mean) ** 2;
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
export function clusteredProportionInterval(clusters: FlatClusters | readonly Cluster[]): { ci: Interval; designEffect: number } | null {
  const layout = flat(clusters);
  const n = layout.values.length;
  let passes = 0;
  for (let i = 0; i < n; i++) passes += layout.values[i]!;
  if (n === 0) return null;
  const p = passes / n;
  const naiveVariance = (p * (1 - p)) / n;
  const se = clusteredStandardError(layout) ?? 0;
  const designEffect = naiveVariance > 0 ? Math.max(1, (se * se) / naiveVariance) : n / (layout.offsets.length - 1);
  const effectiveN = n / designEffect;
  return { ci: wilsonInterval(p * effectiveN, effectiveN)!, designEffect };
}
