/**
 * The server's charge per request relative to the client's estimate (scheduler-design.md §5.2
 * "calibrate per deployment"), learned from `x-ratelimit-remaining-tokens`. The client estimates
 * Azure's ⌈chars/4⌉ + cap; another endpoint may charge the JSON of the messages (≈ 1.2× that), and
 * even Azure is "not perfectly precise". A wrong estimate makes the token mirror admit more (429s) or
 * less (lost throughput) than the server does.
 *
 * Samples compare two responses j < k (in dispatch order) so that whatever both counts share cancels:
 *  - sliding log: Δ(server count) ÷ Δ(our window sum) between j and k, only while nothing has left
 *    either window between them (the first window of a run, or after the window drained): the server
 *    lets entries go earlier than we do (it stamps at arrival; our entries live a guard and a learned
 *    skew longer), so a gap spanning expirations measures timing, not charge. "Our window sum" is our
 *    own entries only, never the foreign ledger. What a tenant already held at j is in both counts
 *    and drops out; what it is admitted between j and k does not (S3 learned 1.09 from it). That
 *    costs no room: the foreign ledger books only what the scaled count leaves unexplained, so the
 *    mirror's total keeps to the server's count.
 *  - bucket: (Δ(server count) + refill over the gap) ÷ (our estimates booked between j and k), used
 *    only when the bucket cannot have filled up in between (refill lost), i.e. j's deficit ≥ the refill.
 * A sample needs a gap of at least half the budget (sliding logs: the median over every such anchor;
 * buckets: the widest), so a `remaining-*` that lags by a request or two, or requests that overtook
 * each other, move it by a few percent only; the applied ratio is the
 * median of the last samples (outliers rejected), and is 1 within a ±6 % dead band so an exact server
 * is never second-guessed by noise. A request refused with a 429 (quota, or capacity before admission)
 * was booked by us but never charged by the server: its estimate is taken out of every sample that
 * spans it.
 */

/** One response's view of the token limiter. */
export interface ChargePoint {
  /** Our estimates booked up to and including this request: orders requests by dispatch. */
  readonly cum: number;
  /** Our sliding-window sum right after booking this request. */
  readonly used: number;
  /** Dispatch time. @unit milliseconds (clock time) */
  readonly at: number;
  /** Send time of the oldest entry in our window right after booking (sliding logs). @unit milliseconds */
  readonly oldestAt: number;
  /** The server's count in its response: budget − `remaining-tokens` (server units). */
  readonly serverUsed: number;
}

export interface ChargeLimiter {
  readonly shape: 'sliding' | 'bucket';
  /** The server's token budget per window (server units). */
  readonly budget: number;
  /** Bucket refill (budget ÷ window); 0 for a sliding log. @unit tokens per millisecond */
  readonly refillPerMs: number;
  /** @unit milliseconds */
  readonly windowMs: number;
}

export const chargeTuning = {
  /** Smallest gap between the two responses of a sample, as a share of the budget (in our units). */
  minSpanShare: 1 / 2,
  /** Samples kept; the applied ratio is their median. */
  samples: 15,
  /** Samples needed before the ratio is applied. */
  minSamples: 7,
  /** Ratios within this of 1 are treated as 1. */
  deadBand: 0.06,
  /** The applied ratio stays within these bounds. */
  min: 0.5,
  max: 2,
  /** Anchors kept (recent responses). */
  points: 48,
  /**
   * Sliding logs: a point is usable while its window holds nothing older than this share of the window
   * (the server, stamping later, may already have let older entries go).
   */
  youngShare: 0.9,
} as const;

export class ChargeRatio {
  readonly #points: ChargePoint[] = [];
  readonly #samples: number[] = [];
  /** Scratch for one sliding sample's per-anchor slopes (one per kept point at most). */
  readonly #slopes = new Float64Array(chargeTuning.points);
  /** Recent rejected requests (cum of each, its estimate): booked by us, not charged by the server. */
  readonly #rejected: { readonly cum: number; readonly cost: number }[] = [];
  #ratio = 1;

