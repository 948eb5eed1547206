/**
 * One latency metric of the summary fold (a target's e2e, TTFT, queue wait…), in memory that stops
 * growing: values are kept exactly up to EXACT_LIMIT, so every run up to that size reports exact R-7
 * percentiles with bootstrap intervals as before; past it they move into a log-bucket sketch
 * (stats/quantile-sketch.ts, 0.1 % relative error) and the intervals become the distribution-free
 * order-statistic ones. Count, mean, standard deviation, min and max are exact at every size: they are
 * folded as values arrive, in the same order and arithmetic as stats/describe.ts.
 *
 * Why a switch and not always a sketch: small runs are where a reader compares figures by hand (and
 * where tests fold results.csv independently); large runs are where 8 bytes per value per metric per
 * target is what keeps the CLI's memory from being flat (issue 11 §3).
 */
import type { Random } from '../internal/rng.ts';
import { NumberColumn } from './columns.ts';
import { bootstrapPercentileCis } from './stats/bootstrap.ts';
import type { Description } from './stats/describe.ts';
import { percentileSorted, REPORTED_PERCENTILES, sortedCopy } from './stats/percentile.ts';
import { QuantileSketch } from './stats/quantile-sketch.ts';
import type { Interval } from './stats/wilson.ts';
import { assembleLatencyStats, latencyStats } from './latency-stats.ts';
import type { LatencyStats } from './summary-types.ts';

/** Values kept exactly per metric before the sketch takes over (128 KB as Float64). */
export const EXACT_LIMIT = 16_384;
/** Two-sided 95 % normal quantile, for the order-statistic intervals. */
const Z_95 = 1.959963984540054;

export class LatencyColumn {
  readonly #limit: number;
  #exact: NumberColumn | null = new NumberColumn();
  #sorted: Float64Array | null = null;
  #sketch: QuantileSketch | null = null;
  #count = 0;
  #mean = 0;
  #m2 = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = Number.NEGATIVE_INFINITY;

  /** @param exactLimit values kept exactly before switching to the sketch (a seam for tests) */
  constructor(exactLimit = EXACT_LIMIT) {
    this.#limit = exactLimit;
  }

  get length(): number {
    return this.#count;
  }

  /** Whether percentiles are exact (no more than the exact limit of values so far). */
  get exact(): boolean {
    return this.#sketch === null;
  }

  push(value: number): void {
    const delta = value - this.#mean;
    this.#mean += delta / ++this.#count;
    this.#m2 += delta * (value - this.#mean);
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
    this.#sorted = null;
    if (this.#exact && this.#exact.length < this.#limit) {
      this.#exact.push(value);
      return;
    }
    if (this.#exact) {
      this.#sketch = new QuantileSketch();
      const kept = this.#exact.view();
      for (let i = 0; i < kept.length; i++) this.#sketch.add(kept[i]!);
      this.#exact = null;
    }
    this.#sketch!.add(value);
  }

  describe(): Description | null {
    if (this.#count === 0) return null;
    const n = this.#count;
    return { count: n, mean: this.#mean, stddev: n > 1 ? Math.sqrt(this.#m2 / (n - 1)) : 0, min: this.#min, max: this.#max };
  }

  /** R-7 percentile (`p` a fraction); NaN when empty. */
  percentile(p: number): number {
    const sorted = this.#sortedExact();
    if (sorted) return percentileSorted(sorted, p);
    const n = this.#count;
    const h = (n - 1) * Math.min(1, Math.max(0, p));
    const lo = Math.floor(h);
    const low = this.#valueAtRank(lo);
    return lo + 1 >= n ? low : low + (h - lo) * (this.#valueAtRank(lo + 1) - low);
  }

  /** 95 % intervals of the percentiles: seeded bootstrap while exact, order statistics past the limit. */
  percentileCis(fractions: readonly number[], random: Random, resamples: number): (Interval | null)[] {
    const sorted = this.#sortedExact();
    if (sorted) return bootstrapPercentileCis(sorted, fractions, { random, resamples });
    return fractions.map((p) => this.#orderStatisticCi(p));
  }

  /** Each value with its multiplicity, ascending in sketch mode (buckets), in arrival order when exact. */
  forEachValue(visit: (value: number, count: number) => void): void {
    if (this.#exact) {
      const values = this.#exact.view();
      for (let i = 0; i < values.length; i++) visit(values[i]!, 1);
    } else this.#sketch!.forEachBucket(visit);
  }

  /** The LatencyStats every report shows; `null` when empty. `random` seeds the bootstrap. */
  stats(random: Random, resamples: number): LatencyStats | null {
    // While exact, the array path itself: the same figures as before the sketch existed, by construction.
    if (this.#exact) return latencyStats(this.#exact.view(), random, resamples);
    return assembleLatencyStats(this.describe()!, (p) => this.percentile(p), this.percentileCis(REPORTED_PERCENTILES, random, resamples));
  }

  #sortedExact(): Float64Array | null {
    if (!this.#exact) return null;
    this.#sorted ??= sortedCopy(this.#exact.view());
    return this.#sorted;
  }

  /** The sketch's value at a 0-based rank, with the exact extremes at both ends. */
  #valueAtRank(rank: number): number {
    if (rank <= 0) return this.#min;
    if (rank >= this.#count - 1) return this.#max;
    return Math.min(this.#max, Math.max(this.#min, this.#sketch!.valueAtRank(rank)));
  }

  /**
   * Distribution-free interval for the p-quantile: the order statistics x(r) and x(s) with
   * r = ⌊np − z·√(np(1−p))⌋ and s = ⌈np + z·√(np(1−p))⌉ + 1 (1-based; the normal approximation to the
   * binomial count of values below the quantile, which is exact enough at the sizes this is used for).
   */
  #orderStatisticCi(p: number): Interval {
    const n = this.#count;
    const spread = Z_95 * Math.sqrt(n * p * (1 - p));
    const r = Math.floor(n * p - spread);
    const s = Math.ceil(n * p + spread) + 1;
    return { low: this.#valueAtRank(r - 1), high: this.#valueAtRank(s - 1) };
  }
}
