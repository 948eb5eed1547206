/**
 * β, the budget multiplier for usage the client cannot see (other tenants or processes on the same
 * quota; scheduler-design.md §5.3): × 0.9 per unexplained quota 429 (at most once per cooldown), floor
 * 0.5; + 0.02 per clean window, and + 0.02 per tenth of a window while the server's own count shows no
 * foreign usage.
 */
import { betaTuning } from './defaults.ts';

export class BudgetMultiplier {
  #value = 1;
  #cleanSince: number;
  #lastCut = Number.NEGATIVE_INFINITY;
  #lastRaise = Number.NEGATIVE_INFINITY;
  readonly #cooldownMs: number;

  constructor(cooldownMs: number, now: number) {
    this.#cooldownMs = cooldownMs;
    this.#cleanSince = now;
  }

  /** Current β after window-based recovery up to `now`, in [0.5, 1]. */
  value(now: number, windowMs: number): number {
    if (this.#value < 1) {
      const windows = Math.floor((now - this.#cleanSince) / windowMs);
      if (windows >= 1) {
        this.#value = Math.min(1, this.#value + betaTuning.recoveryPerWindow * windows);
        this.#cleanSince += windows * windowMs;
      }
    }
    return this.#value;
  }

  /** The last value, without recovery (snapshots). */
  get current(): number {
    return this.#value;
  }

  /** An unexplained quota 429. */
  cut(now: number): void {
    if (now - this.#lastCut >= this.#cooldownMs) {
      this.#value = Math.max(betaTuning.floor, this.#value * betaTuning.cut);
      this.#lastCut = now;
    }
    this.#cleanSince = now;
  }

  /** The server counts no more than we sent: nobody else uses the quota right now. */
  evidenceOfNoForeignUsage(now: number, windowMs: number): void {
    if (this.#value >= 1 || now - this.#lastRaise < windowMs / 10) return;
    this.#value = Math.min(1, this.#value + betaTuning.recoveryPerWindow);
    this.#lastRaise = now;
  }
}
