/**
 * Accuracy and mean score of one target from its (row, repeat) entries: Wilson interval for the pass
 * rate (on the effective sample size when repeats make rows clusters); row-clustered bootstrap CI,
 * clustered SE and within-row variance for the score.
 */
import type { Random } from '../internal/rng.ts';
import { ClusterBuilder } from './cluster-builder.ts';
import { bootstrapClusterMeanCi } from './stats/bootstrap.ts';
import { clusteredProportionInterval, clusteredStandardError, type FlatClusters, meanWithinClusterVariance } from './stats/clustered.ts';
import { wilsonInterval } from './stats/wilson.ts';
import type { Interval, TargetSummary } from './summary-types.ts';

export interface QualityEntry {
  /** The row's number (cell-index.ts): repeats of a row are one cluster. */
  readonly row: number;
  readonly passed: boolean | null;
  readonly score: number | null;
}

/** @param entries one per cell (row × repeat) of the target, failed requests included (`passed: null`): the all-cells denominator */
export function qualitySummary(
  entries: Iterable<QualityEntry>,
  random: Random,
  resamples: number,
): Pick<TargetSummary, 'accuracy' | 'score'> {
  let passed = 0;
  let cells = 0;
  const scores = new ClusterBuilder();
  const passes = new ClusterBuilder();
  for (const entry of entries) {
    cells++;
    if (entry.passed !== null) {
      if (entry.passed) passed++;
      passes.add(entry.row, Number(entry.passed));
    }
    if (entry.score !== null) scores.add(entry.row, entry.score);
  }
  const scored = passes.size;
  const n = scores.size;
  const groups = scores.build();
  const sums = clusterSums(groups);
  let total = 0;
  for (let c = 0; c < sums.length; c++) total += sums[c]!;
  return {
    accuracy: scored ? { ...accuracyOf(passed, scored, passes), cells, rateOverAllCells: passed / cells } : null,
    score: n
      ? {
          mean: total / n,
          ci: scoreCi(sums, scores.sizes(), groups, random, resamples),
          clusteredSe: clusteredStandardError(groups),
          itemVariance: meanWithinClusterVariance(groups),
        }
      : null,
  };
}

/** Wilson without repeats; with repeats (some row scored more than once) the clustered version. */
function accuracyOf(passed: number, scored: number, clusters: ClusterBuilder): NonNullable<TargetSummary['accuracy']> {
  const rate = passed / scored;
  if (clusters.clusters === scored)
    return { passed, scored, rate, ci: wilsonInterval(passed, scored), method: 'wilson', designEffect: null };
  const clustered = clusteredProportionInterval(clusters.build())!;
  return { passed, scored, rate, ci: clustered.ci, method: 'wilson-clustered', designEffect: clustered.designEffect };
}

/** Each cluster's sum, added up in arrival order. */
function clusterSums({ offsets, values }: FlatClusters): Float64Array {
  const sums = new Float64Array(offsets.length - 1);
  for (let c = 0; c < sums.length; c++) {
    let sum = 0;
    for (let i = offsets[c]!; i < offsets[c + 1]!; i++) sum += values[i]!;
    sums[c] = sum;
  }
  return sums;
}

/**
 * Row-clustered bootstrap CI of the mean score. When every score is 0 or every score is 1 the
 * bootstrap has nothing to resample and would print a zero-width interval; scores live in [0, 1], so
 * the Wilson interval of that many rows (one observation per row, the conservative count) is used.
 */
function scoreCi(sums: Float64Array, sizes: ArrayLike<number>, groups: FlatClusters, random: Random, resamples: number): Interval | null {
  const ci = bootstrapClusterMeanCi(sums, sizes, { random, resamples });
  const edge = everyValueIs(groups.values, 0) ? 0 : everyValueIs(groups.values, 1) ? 1 : null;
  return edge === null ? ci : wilsonInterval(edge * sums.length, sums.length);
}

function everyValueIs(values: ArrayLike<number>, x: number): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== x) return false;
  return true;
}
