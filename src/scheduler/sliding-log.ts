/**
 * The admission log behind a sliding-window mirror: (send time, amount) entries with a running sum of
 * those still inside the window, plus a short history of entries that just left it. The history lets
 * the log reconcile with the server (azure-v1-behaviour.md §12.4 stamps at *arrival*, we at *send*):
 * when the server still counts entries we let go, their lifetime is extended by a learned skew.
 */
import { TimeAmountRing } from './ring-deque.ts';

/**
 * How the server's count compares with ours: no more than we sent (`consistent`, requests may have
 * overtaken each other), more but explained by our own just-expired entries (`skew`), more than we can
 * explain (`foreign`: another tenant), or no way to tell (`unknown`).
 */
export type UsageVerdict = 'consistent' | 'skew' | 'foreign' | 'unknown';

/** Largest learned skew, as a share of the window. */
const MAX_SKEW_SHARE = 0.25;
/** Learned skews are padded, and shrink by a quarter per window without new evidence. */
const SKEW_MARGIN = 1.25;
const SKEW_DECAY = 0.75;
/**
 * The expiry guard is at most this share of the window (but ≥ GUARD_FLOOR_MS): a fixed 250 ms is 0.4 % of
 * a 60 s window but 2.5 % of a 10 s one, paid on every entry; a real delay beyond it is learned as skew.
 */
const GUARD_SHARE = 0.01;
const GUARD_FLOOR_MS = 50;

export class SlidingLog {
  #windowMs: number;
  readonly #guardMs: number;
  /** Entries [0, #active) are history (expired for us), kept a while to explain server usage. */
  readonly #ring = new TimeAmountRing();
  #active = 0;
  #sum = 0;
  /** Learned extra lifetime of entries: how much later than our send the server's window lets go. */
  #skewMs = 0;
  #skewChangedAt: number;

  constructor(windowMs: number, guardMs: number, now: number) {
    this.#windowMs = windowMs;
    this.#guardMs = guardMs;
    this.#skewChangedAt = now;
  }

  /** @unit milliseconds */
  get windowMs(): number {
    return this.#windowMs;
  }

  /** Learned skew between our send stamps and the server's admission stamps. @unit milliseconds */
  get skewMs(): number {
    return this.#skewMs;
  }

  /** A window learned shorter than configured (the skew cap follows it). */
  setWindowMs(windowMs: number): void {
    this.#windowMs = windowMs;
    this.#skewMs = Math.min(this.#skewMs, this.#maxSkewMs());
  }

  /** Amount inside the window at `now`. */
  used(now: number): number {
    this.#prune(now);
    return this.#sum;
  }

  /** Send time of the oldest entry inside the window at `now` (Infinity when empty). @unit milliseconds */
  oldestAt(now: number): number {
    this.#prune(now);
    return this.#active < this.#ring.length ? this.#ring.timeAt(this.#active) : Number.POSITIVE_INFINITY;
  }

  record(now: number, amount: number): void {
    this.#prune(now);
    this.#ring.push(now, amount);
    this.#sum += amount;
  }

