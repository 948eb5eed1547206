/**
 * A log-bucket quantile sketch with a relative-error guarantee (the DDSketch scheme, Masson, Rim & Lee,
 * VLDB 2019): a positive value x falls in bucket i = ⌈ln x / ln γ⌉ with γ = (1 + α) / (1 − α), and the
 * bucket answers 2γ^i / (γ + 1), which is within a factor (1 ± α) of every value in (γ^(i−1), γ^i].
 * So any rank's value comes back within α relative error, whatever the distribution, in memory that
 * grows with the log of the value range, not with the count: α = 0.1 % over 1 µs … 10⁸ ms is ~13k
 * buckets (52 KB) at most, however many values.
 *
 * Values with |x| below MIN_MAGNITUDE count as zero; negative values go to a mirrored store. NaN is not
 * counted (a latency is never NaN; the caller's exact statistics still see it).
 */

/** Relative accuracy of every value the sketch answers. */
export const SKETCH_RELATIVE_ERROR = 0.001;
/** Smallest magnitude kept apart from zero (the unit is the caller's: ms for latencies, so 1 ns). */
const MIN_MAGNITUDE = 1e-6;

export class QuantileSketch {
  readonly #lnGamma: number;
  readonly #gamma: number;
  readonly #positive = new BucketStore();
  readonly #negative = new BucketStore();
  #zeros = 0;
  #count = 0;

  constructor(relativeError = SKETCH_RELATIVE_ERROR) {
    this.#gamma = (1 + relativeError) / (1 - relativeError);
    this.#lnGamma = Math.log(this.#gamma);
  }

  /** Values counted (NaN excepted). */
  get count(): number {
    return this.#count;
  }

  add(value: number, times = 1): void {
    if (Number.isNaN(value)) return;
    this.#count += times;
    const magnitude = Math.abs(value);
    if (magnitude < MIN_MAGNITUDE) this.#zeros += times;
    else (value > 0 ? this.#positive : this.#negative).add(this.#index(magnitude), times);
  }

  /**
   * The value of 0-based rank `rank` in ascending order, within the relative error (±0 for zeros).
   * `rank` is clamped to [0, count − 1]; NaN when empty.
   */
  valueAtRank(rank: number): number {
    if (this.#count === 0) return Number.NaN;
    let remaining = Math.min(this.#count - 1, Math.max(0, Math.floor(rank)));
    // Ascending: negatives from the largest magnitude down, then zeros, then positives upwards.
    const negative = this.#negative.findDescending(remaining);
    if (negative.index !== null) return -this.#valueOf(negative.index);
    remaining -= negative.passed;
    if (remaining < this.#zeros) return 0;
    remaining -= this.#zeros;
    const positive = this.#positive.findAscending(remaining);
    return positive.index === null ? Number.NaN : this.#valueOf(positive.index);
  }

  /** Calls `visit` with each bucket's value and count, ascending. */
  forEachBucket(visit: (value: number, count: number) => void): void {
    this.#negative.forEachDescending((index, count) => visit(-this.#valueOf(index), count));
    if (this.#zeros > 0) visit(0, this.#zeros);
    this.#positive.forEachAscending((index, count) => visit(this.#valueOf(index), count));
  }

  #index(magnitude: number): number {
    return Math.ceil(Math.log(magnitude) / this.#lnGamma);
  }

  #valueOf(index: number): number {
    return (2 * this.#gamma ** index) / (this.#gamma + 1);
  }
}

/** Counts per bucket index in one dense array that grows to cover the indexes seen. */
class BucketStore {
  #counts = new Float64Array(0);
  /** Bucket index of #counts[0]. */
  #offset = 0;
  #total = 0;

  add(index: number, times: number): void {
    if (this.#counts.length === 0) {
      this.#counts = new Float64Array(64);
      this.#offset = index - 32;
    }
    if (index < this.#offset || index >= this.#offset + this.#counts.length) this.#cover(index);
    this.#counts[index - this.#offset]! += times;
    this.#total += times;
  }

  /** The bucket holding the `rank`-th value counting upwards, or how many values it passed. */
  findAscending(rank: number): { index: number | null; passed: number } {
    let passed = 0;
    for (let i = 0; i < this.#counts.length; i++) {
      passed += this.#counts[i]!;
      if (passed > rank) return { index: i + this.#offset, passed };
    }
    return { index: null, passed };
  }

  /** Same, counting from the highest index down (negative values, ascending by value). */
  findDescending(rank: number): { index: number | null; passed: number } {
    if (rank >= this.#total) return { index: null, passed: this.#total };
    let passed = 0;
    for (let i = this.#counts.length - 1; i >= 0; i--) {
      passed += this.#counts[i]!;
      if (passed > rank) return { index: i + this.#offset, passed };
    }
    return { index: null, passed };
  }

  forEachAscending(visit: (index: number, count: number) => void): void {
    for (let i = 0; i < this.#counts.length; i++) if (this.#counts[i]! > 0) visit(i + this.#offset, this.#counts[i]!);
  }

  forEachDescending(visit: (index: number, count: number) => void): void {
    for (let i = this.#counts.length - 1; i >= 0; i--) if (this.#counts[i]! > 0) visit(i + this.#offset, this.#counts[i]!);
  }

  /** Grows the array (with headroom on the side that grew) so `index` fits. */
  #cover(index: number): void {
    const low = Math.min(this.#offset, index - 32);
    const high = Math.max(this.#offset + this.#counts.length, index + 33);
    const grown = new Float64Array(high - low);
    grown.set(this.#counts, this.#offset - low);
    this.#counts = grown;
    this.#offset = low;
  }
}
