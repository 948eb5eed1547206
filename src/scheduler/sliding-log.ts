/**
 * The admission log behind a sliding-window mirror: (send time, amount) entries with a running sum of
 * those still inside the window, plus a short history of entries that just left it. The history lets
 * the log reconcile with the server (azure-v1-behaviour.md §12.4 stamps at *arrival*, we at *send*):
 * when the server still counts entries we let go, their lifetime is extended by a learned skew. What
 * neither our entries nor a short skew explain is another tenant's, booked in a foreign ledger that
 * counts against the budget like our own entries.
 */
import { ForeignLedger } from './foreign-ledger.ts';
import { TimeAmountRing } from './ring-deque.ts';

/**
 * How the server's count compares with ours: no more than we sent (`consistent`, requests may have
 * overtaken each other), more but explained by our own just-expired entries (`skew`), more than we can
 * explain (`foreign`: another tenant), or no way to tell (`unknown`).
 */
export type UsageVerdict = 'consistent' | 'skew' | 'foreign' | 'unknown';

/**
 * Largest learned skew: a share of the window, and at most max(1 s, 2 % of it). A real send → arrival
 * delay is network time and client stalls (≤ 132 ms learned in S1); a larger "skew" is almost always
 * another tenant's usage lining up with our own expirations, and learning it as skew made every entry
 * of ours live up to 15 s longer on a 60 s window (S3 stalled on it).
 */
const MAX_SKEW_SHARE = 0.25;
const MAX_SKEW_FLOOR_MS = 1_000;
const MAX_SKEW_WINDOW_SHARE = 0.02;
/** Learned skews are padded, and shrink by a quarter per window without new evidence. */
const SKEW_MARGIN = 1.25;
const SKEW_DECAY = 0.75;
/**
 * The expiry guard is at most this share of the window (but ≥ GUARD_FLOOR_MS): a fixed 250 ms is 0.4 % of
 * a 60 s window but 2.5 % of a 10 s one, paid on every entry; a real delay beyond it is learned as skew.
 */
const GUARD_SHARE = 0.01;
const GUARD_FLOOR_MS = 50;
/**
 * Admissions closer together than windowMs / COALESCE_SLOTS share one entry, stamped with the latest
 * of them: an amount then frees at most that much later than it would alone (15 ms on a 60 s window,
 * 0.24 ms on a 1 s one), never earlier, and a log holds at most ~2 × COALESCE_SLOTS entries per window
 * whatever the rate. Entry by entry, a 1,000 requests/s run held ~55k entries per log (history
 * included): 5.6 MB over 9 logs, the largest thing in the CLI's heap after two minutes.
 */
const COALESCE_SLOTS = 4096;
/** How many decisions late a `remaining-*` header may be (azure-v1-behaviour.md §13: "a request or two"). */
const LAG_DECISIONS = 2;
/**
 * A late count is allowed for only after a pause: when our request LAG_DECISIONS before was sent at
 * least this share of the window earlier (1.2 s of 60 s). In a steady stream what left the window and
 * what we sent cancel, but only on average: allowing for it there hid part of a real over-charge
 * (S11 on the virtual clock: 1.5-2.1 % quota 429s instead of 1.1-1.6 %).
 */
const LAG_PAUSE_SHARE = 0.02;
/** How many recent refusals' round trips cap the skew (noteRefusalRoundTrip): a slower network shows again within 8 429s. */
const REFUSAL_SAMPLES = 8;

export class SlidingLog {
  #windowMs: number;
  readonly #guard: number;
  /** Entries [0, #active) are history (expired for us), kept a while to explain server usage. */
  readonly #ring = new TimeAmountRing();
  #active = 0;
  #sum = 0;
  /** Learned extra lifetime of entries: how much later than our send the server's window lets go. */
  #skewMs = 0;
  #skewChangedAt: number;
  /** Round trips of the latest refusals (REFUSAL_SAMPLES), oldest first. @unit milliseconds */
  readonly #refusalRoundTrips: number[] = [];
  readonly #foreign = new ForeignLedger();
  /** Latest expiry of an entry dropped from history: our count at an earlier send time is unknown. */
  #forgottenUntil = Number.NEGATIVE_INFINITY;
  /** Time of the first admission merged into the newest entry (COALESCE_SLOTS). */
  #newestSince = Number.NEGATIVE_INFINITY;

  constructor(windowMs: number, guardMs: number, now: number) {
    this.#windowMs = windowMs;
    this.#guard = guardMs;
    this.#skewChangedAt = now;
  }