  /** Earliest time ≥ now at which `need` fits under `budget`, as entries expire oldest first. */
  earliest(now: number, need: number, budget: number): number {
    this.#prune(now);
    if (this.#sum + need <= budget) return now;
    let freed = 0;
    const n = this.#ring.length;
    const life = this.#life();
    for (let i = this.#active; i < n; i++) {
      freed += this.#ring.amountAt(i);
      if (this.#sum - freed + need <= budget) return this.#ring.timeAt(i) + life;
    }
    return n === this.#active ? now : this.#ring.timeAt(n - 1) + life;
  }

  /**
   * Skew learning from `remaining-*` headers. The server counted `serverUsed` when it admitted a request
   * we sent at `sentAt`. The most of ours it may legitimately hold is every entry we still counted at
   * `sentAt` plus everything sent since (requests can overtake each other). If it holds more, and entries
   * we had let expire *just before* `sentAt` explain the excess, the server stamps later than we send
   * (network delay, a stalled client or server): our entries must live longer. Usage that no recent
   * entry explains is someone else's (other tenants) and is left to β. Follows up at once, decays by a
   * quarter per clean window.
   */
  observeServerUsage(serverUsed: number, budget: number, sentAt: number, now: number): UsageVerdict {
    if (!Number.isFinite(serverUsed)) return 'unknown';
    this.#prune(now);
    const tolerance = Math.max(2, budget * 0.005);
    const life = this.#life();
    let i = this.#active - 1;
    let ours = this.#sum;
    for (; i >= 0 && this.#ring.timeAt(i) + life > sentAt; i--) ours += this.#ring.amountAt(i);
    const excess = serverUsed - ours;
    if (excess <= tolerance) {
      if (this.#skewMs > 0 && now - this.#skewChangedAt >= this.#windowMs) {
        this.#skewMs = this.#skewMs < 1 ? 0 : this.#skewMs * SKEW_DECAY;
        this.#skewChangedAt = now;
      }
      return 'consistent';
    }
    let explained = 0;
    for (; i >= 0; i--) {
      const expiredAt = this.#ring.timeAt(i) + life;
      if (sentAt - expiredAt > this.#maxSkewMs()) return 'foreign';
      explained += this.#ring.amountAt(i);
      if (explained >= excess - tolerance) return this.#raiseSkew(now, sentAt - expiredAt);
    }
    return 'foreign';
  }

  /**
   * A quota 429 for a request booked at `sentAt` while the window had `room` left (after it): find how
   * much longer the entries that had just expired must have lived to use that room up. Within the cap
   * that is our own timing (requests leave in bursts and reach the server later than we stamp them) and
   * the skew is raised; beyond it the server counts usage we never sent (`foreign`).
   */
  learnFrom429(room: number, sentAt: number, now: number): UsageVerdict {
    this.#prune(now);
    if (room < 0) return 'skew'; // sent as debt or under an older, larger budget: nothing to learn
    const life = this.#life();
    let freed = 0;
    for (let i = this.#ring.length - 1; i >= 0; i--) {
      const expiredAt = this.#ring.timeAt(i) + life;
      if (expiredAt > sentAt) continue; // alive when the request was booked: already counted
      if (sentAt - expiredAt > this.#maxSkewMs()) return 'foreign';
      freed += this.#ring.amountAt(i);
      if (freed > room) return this.#raiseSkew(now, sentAt - expiredAt);
    }
    return 'foreign';
  }

  #maxSkewMs(): number {
    return this.#windowMs * MAX_SKEW_SHARE;
  }

  #life(): number {
    return this.#windowMs + Math.min(this.#guardMs, Math.max(GUARD_FLOOR_MS, this.#windowMs * GUARD_SHARE)) + this.#skewMs;
  }

  #prune(now: number): void {
    // the same expression as in `earliest`, so an entry is gone exactly at the time we promised
    const life = this.#life();
    const ring = this.#ring;
    while (this.#active < ring.length && ring.timeAt(this.#active) + life <= now) this.#sum -= ring.amountAt(this.#active++);
    if (this.#active === ring.length) this.#sum = 0; // resync: no float drift survives an empty window
    const keep = life + this.#maxSkewMs();
    while (this.#active > 0 && ring.timeAt(0) + keep <= now) {
      ring.shift();
      this.#active--;
    }
  }

  #raiseSkew(now: number, missingMs: number): 'skew' {
    const skewMs = Math.min(this.#maxSkewMs(), this.#skewMs + missingMs * SKEW_MARGIN + 1);
    if (skewMs <= this.#skewMs) return 'skew';
    this.#skewMs = skewMs;
    this.#skewChangedAt = now;
    const life = this.#life();
    // entries that are alive again under the longer lifetime count again
    while (this.#active > 0 && this.#ring.timeAt(this.#active - 1) + life > now) this.#sum += this.#ring.amountAt(--this.#active);
    return 'skew';
  }
}
