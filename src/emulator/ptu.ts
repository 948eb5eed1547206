/**
 * Provisioned (PTU) admission, §8: a utilisation bucket U in input-token equivalents that drains at
 * C per window (C = PTU × input TPM per PTU). Admission checks U before adding, so brief bursts above
 * 100 % are allowed; after completion the estimate is corrected by (actual − estimate).
 */

export class PtuBucket {
  #u = 0;
  #last: number | undefined;

  /** `capacity` = C (per `windowMs`, normally 60 s). Returns the wait in ms, or 0 when admitted. */
  admit(now: number, cost: number, capacity: number, windowMs: number): { admitted: boolean; waitMs: number; utilization: number } {
    this.#drain(now, capacity, windowMs);
    if (this.#u >= capacity) {
      const rate = capacity / windowMs; // per ms
      return { admitted: false, waitMs: Math.max(1, (this.#u - capacity) / rate), utilization: this.#u / capacity };
    }
    this.#u += cost;
    return { admitted: true, waitMs: 0, utilization: this.#u / capacity };
  }

  correct(now: number, delta: number, capacity: number, windowMs: number): void {
    this.#drain(now, capacity, windowMs);
    this.#u = Math.max(0, this.#u + delta);
  }

  utilization(now: number, capacity: number, windowMs: number): number {
    this.#drain(now, capacity, windowMs);
    return this.#u / capacity;
  }

  clear(): void {
    this.#u = 0;
    this.#last = undefined;
  }

  #drain(now: number, capacity: number, windowMs: number): void {
    if (this.#last !== undefined && now > this.#last) this.#u = Math.max(0, this.#u - ((now - this.#last) * capacity) / windowMs);
    this.#last = this.#last === undefined ? now : Math.max(this.#last, now);
  }
}