  /** @unit milliseconds */
  get windowMs(): number {
    return this.#windowMs;
  }

  /** Entries held, history included (admissions merge, see COALESCE_SLOTS). */
  get entryCount(): number {
    return this.#ring.length;
  }

  /** Learned skew between our send stamps and the server's admission stamps. @unit milliseconds */
  get skewMs(): number {
    return this.#skewMs;
  }

  /**
   * A request sent `roundTripMs` ago was refused (a quota 429, or a capacity 429 before admission). It
   * had reached the server before the server answered it, so its send → arrival delay was at most this
   * round trip, and a 429 comes back without generating anything: the round trip is close to twice the
   * network delay. The skew (how much later than our send the server stamps) is capped by the longest
   * of the latest REFUSAL_SAMPLES round trips. Without it, a server whose charge varies per request
   * (S11: ±10 %) showed excesses that our just-expired entries "explained", and the skew climbed to its
   * 1.2 s cap on a 30 ms network: every entry of ours lived 1.2 s longer, ~2 % of each window unused.
   * Those excesses are now booked as foreign usage, which leaves when the window has passed.
   */
  noteRefusalRoundTrip(roundTripMs: number): void {
    const samples = this.#refusalRoundTrips;
    samples.push(Math.max(0, roundTripMs));
    if (samples.length > REFUSAL_SAMPLES) samples.shift();
    this.#skewMs = Math.min(this.#skewMs, this.#maxSkewMs());
  }

  /** A window learned shorter than configured (the skew cap follows it). */
  setWindowMs(windowMs: number): void {
    this.#windowMs = windowMs;
    this.#skewMs = Math.min(this.#skewMs, this.#maxSkewMs());
  }

  /** Amount inside the window at `now`: ours and what the foreign ledger holds. */
  used(now: number): number {
    this.#prune(now);
    return this.#sum + this.#foreign.used(now, this.#life());
  }

  /** Our own part of `used` (without the foreign ledger). */
  ownUsed(now: number): number {
    this.#prune(now);
    return this.#sum;
  }

  /** What the foreign ledger holds at `now`: the part of `used` that is not ours. */
  foreignUsed(now: number): number {
    return this.#foreign.used(now, this.#life());
  }

  /** Send time of the oldest entry inside the window at `now` (Infinity when empty). @unit milliseconds */
  oldestAt(now: number): number {
    this.#prune(now);
    return this.#active < this.#ring.length ? this.#ring.timeAt(this.#active) : Number.POSITIVE_INFINITY;
  }

  record(now: number, amount: number): void {
    this.#prune(now);
    const ring = this.#ring;
    // Merge only into an entry still inside the window (its amount is in #sum), and only within one
    // quantum of that entry's first admission, so merged entries cannot chain forward.
    if (this.#active < ring.length && now - this.#newestSince < this.#windowMs / COALESCE_SLOTS) ring.addToNewest(now, amount);
    else {
      ring.push(now, amount);
      this.#newestSince = now;
    }
    this.#sum += amount;
  }

