/**
 * A growable ring-buffer deque: O(1) amortised push/pop at both ends, no per-operation allocation.
 * Used for each lane's ready queue, where retries re-enter at the head and new items at the tail.
 */
export class RingDeque<T> {
  #slots: (T | undefined)[];
  #head = 0;
  #size = 0;

  constructor(initialCapacity = 16) {
    let capacity = 1;
    while (capacity < initialCapacity) capacity *= 2;
    this.#slots = new Array<T | undefined>(capacity);
  }

  get length(): number {
    return this.#size;
  }

  pushBack(value: T): void {
    if (this.#size === this.#slots.length) this.#grow();
    this.#slots[(this.#head + this.#size) & (this.#slots.length - 1)] = value;
    this.#size++;
  }

  pushFront(value: T): void {
    if (this.#size === this.#slots.length) this.#grow();
    this.#head = (this.#head - 1) & (this.#slots.length - 1);
    this.#slots[this.#head] = value;
    this.#size++;
  }

  peekFront(): T | undefined {
    return this.#size === 0 ? undefined : this.#slots[this.#head];
  }

  /** The `i`-th value from the front (0 = front). */
  at(i: number): T | undefined {
    return i < 0 || i >= this.#size ? undefined : this.#slots[(this.#head + i) & (this.#slots.length - 1)];
  }

  /** Removes and returns the `i`-th value from the front, keeping the order of the others. O(i). */
  removeAt(i: number): T | undefined {
    if (i < 0 || i >= this.#size) return undefined;
    const mask = this.#slots.length - 1;
    const value = this.#slots[(this.#head + i) & mask];
    for (let k = i; k > 0; k--) this.#slots[(this.#head + k) & mask] = this.#slots[(this.#head + k - 1) & mask];
    this.#slots[this.#head] = undefined;
    this.#head = (this.#head + 1) & mask;
    this.#size--;
    return value;
  }

  popFront(): T | undefined {
    if (this.#size === 0) return undefined;
    const value = this.#slots[this.#head];
    this.#slots[this.#head] = undefined; // let the item be collected
    this.#head = (this.#head + 1) & (this.#slots.length - 1);
    this.#size--;
    return value;
  }

  #grow(): void {
    const old = this.#slots;
    const next = new Array<T | undefined>(old.length * 2);
    for (let i = 0; i < this.#size; i++) next[i] = old[(this.#head + i) & (old.length - 1)];
    this.#slots = next;
    this.#head = 0;
  }
}

/** A ring of (time, amount) pairs in typed arrays: the admission log behind a sliding-window mirror. */
export class TimeAmountRing {
  #times: Float64Array;
  #amounts: Float64Array;
  #head = 0;
  #size = 0;

  constructor(initialCapacity = 64) {
    let capacity = 1;
    while (capacity < initialCapacity) capacity *= 2;
    this.#times = new Float64Array(capacity);
    this.#amounts = new Float64Array(capacity);
  }

  get length(): number {
    return this.#size;
  }

  push(time: number, amount: number): void {
    if (this.#size === this.#times.length) this.#grow();
    const slot = (this.#head + this.#size) & (this.#times.length - 1);
    this.#times[slot] = time;
    this.#amounts[slot] = amount;
    this.#size++;
  }

  /** Adds `amount` to the newest entry (there must be one) and moves its time to `time`. */
  addToNewest(time: number, amount: number): void {
    const slot = (this.#head + this.#size - 1) & (this.#times.length - 1);
    this.#times[slot] = time;
    this.#amounts[slot] = (this.#amounts[slot] as number) + amount;
  }

  /** Time of the i-th oldest entry (0 = oldest). */
  timeAt(i: number): number {
    return this.#times[(this.#head + i) & (this.#times.length - 1)] as number;
  }

  amountAt(i: number): number {
    return this.#amounts[(this.#head + i) & (this.#amounts.length - 1)] as number;
  }

  /** Takes up to `amount` off the i-th oldest entry; returns what was taken (an entry never goes below 0). */
  takeFrom(i: number, amount: number): number {
    const slot = (this.#head + i) & (this.#amounts.length - 1);
    const taken = Math.min(amount, this.#amounts[slot] as number);
    this.#amounts[slot] = (this.#amounts[slot] as number) - taken;
    return taken;
  }

  /** Drops the oldest entry and returns its amount. */
  shift(): number {
    const amount = this.#amounts[this.#head] as number;
    this.#head = (this.#head + 1) & (this.#times.length - 1);
    this.#size--;
    return amount;
  }

  clear(): void {
    this.#head = 0;
    this.#size = 0;
  }

  #grow(): void {
    const capacity = this.#times.length * 2;
    const times = new Float64Array(capacity);
    const amounts = new Float64Array(capacity);
    for (let i = 0; i < this.#size; i++) {
      times[i] = this.timeAt(i);
      amounts[i] = this.amountAt(i);
    }
    this.#times = times;
    this.#amounts = amounts;
    this.#head = 0;
  }
}
