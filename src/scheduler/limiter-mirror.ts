/**
 * A client-side mirror of one server limiter (tokens or requests), so the scheduler knows *when* the
 * server will admit a request instead of finding out through 429s.
 *
 * Two shapes (scheduler-design.md §5.3):
 * - `sliding`: a log of (send time, amount) with a running sum; an entry frees its amount at
 *   send + window + guard (the guard covers the server stamping at arrival, after our send).
 * - `bucket`: continuous refill at budget/window per ms up to a depth. Used as the conservative start
 *   (2 s deep) before the first rate headers and as the storm fallback.
 * Both record every admission, so switching shape never forgets what is already in the window.
 *
 * The budget only ever moves *down* from what was configured; headers may move it back up, never above.
 * The multiplier β (owned by the gate) scales the budget for usage we cannot see (other tenants).
 */
import type { UsageVerdict } from './sliding-log.ts';
import { SlidingLog } from './sliding-log.ts';

export type { UsageVerdict } from './sliding-log.ts';
export type MirrorShape = 'sliding' | 'bucket';

export interface MirrorInit {
  /** Budget per window from configuration, if known. */
  readonly budget: number | undefined;
  /** @unit milliseconds */
  readonly windowMs: number;
  /** @unit milliseconds */
  readonly guardMs: number;
  /** Depth of the conservative bucket; 0 starts directly as a sliding log. @unit milliseconds */
  readonly conservativeDepthMs: number;
  /**
   * Shorter windows the server may really use, as divisors of `windowMs` (tokens: 6 and 60 for the
   * documented "10 s or 1 s" evaluation). The first limit header decides (see `observeLimit`).
   */
  readonly windowDivisors?: readonly number[];
}

/** A first limit header within 3 % of configured ÷ k reveals a window k times shorter. */
const WINDOW_MATCH_TOLERANCE = 0.03;

export class LimiterMirror {
  #windowMs: number;
  #configured: number | undefined;
  readonly #divisors: readonly number[];
  #windowLearned = false;
  #budget: number | undefined;
  #shape: MirrorShape;
  readonly #log: SlidingLog;
  // bucket state; level may go negative (debt for requests larger than the depth)
  #depthMs: number;
  #rateFactor = 1;
  #level = 0;
  #levelAt = 0;

  constructor(init: MirrorInit, now: number) {
    this.#windowMs = init.windowMs;
    this.#divisors = init.windowDivisors ?? [];
    this.#configured = init.budget;
    this.#budget = init.budget;
    this.#depthMs = Math.min(init.conservativeDepthMs, init.windowMs);
    this.#shape = init.budget !== undefined && init.conservativeDepthMs > 0 ? 'bucket' : 'sliding';
    this.#levelAt = now;
    this.#level = this.#bucketDepth(1);
    this.#log = new SlidingLog(init.windowMs, init.guardMs, now);
  }

  /** Learned skew between our send stamps and the server's admission stamps. @unit milliseconds */
  get skewMs(): number {
    return this.#log.skewMs;
  }

  /** Window length (configured, or learned from the first limit header). @unit milliseconds */
  get windowMs(): number {
    return this.#windowMs;
  }

  get shape(): MirrorShape {
    return this.#shape;
  }

  /** Current budget per window (undefined: unknown, the mirror never delays). */
  get budget(): number | undefined {
    return this.#budget;
  }

  /** Amount admitted within the sliding window (after pruning at `now`), the foreign ledger's included. */
  used(now: number): number {
    return this.#log.used(now);
  }

  /** Our own admissions within the window: `used` without the foreign ledger. */
  ownUsed(now: number): number {
    return this.#log.ownUsed(now);
  }

  /** Foreign usage booked within the window (a tenant's or the server's over-charge): `used` minus `ownUsed`. */
  foreignUsed(now: number): number {
    return this.#log.foreignUsed(now);
  }

  /** Send time of the oldest admission still inside the window (Infinity when empty). @unit milliseconds */
  oldestAt(now: number): number {
    return this.#log.oldestAt(now);
  }