  /**
   * A request booked at `at` was refused with a 429 (quota, or capacity before admission): the server
   * never counted it (azure-v1-behaviour.md §3: a 429 consumes neither window), so its amount leaves our
   * log too. Kept, it held room the server never spent for a whole window (S3's pool on the virtual
   * clock, seed 2: 0.900 of its bound with it, 0.963 without). Admissions
   * merge into the entry stamped last (COALESCE_SLOTS), so the booking is in the first entry stamped at
   * or after `at`. If the server did count it after all, the next `remaining-*` shows the excess and
   * the foreign ledger books it back.
   */
  refund(at: number, amount: number, now: number): void {
    this.#prune(now);
    let i = this.#ring.length;
    while (i > 0 && this.#ring.timeAt(i - 1) >= at) i--;
    if (i === this.#ring.length) return; // forgotten already
    const taken = this.#ring.takeFrom(i, amount);
    if (i >= this.#active) this.#sum = Math.max(0, this.#sum - taken);
  }

  /**
   * Earliest time ≥ now at which `need` fits under `budget`, as entries expire oldest first (ours and
   * the foreign ledger's, merged by stamp: both live `#life()`).
   */
  earliest(now: number, need: number, budget: number): number {
    this.#prune(now);
    const life = this.#life();
    const foreign = this.#foreign;
    const total = this.#sum + foreign.used(now, life);
    if (total + need <= budget) return now;
    let freed = 0;
    const n = this.#ring.length;
    const m = foreign.length;
    let i = this.#active;
    let j = 0;
    let last = now;
    while (i < n || j < m) {
      const ours = i < n ? this.#ring.timeAt(i) : Number.POSITIVE_INFINITY;
      const theirs = j < m ? foreign.timeAt(j) : Number.POSITIVE_INFINITY;
      if (ours <= theirs) {
        freed += this.#ring.amountAt(i++);
        last = ours + life;
      } else {
        freed += foreign.amountAt(j++);
        last = theirs + life;
      }
      if (total - freed + need <= budget) return last;
    }
    return last;
  }

  /**
   * Learning from `remaining-*` headers. The server counted `serverUsed` when it admitted a request we
   * sent at `sentAt`. Our best estimate of what it held of ours then is what we sent within its window
   * before `sentAt` (a guard for arrival delay) and up to a guard after it (requests overtake each other
   * by network jitter, not by seconds). The excess over that and the foreign ledger is
   *  - our timing if entries we had already let expire *just before* `sentAt` explain it (the server
   *    stamps later than we send: network delay, a stalled client or server): the skew rises, within
   *    its cap;
   *  - otherwise usage we did not send: another tenant, or a server that charges more than we estimate
   *    (S11: +3 %). It is booked in the foreign ledger.
   * Entries our mirror still holds at `sentAt` (our guard and skew keep them past the server's window)
   * never explain an excess: they leave our window soon, and the excess stays. Counting them, as this
   * did until 5 Dec with "everything we still held plus everything sent since", hid a server charging
   * 3 % more behind our own guard and skew on every response, so nothing was booked; the mirror fell 3 %
   * short of the server's count whenever its own extra life held nothing, and one request in 30 drew a
   * quota 429 (2.6-3.5 % on the virtual clock, 1.1-1.6 % now, 6 seeds).
   * A response that shows the server still holds what the ledger booked renews those bookings
   * (ForeignLedger.renew), so a steady excess does not drop out one life after it was first seen.
   * Follows up at once; the skew decays by a quarter per clean window.
   */
  observeServerUsage(serverUsed: number, budget: number, sentAt: number, now: number): UsageVerdict {
    if (!Number.isFinite(serverUsed)) return 'unknown';
    this.#prune(now);
    if (this.#forgottenUntil > sentAt) return 'unknown'; // a request older than our history: cannot tell
    const tolerance = Math.max(2, budget * 0.005);
    const life = this.#life();
    const guard = this.#guardMs();
    const ring = this.#ring;
    // The server let go of ours sent at or before `heldFrom`; it cannot have counted ours sent after `heldTo`.
    const heldFrom = sentAt - this.#windowMs - guard;
    const heldTo = sentAt + guard;
    let ours = this.#sum;
    for (let k = ring.length - 1; k >= this.#active && ring.timeAt(k) > heldTo; k--) ours -= ring.amountAt(k);
    for (let k = this.#active; k < ring.length && ring.timeAt(k) <= heldFrom; k++) ours -= ring.amountAt(k);
    let i = this.#active - 1;
    while (i >= 0 && ring.timeAt(i) > heldTo) i--; // a response more than a window late: sent after it
    for (; i >= 0 && ring.timeAt(i) > heldFrom; i--) ours += ring.amountAt(i);
    ours += this.#lagAllowance(sentAt, guard);
    const unexplained = serverUsed - ours;
    const foreign = this.#foreign.usedAt(sentAt, now, life);
    if (unexplained > tolerance && foreign > 0) this.#foreign.renew(sentAt, Math.min(foreign, unexplained));
    const excess = unexplained - foreign;
    if (excess <= tolerance) {
      if (this.#skewMs > 0 && now - this.#skewChangedAt >= this.#windowMs) {
        this.#skewMs = this.#skewMs < 1 ? 0 : this.#skewMs * SKEW_DECAY;
        this.#skewChangedAt = now;
      }
      return 'consistent';
    }
    let explained = 0;
    const headroom = this.#skewHeadroomMs();
    for (; i >= 0; i--) {
      const expiredAt = ring.timeAt(i) + life;
      if (expiredAt > sentAt) continue; // still in our window at `sentAt`: see above
      if (sentAt - expiredAt > headroom) break;
      explained += ring.amountAt(i);
      if (explained >= excess - tolerance) return this.#raiseSkew(now, sentAt - expiredAt);
    }
    this.#foreign.add(sentAt, excess);
    return 'foreign';
  }

  /**
   * How much more of ours a `remaining-*` that is LAG_DECISIONS decisions late may still count than our
   * estimate at `sentAt`: at the send time of our request that many before it, the server also held
   * what has left its window since, and not what we sent since. In a steady stream the two cancel
   * (each request takes the room one that left); after a pause the first is seconds of requests. At
   * S11's window turns, after a 429's pause, such counts showed one-off excesses of 5-9k that were
   * booked as a tenant's usage and held a member to 85-90 % of its window until they expired.
   */
  #lagAllowance(sentAt: number, guard: number): number {
    const ring = this.#ring;
    // entries [0, upTo) were sent by sentAt + guard, [0, before) before sentAt: one walk back over the tail
    let upTo = ring.length;
    while (upTo > 0 && ring.timeAt(upTo - 1) > sentAt + guard) upTo--;
    let before = upTo;
    while (before > 0 && ring.timeAt(before - 1) >= sentAt) before--;
    if (before < LAG_DECISIONS) return 0;
    const earlier = ring.timeAt(before - LAG_DECISIONS);
    if (sentAt - earlier < this.#windowMs * LAG_PAUSE_SHARE) return 0; // a steady stream: see above
    let sent = 0; // ours sent in (earlier + guard, sentAt + guard]
    for (let k = upTo; k > 0 && ring.timeAt(k - 1) > earlier + guard; k--) sent += ring.amountAt(k - 1);
    // ours that left the server's window in (earlier, sentAt]: sent in (earlier − W − guard, sentAt − W − guard]
    const leftBy = sentAt - this.#windowMs - guard;
    const leftAfter = earlier - this.#windowMs - guard;
    let j = this.#active;
    while (j < ring.length && ring.timeAt(j) <= leftBy) j++;
    while (j > 0 && ring.timeAt(j - 1) > leftBy) j--;
    let left = 0;
    for (; j > 0 && ring.timeAt(j - 1) > leftAfter; j--) left += ring.amountAt(j - 1);
    return Math.max(0, left - sent);
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
    const headroom = this.#skewHeadroomMs();
    for (let i = this.#ring.length - 1; i >= 0; i--) {
      const expiredAt = this.#ring.timeAt(i) + life;
      if (expiredAt > sentAt) continue; // alive when the request was booked: already counted
      if (sentAt - expiredAt > headroom) return 'foreign';
      freed += this.#ring.amountAt(i);
      if (freed > room) return this.#raiseSkew(now, sentAt - expiredAt);
    }
    return 'foreign';
  }

  /**
   * How much further the skew may rise. An excess that only a skew past the cap would explain is not
   * our timing: with the skew at its cap, a server charging 3 % more than we estimate (S11) was still
   * 'explained' as skew on every response and nothing was booked, so our mirror filled every window to
   * the budget in our units, 3 % past the server's (3.9–4.5 % quota 429s on the virtual clock, 2.8–3.5 %
   * since).
   */
  #skewHeadroomMs(): number {
    return Math.max(0, this.#maxSkewMs() - this.#skewMs);
  }

  #maxSkewMs(): number {
    const cap = Math.min(this.#windowMs * MAX_SKEW_SHARE, Math.max(MAX_SKEW_FLOOR_MS, this.#windowMs * MAX_SKEW_WINDOW_SHARE));
    const samples = this.#refusalRoundTrips;
    if (samples.length === 0) return cap;
    let longest = 0;
    for (const rtt of samples) if (rtt > longest) longest = rtt;
    return Math.min(cap, longest);
  }

  #life(): number {
    return this.#windowMs + this.#guardMs() + this.#skewMs;
  }

  /** The expiry guard actually applied (GUARD_SHARE). @unit milliseconds */
  #guardMs(): number {
    return Math.min(this.#guard, Math.max(GUARD_FLOOR_MS, this.#windowMs * GUARD_SHARE));
  }

  #prune(now: number): void {
    // the same expression as in `earliest`, so an entry is gone exactly at the time we promised
    const life = this.#life();
    const ring = this.#ring;
    while (this.#active < ring.length && ring.timeAt(this.#active) + life <= now) this.#sum -= ring.amountAt(this.#active++);
    if (this.#active === ring.length) this.#sum = 0; // resync: no float drift survives an empty window
    // History outlives the window by another window: a response answers a request sent up to a request's
    // latency ago, and `observeServerUsage` must still see every entry that was alive then.
    const keep = life + this.#windowMs;
    while (this.#active > 0 && ring.timeAt(0) + keep <= now) {
      this.#forgottenUntil = Math.max(this.#forgottenUntil, ring.timeAt(0) + life);
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
