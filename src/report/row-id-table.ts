/**
 * Row ids numbered in first-seen order, held in typed arrays: the ids' UTF-16 code units end to end in
 * one growable array, where each id starts, and an open-addressing hash table of row numbers. About
 * 2 bytes a character plus ~14 bytes a row, where a Map<string, number> and an array of the strings
 * held ~55 bytes a row more on the heap (100k rows × 3 targets, heap snapshots, 4 Dec: row-id strings
 * 2 MB, the Map's and array's backing stores 3 MB), and V8 keeps half as much again around.
 * An id is rebuilt as a string on demand (the report's last step, once per cell read).
 */

const INITIAL_ROWS = 64;
/** The hash table is at most half full, so a probe sequence stays short. */
const MAX_LOAD = 0.5;
/** String.fromCharCode takes its code units as arguments: rebuild long ids in chunks this size. */
const CHUNK = 8_192;

export class RowIdTable {
  /** Code units of every id, end to end. */
  #chars = new Uint16Array(INITIAL_ROWS * 8);
  #charCount = 0;
  /** Row number → start of its id in #chars; the id ends where the next starts (or at #charCount). */
  #starts = new Int32Array(INITIAL_ROWS);
  #count = 0;
  /** Open addressing, linear probing: row number + 1, 0 for an empty slot. Length is a power of two. */
  #slots = new Int32Array(INITIAL_ROWS * 2);

  /** Rows numbered so far. */
  get size(): number {
    return this.#count;
  }

  /** The row number of `id`, or undefined when it was never added. */
  find(id: string): number | undefined {
    const entry = this.#slots[this.#slotOf(id)]!;
    return entry === 0 ? undefined : entry - 1;
  }

  /** The row number of `id`, assigned (the next number) on first sight. */
  add(id: string): number {
    const slot = this.#slotOf(id);
    const entry = this.#slots[slot]!;
    if (entry !== 0) return entry - 1;
    const row = this.#count;
    this.#append(id);
    this.#slots[slot] = row + 1;
    if (this.#count > this.#slots.length * MAX_LOAD) this.#rehash();
    return row;
  }

  /** The id of row `row` (< size), as a new string. */
  id(row: number): string {
    const start = this.#starts[row]!;
    const end = this.#end(row);
    const chars = this.#chars;
    if (end - start <= CHUNK) return String.fromCharCode.apply(null, chars.subarray(start, end) as unknown as number[]);
    let id = '';
    for (let at = start; at < end; at += CHUNK)
      id += String.fromCharCode.apply(null, chars.subarray(at, Math.min(end, at + CHUNK)) as unknown as number[]);
    return id;
  }

  /** The slot holding `id`'s row, or the empty slot where it would go. */
  #slotOf(id: string): number {
    const mask = this.#slots.length - 1;
    for (let slot = hash(id) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.#slots[slot]!;
      if (entry === 0 || this.#equals(entry - 1, id)) return slot;
    }
  }

  /** Where row `row`'s id ends in #chars: where the next starts, or at #charCount for the last. */
  #end(row: number): number {
    return row + 1 < this.#count ? this.#starts[row + 1]! : this.#charCount;
  }

  #equals(row: number, id: string): boolean {
    const start = this.#starts[row]!;
    const end = this.#end(row);
    if (end - start !== id.length) return false;
    const chars = this.#chars;
    for (let i = 0; i < id.length; i++) if (chars[start + i] !== id.charCodeAt(i)) return false;
    return true;
  }

  #append(id: string): void {
    if (this.#count === this.#starts.length) {
      const starts = new Int32Array(grownLength(this.#starts.length, this.#count + 1));
      starts.set(this.#starts);
      this.#starts = starts;
    }
    if (this.#charCount + id.length > this.#chars.length) {
      const chars = new Uint16Array(grownLength(this.#chars.length, this.#charCount + id.length));
      chars.set(this.#chars);
      this.#chars = chars;
    }
    this.#starts[this.#count++] = this.#charCount;
    const chars = this.#chars;
    for (let i = 0; i < id.length; i++) chars[this.#charCount + i] = id.charCodeAt(i);
    this.#charCount += id.length;
  }

  #rehash(): void {
    const slots = new Int32Array(this.#slots.length * 2);
    const mask = slots.length - 1;
    for (let row = 0; row < this.#count; row++) {
      let slot = hashUnits(this.#chars, this.#starts[row]!, this.#end(row)) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = row + 1;
    }
    this.#slots = slots;
  }
}

/** FNV-1a over the code units, then a final avalanche (ids like r1, r2, … differ only in their last units). */
function hash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return avalanche(h);
}

/** `hash` of the id stored in units [start, end). */
function hashUnits(units: Uint16Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ units[i]!, 0x01000193);
  return avalanche(h);
}

function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** A length of at least `needed`, grown from `length` by half at a time (as columns.ts). */
function grownLength(length: number, needed: number): number {
  let size = length;
  while (size < needed) size += size >> 1;
  return size;
}
