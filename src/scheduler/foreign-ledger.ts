/**
 * Usage an unseen tenant holds in a server window, as a sliding log of its own (scheduler-design.md
 * §5.3, "other tenants"). The server's `remaining-*` tells us how much it counts; whatever our own log
 * and a short skew cannot explain is someone else's. It is booked here, stamped when we saw it: the
 * tenant's real admissions were no later, so they leave the server's window no later than ours leave
 * this log, and the mirror never admits into room the tenant still holds. The ledger only tops up to
 * the largest excess seen, so a steady tenant is counted once, not once per response that shows it.
 */
import { TimeAmountRing } from './ring-deque.ts';

export class ForeignLedger {
  readonly #ring = new TimeAmountRing(16);
  #sum = 0;

  /** Foreign amount still alive at `now` for entries living `lifeMs`. */
  used(now: number, lifeMs: number): number {
    this.#prune(now, lifeMs);
    return this.#sum;
  }

  /**
   * Foreign amount alive at `at` (what the server held then, as far as we know). Entries booked after
   * `at` count too: responses arrive out of order by a few seconds, and booking the same usage twice
   * would hold room the tenant never took.
   */
  usedAt(at: number, now: number, lifeMs: number): number {
    this.#prune(now, lifeMs);
    let sum = 0;
    for (let i = 0; i < this.#ring.length; i++) {
      const t = this.#ring.timeAt(i);
      if (t + lifeMs > at) sum += this.#ring.amountAt(i);
    }
    return sum;
  }

  /** Books `amount` of foreign usage seen at `at` (kept in stamp order: never earlier than the last entry). */
  add(at: number, amount: number): void {
    if (!(amount > 0)) return;
    const last = this.#ring.length > 0 ? this.#ring.timeAt(this.#ring.length - 1) : Number.NEGATIVE_INFINITY;
    this.#ring.push(Math.max(at, last), amount);
    this.#sum += amount;
  }

  /**
   * The server still held `amount` of foreign usage at `at`: what is booked at or after `at` is topped
   * up to it from the latest bookings before `at`, moved to `at`. A tenant that keeps sending, or a
   * server that keeps charging more than we estimate, is then not dropped one life after it was first
   * seen and re-learned from a 429 (S11 drew one quota 429 per window and member at that edge). Taking
   * the latest first lets an older booking that no response shows any more leave one life after it was
   * made: taken oldest first, a one-off excess of 7k was passed along by every later response (S11 seed
   * 3 on the virtual clock held it for 11 windows, its member filling 93 % of each).
   */
  renew(at: number, amount: number): void {
    let held = 0;
    let i = this.#ring.length - 1;
    for (; i >= 0 && this.#ring.timeAt(i) >= at; i--) held += this.#ring.amountAt(i);
    let left = amount - held;
    if (!(left > 0)) return;
    for (; i >= 0 && left > 0; i--) left -= this.#ring.takeFrom(i, left);
    const moved = amount - held - left;
    if (!(moved > 0)) return;
    this.#sum -= moved;
    this.add(at, moved);
  }

  /** Entries alive at the last prune, oldest first (for the mirror's merged expiry walk). */
  get length(): number {
    return this.#ring.length;
  }

  timeAt(i: number): number {
    return this.#ring.timeAt(i);
  }

  amountAt(i: number): number {
    return this.#ring.amountAt(i);
  }

  #prune(now: number, lifeMs: number): void {
    while (this.#ring.length > 0 && this.#ring.timeAt(0) + lifeMs <= now) this.#sum -= this.#ring.shift();
    if (this.#ring.length === 0) this.#sum = 0;
  }
}