  /** Earliest time ≥ now at which this limiter admits `amount`, with the budget scaled by `beta`. */
  earliest(now: number, amount: number, beta: number): number {
    const budget = this.#budget;
    if (budget === undefined) return now;
    if (this.#shape === 'bucket') return this.#bucketEarliest(now, amount, beta);
    const effective = budget * beta;
    // Debt: a request larger than the effective budget goes once the window is empty, not never.
    return this.#log.earliest(now, Math.min(amount, effective), effective);
  }

  /** Share of the budget still free at `now`, in [0, 1]; 1 when the budget is unknown. */
  roomFraction(now: number, beta: number): number {
    const budget = this.#budget;
    if (budget === undefined || budget <= 0) return 1;
    if (this.#shape === 'bucket') {
      const depth = this.#bucketDepth(beta);
      return depth <= 0 ? 0 : clamp01(this.#bucketLevel(now, beta) / depth);
    }
    return clamp01((budget * beta - this.#log.used(now)) / (budget * beta));
  }

  /**
   * Books an admission of `amount` at `now`. `scale` converts the server's budget into the units of
   * `amount` (1 ÷ the learned charge ratio, see charge-ratio.ts), as in `earliest`.
   */
  record(now: number, amount: number, scale = 1): void {
    this.#log.record(now, amount);
    if (this.#budget !== undefined) {
      this.#level = this.#bucketLevel(now, scale) - amount;
      this.#levelAt = now;
    }
  }

  /**
   * `amount` booked at `at` was refused with a 429: the server never counted it. Sliding logs only: a
   * bucket keeps the booking (a quota 429 empties it anyway, `exhaust`; a capacity 429's refills).
   */
  refund(at: number, amount: number, now: number): void {
    if (this.#shape === 'sliding') this.#log.refund(at, amount, now);
  }

  /** A request sent at `at` was refused at once: its round trip bounds how late the server stamps ours. */
  noteRefusal(at: number, now: number): void {
    this.#log.noteRefusalRoundTrip(now - at);
  }

  /**
   * A `limit` header: the server's budget per window. Followed down at once (temporary reductions),
   * back up only as far as configuration allows. Non-positive values (the Responses API's −1) are ignored.
   */
  observeLimit(limit: number | undefined): void {
    if (limit === undefined || !Number.isFinite(limit) || limit <= 0) return;
    if (!this.#windowLearned) this.#learnWindow(limit);
    this.#budget = this.#configured === undefined ? limit : Math.min(this.#configured, limit);
  }

  /**
   * A `remaining` header for a request booked when our log held `usedAtAdmission` (that request
   * included). With no budget known it teaches one; for a bucket it only ever lowers the level.
   * `scale` converts server units into ours (1 ÷ the learned charge ratio).
   */
  observeRemaining(remaining: number | undefined, usedAtAdmission: number, admittedAt: number, now: number, scale = 1): void {
    if (remaining === undefined || !Number.isFinite(remaining) || remaining < 0) return;
    if (this.#budget === undefined) {
      this.#budget = remaining + usedAtAdmission;
      return;
    }
    if (this.#shape === 'bucket') {
      remaining *= scale;
      const rate = (this.#budget * this.#rateFactor * scale) / this.#windowMs;
      const level = this.#bucketLevel(now, 1);
      const ceiling = remaining + rate * (now - admittedAt);
      if (ceiling < level) {
        this.#level = ceiling;
        this.#levelAt = now;
      }
    }
  }

  /**
   * Shape learning for the window length (§5.3: W = window × B / configured budget). Only the *first*
   * header is used, and only an exact 1/k match, so a later temporary reduction (say to 60 %) is
   * followed as a lower budget, never mistaken for a shorter window. The configured budget is rescaled
   * to the new window so the "only lower" rule keeps comparing like with like.
   */
  #learnWindow(limit: number): void {
    this.#windowLearned = true;
    const configured = this.#configured;
    if (configured === undefined) return;
    for (const k of this.#divisors) {
      const expected = configured / k;
      if (Math.abs(limit - expected) <= expected * WINDOW_MATCH_TOLERANCE) {
        this.#windowMs /= k;
        this.#log.setWindowMs(this.#windowMs);
        this.#configured = expected;
        this.#depthMs = Math.min(this.#depthMs, this.#windowMs);
        return;
      }
    }
  }

  /**
   * The server is a token bucket over `windowMs` (OpenAI style: a per-minute limit refilled
   * continuously, full at the start): depth = the whole budget, so its initial burst is used, then
   * `remaining-*` lowers the level. A configured budget is rescaled to the new window.
   */
  useServerBucket(now: number, windowMs: number): void {
    if (this.#configured !== undefined) this.#configured = (this.#configured * windowMs) / this.#windowMs;
    if (this.#budget !== undefined) this.#budget = (this.#budget * windowMs) / this.#windowMs;
    this.#windowMs = windowMs;
    this.#log.setWindowMs(windowMs);
    this.#windowLearned = true;
    this.#shape = 'bucket';
    this.#rateFactor = 1;
    this.#depthMs = windowMs;
    this.#level = Number.POSITIVE_INFINITY;
    this.#levelAt = now;
  }

  /** Switches to the sliding log (headers arrived: the server's window is known). */
  useSliding(): void {
    this.#shape = 'sliding';
    this.#rateFactor = 1;
  }

  /** Falls back to a bucket `depthMs` deep refilling at `rateFactor` × budget/window (storm guard). */
  useBucket(now: number, depthMs: number, rateFactor: number): void {
    const level = Math.min(this.#bucketLevel(now, 1), 0);
    this.#shape = 'bucket';
    this.#depthMs = Math.min(depthMs, this.#windowMs);
    this.#rateFactor = rateFactor;
    this.#level = level;
    this.#levelAt = now;
  }

  /** Fills the bucket to its depth (a pacer starts full). */
  refill(now: number): void {
    this.#level = this.#bucketDepth(1);
    this.#levelAt = now;
  }

  /** A quota 429 says there is no room now: an empty bucket (the sliding log is blocked by the gate's pause). */
  exhaust(now: number): void {
    if (this.#shape !== 'bucket') return;
    this.#level = Math.min(this.#bucketLevel(now, 1), 0);
    this.#levelAt = now;
  }

  #bucketDepth(beta: number): number {
    const budget = this.#budget ?? 0;
    return ((budget * this.#rateFactor * beta) / this.#windowMs) * this.#depthMs;
  }

  #bucketLevel(now: number, beta: number): number {
    const budget = this.#budget ?? 0;
    const rate = (budget * this.#rateFactor * beta) / this.#windowMs;
    return Math.min(this.#bucketDepth(beta), this.#level + rate * Math.max(0, now - this.#levelAt));
  }

  #bucketEarliest(now: number, amount: number, beta: number): number {
    const depth = this.#bucketDepth(beta);
    const need = Math.min(amount, depth);
    const level = this.#bucketLevel(now, beta);
    if (level >= need) return now;
    const rate = ((this.#budget ?? 0) * this.#rateFactor * beta) / this.#windowMs;
    return rate > 0 ? now + (need - level) / rate : Number.POSITIVE_INFINITY;
  }

  /** See SlidingLog.observeServerUsage; only meaningful while the mirror is a sliding log. */
  observeServerUsage(serverUsed: number, sentAt: number, now: number): UsageVerdict {
    const budget = this.#budget;
    if (budget === undefined || this.#shape !== 'sliding') return 'unknown';
    return this.#log.observeServerUsage(serverUsed, budget, sentAt, now);
  }

  /** See SlidingLog.learnFrom429; `usedAtSend` includes the rejected request. */
  learnFrom429(usedAtSend: number, sentAt: number, now: number, beta: number): UsageVerdict {
    const budget = this.#budget;
    if (budget === undefined || this.#shape !== 'sliding') return 'unknown';
    return this.#log.learnFrom429(budget * beta - usedAtSend, sentAt, now);
  }
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
