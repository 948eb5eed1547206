/**
 * Accuracy and mean score of one target from its (row, repeat) entries: Wilson interval for the pass
 * rate (on the effective sample size when repeats make rows clusters); row-clustered bootstrap CI,
 * clustered SE and within-row variance for the score.
 */
import type { Random } from '../internal/rng.ts';
import { bootstrapClusterMeanCi } from './stats/bootstrap.ts';
import { clusteredProportionInterval, clusteredStandardError, meanWithinClusterVariance } from './stats/clustered.ts';
import { wilsonInterval } from './stats/wilson.ts';
import type { Interval, TargetSummary } from './summary-types.ts';

export interface QualityEntry {
  readonly rowId: string;
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
  let scored = 0;
  let cells = 0;
  const clusters = new Map<string, number[]>();
  const passClusters = new Map<string, number[]>();
  for (const entry of entries) {
    cells++;
    if (entry.passed !== null) {
      scored++;
      if (entry.passed) passed++;
      const cluster = passClusters.get(entry.rowId);
      if (cluster) cluster.push(Number(entry.passed));
      else passClusters.set(entry.rowId, [Number(entry.passed)]);
    }
    if (entry.score === null) continue;
    const cluster = clusters.get(entry.rowId);
    if (cluster) cluster.push(entry.score);
    else clusters.set(entry.rowId, [entry.score]);
  }
  const groups = [...clusters.values()];
  const sums = groups.map((g) => g.reduce((a, b) => a + b, 0));
  const n = groups.reduce((a, g) => a + g.length, 0);
  return {
    accuracy: scored ? { ...accuracyOf(passed, scored, [...passClusters.values()]), cells, rateOverAllCells: passed / cells } : null,
    score: n
      ? {
          mean: sums.reduce((a, b) => a + b, 0) / n,
          ci: scoreCi(sums, groups, random, resamples),
          clusteredSe: clusteredStandardError(groups),
          itemVariance: meanWithinClusterVariance(groups),
        }
      : null,
  };
}

/** Wilson without repeats; with repeats (some row scored more than once) the clustered version. */
function accuracyOf(passed: number, scored: number, clusters: number[][]): NonNullable<TargetSummary['accuracy']> {
  const rate = passed / scored;
  if (clusters.every((c) => c.length === 1))
    return { passed, scored, rate, ci: wilsonInterval(passed, scored), method: 'wilson', designEffect: null };
  const clustered = clusteredProportionInterval(clusters)!;
  return { passed, scored, rate, ci: clustered.ci, method: 'wilson-clustered', designEffect: clustered.designEffect };
}

/**
 * Row-clustered bootstrap CI of the mean score. When every score is 0 or every score is 1 the
 * bootstrap has nothing to resample and would print a zero-width interval; scores live in [0, 1], so
 * the Wilson interval of that many rows (one observation per row, the conservative count) is used.
 */
function scoreCi(sums: number[], groups: number[][], random: Random, resamples: number): Interval | null {
  const ci = bootstrapClusterMeanCi(
    sums,
    groups.map((g) => g.length),
    { random, resamples },
  );
  const all = groups.flat();
  const edge = all.every((x) => x === 0) ? 0 : all.every((x) => x === 1) ? 1 : null;
  return edge === null ? ci : wilsonInterval(edge * groups.length, groups.length);
}
