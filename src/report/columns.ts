/**
 * Growable numeric columns for the summary fold. A run of 100k rows × 3 targets folds 300k cells; as JS
 * objects and arrays of boxed numbers each cell cost hundreds of bytes, and V8 keeps several times the
 * live heap around at the fold's allocation rate. A column holds one value in 4 or 8 bytes, grows by
 * half its size, and is read through a typed-array view (every statistic takes `ArrayLike<number>`).
 *
 * Values are stored exactly: a column starts as Int32 and switches to Float64 the first time a value
 * is not a 32-bit integer (a fraction, NaN, ±Infinity, −0 or a large number), copying what it holds.
 */

const INITIAL_CAPACITY = 64;

export class NumberColumn {
  #data: Int32Array | Float64Array = new Int32Array(INITIAL_CAPACITY);
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(value: number): void {
    let data = this.#data;
    if (data instanceof Int32Array && !isInt32(value)) data = this.#data = Float64Array.from(data);
    if (this.#length === data.length) data = this.#grow();
    data[this.#length++] = value;
  }

  at(index: number): number {
    return this.#data[index]!;
  }

  /** Replaces the value at `index` (< length). */
  set(index: number, value: number): void {
    if (this.#data instanceof Int32Array && !isInt32(value)) this.#data = Float64Array.from(this.#data);
    this.#data[index] = value;
  }

  /** The values so far (a view: later pushes may reallocate, so read it before pushing again). */
  view(): Int32Array | Float64Array {
    return this.#data.subarray(0, this.#length);
  }

  /** Drops every value and the storage. */
  clear(): void {
    this.#data = new Int32Array(INITIAL_CAPACITY);
    this.#length = 0;
  }

  #grow(): Int32Array | Float64Array {
    const old = this.#data;
    const grown =
      old instanceof Int32Array ? new Int32Array(old.length + (old.length >> 1)) : new Float64Array(old.length + (old.length >> 1));
    grown.set(old);
    this.#data = grown;
    return grown;
  }
}

/** A growable Int32 array indexed by position, zero where never set (e.g. a cell number → slot map). */
export class IntTable {
  #data = new Int32Array(INITIAL_CAPACITY);

  get(index: number): number {
    return index < this.#data.length ? this.#data[index]! : 0;
  }

  set(index: number, value: number): void {
    if (index >= this.#data.length) {
      let size = this.#data.length;
      while (size <= index) size += size >> 1;
      const grown = new Int32Array(size);
      grown.set(this.#data);
      this.#data = grown;
    }
    this.#data[index] = value;
  }
}

function isInt32(value: number): boolean {
  // −0 is not stored as an integer: it would come back as +0.
  return (value | 0) === value && (value !== 0 || 1 / value > 0);
}
