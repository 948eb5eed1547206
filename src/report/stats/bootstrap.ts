/**
 * Percentile bootstrap confidence intervals (Efron & Tibshirani 1993, ch. 13), driven by a seeded RNG so
 * a re-render from the journal reproduces every interval exactly. The bounds are R-7 percentiles of the
 * bootstrap distribution.
 *
 * Work is bounded: the resample count shrinks for large samples so one interval costs at most about
 * `WORK_BUDGET` random draws (never fewer than `MIN_RESAMPLES` resamples).
 */
import type { Random } from '../../internal/rng.ts';
import { percentileSorted } from './percentile.ts';
import type { Interval } from './wilson.ts';

/** @default 1000 resamples */
export const DEFAULT_RESAMPLES = 1000;
const MIN_RESAMPLES = 100;
const WORK_BUDGET = 5_000_000;

export interface BootstrapOptions {
  readonly random: Random;
  /** @default DEFAULT_RESAMPLES */
  readonly resamples?: number;
  /** Two-sided coverage. @default 0.95 */
  readonly level?: number;
}

/** How many resamples a sample of `n` gets under the work budget. */
export function effectiveResamples(n: number, requested = DEFAULT_RESAMPLES): number {
  if (n <= 0) return 0;
  return Math.max(Math.min(requested, MIN_RESAMPLES), Math.min(requested, Math.floor(WORK_BUDGET / n)));
}

/**
 * CI for a ratio of sums over resampled clusters: mean = Σ sums / Σ counts. With one value per cluster
 * this is the ordinary bootstrap of a mean; with rows as clusters (repeats, or paired differences
 * averaged per row) it respects the dependence between samples of one row.
 * @returns `null` when there are no clusters.
 */
export function bootstrapClusterMeanCi(sums: ArrayLike<number>, counts: ArrayLike<number>, options: BootstrapOptions): Interval | null {
  const k = sums.length;
  if (k === 0) return null;
  const resamples = effectiveResamples(k, options.resamples);
  const estimates = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    let count = 0;
    for (let i = 0; i < k; i++) {
      const pick = Math.floor(options.random() * k);
      sum += sums[pick] as number;
      count += counts[pick] as number;
    }
    estimates[r] = count === 0 ? 0 : sum / count;
  }
  return intervalOf(estimates, options.level);
}

/** CI for the mean of independent values. */
export function bootstrapMeanCi(values: ArrayLike<number>, options: BootstrapOptions): Interval | null {
  return bootstrapClusterMeanCi(values, new Float64Array(values.length).fill(1), options);
}

/**
 * CIs for several percentiles of one sample at once. Each resample is drawn as occurrence counts over
 * the sorted original, and the R-7 order statistics are read off the cumulative counts: O(n) per
 * resample with no sort, so percentile CIs stay cheap for large runs.
 * @param sorted ascending sample
 * @param fractions percentiles as fractions in [0, 1], ascending
 * @returns one interval per fraction, or `null` for an empty sample
 */
export function bootstrapPercentileCis(
  sorted: ArrayLike<number>,
  fractions: readonly number[],
  options: BootstrapOptions,
): (Interval | null)[] {
  const n = sorted.length;
  if (n === 0) return fractions.map(() => null);
  const resamples = effectiveResamples(n, options.resamples);
  const estimates = fractions.map(() => new Float64Array(resamples));
  const counts = new Uint32Array(n);
  for (let r = 0; r < resamples; r++) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[Math.floor(options.random() * n)]! += 1;
    const values = resampledPercentiles(sorted, counts, fractions);
    for (let f = 0; f < fractions.length; f++) estimates[f]![r] = values[f]!;
  }
  return estimates.map((e) => intervalOf(e, options.level));
}

// --- internal ---

function intervalOf(estimates: Float64Array, level = 0.95): Interval {
  estimates.sort();
  const alpha = (1 - level) / 2;
  return { low: percentileSorted(estimates, alpha), high: percentileSorted(estimates, 1 - alpha) };
}

/** R-7 percentiles of the resample described by `counts` (occurrences of each sorted index). */
function resampledPercentiles(sorted: ArrayLike<number>, counts: Uint32Array, fractions: readonly number[]): number[] {
  const n = sorted.length;
  const ranks = [
    ...new Set(
      fractions.flatMap((p) => {
        const lo = Math.floor((n - 1) * p);
        return [lo, Math.min(n - 1, lo + 1)];
      }),
    ),
  ].sort((a, b) => a - b);
  const valueByRank = new Map<number, number>();
  let index = 0;
  let seen = counts[0]!; // resampled values at sorted positions ≤ index
  for (const rank of ranks) {
    while (seen <= rank) seen += counts[++index]!;
    valueByRank.set(rank, sorted[index] as number);
  }
  return fractions.map((p) => {
    const h = (n - 1) * p;
    const lo = Math.floor(h);
    const loValue = valueByRank.get(lo)!;
    const hiValue = valueByRank.get(Math.min(n - 1, lo + 1))!;
    return loValue + (h - lo) * (hiValue - loValue);
  });
}
