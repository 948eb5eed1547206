/**
 * Growable numeric columns for the summary fold. A run of 100k rows × 3 targets folds 300k cells; as JS
 * objects and arrays of boxed numbers each cell cost hundreds of bytes, and V8 keeps several times the
 * live heap around at the fold's allocation rate. A column holds one value in 1 to 8 bytes, grows by
 * half its size, and is read through a typed-array view (every statistic takes `ArrayLike<number>`).
 *
 * Values are stored exactly, in the narrowest storage that holds every value so far: Int8, then
 * Int16, Int32 and Float64 (a fraction, NaN, ±Infinity, −0 or a large number), widening by one copy
 * the first time a value does not fit. Flags, target and repeat numbers and token counts of short
 * answers take one or two bytes instead of four.
 */

const INITIAL_CAPACITY = 64;

type Storage = Int8Array | Int16Array | Int32Array | Float64Array;
/** Storage types from narrowest to widest, and the integer range each holds (Float64: any number). */
const WIDTHS: readonly (new (length: number) => Storage)[] = [Int8Array, Int16Array, Int32Array, Float64Array];
const INT_RANGES: readonly (readonly [number, number])[] = [
  [-(2 ** 7), 2 ** 7 - 1],
  [-(2 ** 15), 2 ** 15 - 1],
  [-(2 ** 31), 2 ** 31 - 1],
];

export class NumberColumn {
  #data: Storage = new Int8Array(INITIAL_CAPACITY);
  /** Index of #data's type in WIDTHS. */
  #width = 0;
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(value: number): void {
    let data = this.#data;
    if (!fits(this.#width, value)) data = this.#widen(value);
    if (this.#length === data.length) data = this.#grow();
    data[this.#length++] = value;
  }

  at(index: number): number {
    return this.#data[index]!;
  }

  /** Replaces the value at `index` (< length). */
  set(index: number, value: number): void {
    if (!fits(this.#width, value)) this.#widen(value);
    this.#data[index] = value;
  }

  /** The values so far (a view: later pushes may reallocate, so read it before pushing again). */
  view(): Storage {
    return this.#data.subarray(0, this.#length);
  }

  /** Drops every value and the storage. */
  clear(): void {
    this.#data = new Int8Array(INITIAL_CAPACITY);
    this.#width = 0;
    this.#length = 0;
  }

  /** Copies into the narrowest storage, wider than the present one, that also holds `value`. */
  #widen(value: number): Storage {
    const old = this.#data;
    let width = this.#width + 1;
    while (!fits(width, value)) width++;
    const wide = new WIDTHS[width]!(old.length);
    wide.set(old);
    this.#data = wide;
    this.#width = width;
    return wide;
  }

  #grow(): Storage {
    const old = this.#data;
    const grown = new WIDTHS[this.#width]!(old.length + (old.length >> 1));
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

/** Whether storage of this width (index in WIDTHS) holds `value` exactly. */
function fits(width: number, value: number): boolean {
  const range = INT_RANGES[width];
  return range === undefined || (isInt32(value) && value >= range[0] && value <= range[1]);
}

function isInt32(value: number): boolean {
  // −0 is not stored as an integer: it would come back as +0.
  return (value | 0) === value && (value !== 0 || 1 / value > 0);
}
