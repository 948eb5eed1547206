/**
 * The pause of one deployment after quota 429s: nothing new is sent before `until`. Counts paused time
 * as the union of overlapping pauses, and how many unexplained 429s arrived in the current episode (for
 * the storm guard).
 */
export class Pause {
  #until = 0;
  #pausedMs = 0;
  #episode429s = 0;

  /** @unit milliseconds (clock time) */
  get until(): number {
    return this.#until;
  }

  /** Extends the pause to `until` (never shortens it). */
  extend(now: number, until: number): void {
    if (now >= this.#until) {
      this.#episode429s = 0;
      this.#pausedMs += Math.max(0, until - now);
    } else if (until > this.#until) {
      this.#pausedMs += until - this.#until;
    }
    if (until > this.#until) this.#until = until;
  }

  /** Counts an unexplained quota 429 in the current episode; returns the count. */
  countUnexplained(): number {
    return ++this.#episode429s;
  }

  /** Paused time up to `end` (the part of the last pause after `end` excluded). @unit milliseconds */
  pausedMs(end: number): number {
    return this.#pausedMs - Math.max(0, this.#until - end);
  }
}