  /** Server charge ÷ client estimate to apply (1 until enough evidence, or within the dead band). */
  get value(): number {
    return this.#ratio;
  }

  /** Samples taken so far (kept ones). */
  get sampleCount(): number {
    return this.#samples.length;
  }

  observe(point: ChargePoint, limiter: ChargeLimiter): void {
    if (!Number.isFinite(point.serverUsed) || limiter.budget <= 0) return;
    const span = (chargeTuning.minSpanShare * limiter.budget) / this.#ratio;
    if (limiter.shape === 'sliding' && point.oldestAt < point.at - chargeTuning.youngShare * limiter.windowMs) return;
    const sample = limiter.shape === 'bucket' ? this.#bucketSample(point, limiter, span) : this.#slidingSample(point, span);
    if (sample !== undefined && Number.isFinite(sample) && sample > 0) this.#add(sample);
    this.#points.push(point);
    if (this.#points.length > chargeTuning.points) this.#points.shift();
  }

  /** The request booked at `cum` (estimate `cost`) was refused with a 429: never charged. */
  onRejected(cum: number, cost: number): void {
    this.#rejected.push({ cum, cost });
    if (this.#rejected.length > chargeTuning.points) this.#rejected.shift();
  }

  /** Our estimates of rejected requests booked in (fromCum, toCum]. */
  #refund(fromCum: number, toCum: number): number {
    let sum = 0;
    for (const r of this.#rejected) if (r.cum > fromCum && r.cum <= toCum) sum += r.cost;
    return sum;
  }

  /**
   * The median over every anchor j far enough from k, not the single widest pair: requests sent in one
   * burst reach the server in any order, so one anchor's count can be off by the rest of its burst
   * (S1 on the virtual clock: the earliest point, admitted last of six, put every sample at 0.89–0.91
   * of an exact server, and the mirror then admitted 4 requests past the budget).
   */
  #slidingSample(k: ChargePoint, span: number): number | undefined {
    const slopes = this.#slopes;
    let n = 0;
    for (const j of this.#points) {
      if (j.cum >= k.cum) continue;
      if (Math.abs(k.cum - k.used - (j.cum - j.used)) > 0.5) continue; // something left our window between them
      if (Math.abs(k.used - j.used) < span) continue;
      const ours = k.used - j.used - this.#refund(j.cum, k.cum);
      if (Math.abs(ours) >= span / 2) slopes[n++] = (k.serverUsed - j.serverUsed) / ours;
    }
    // a typed array sorts numerically in place, without a comparator or a copy (this runs per response)
    return n === 0 ? undefined : medianOfSorted(slopes.subarray(0, n).sort());
  }

  #bucketSample(k: ChargePoint, limiter: ChargeLimiter, span: number): number | undefined {
    let best: ChargePoint | undefined;
    for (const j of this.#points) {
      if (j.cum >= k.cum || k.cum - j.cum < span) continue;
      const refill = limiter.refillPerMs * Math.max(0, k.at - j.at);
      if (j.serverUsed < refill) continue; // the bucket may have filled up: refill lost
      if (best === undefined || j.cum < best.cum) best = j; // the widest gap: lag and overtaking matter least
    }
    if (best === undefined) return undefined;
    const refill = limiter.refillPerMs * Math.max(0, k.at - best.at);
    const ours = k.cum - best.cum - this.#refund(best.cum, k.cum);
    return ours < span / 2 ? undefined : (k.serverUsed - best.serverUsed + refill) / ours;
  }

  #add(sample: number): void {
    this.#samples.push(sample);
    if (this.#samples.length > chargeTuning.samples) this.#samples.shift();
    if (this.#samples.length < chargeTuning.minSamples) return;
    const median = medianOf(this.#samples);
    const ratio = Math.abs(median - 1) <= chargeTuning.deadBand ? 1 : median;
    this.#ratio = Math.min(chargeTuning.max, Math.max(chargeTuning.min, ratio));
  }
}

function medianOf(values: readonly number[]): number {
  return medianOfSorted([...values].sort((a, b) => a - b));
}

function medianOfSorted(sorted: ArrayLike<number>): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
