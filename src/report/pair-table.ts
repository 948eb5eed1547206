/**
 * One target's (row, repeat) entries for pairing and quality statistics, in columns: the cell number
 * (cell-index.ts) of each entry in first-seen order, its verdict and its score. About 13 bytes a cell
 * instead of a key string, a Map entry and an object. A later record of the same cell replaces the
 * entry in place (it keeps its first-seen position), as a Map's `set` did.
 */
import type { CellIndex } from './cell-index.ts';
import { IntTable, NumberColumn } from './columns.ts';

/** What pairwise comparison needs from each (row, repeat) of a target. */
export interface PairEntry {
  readonly rowId: string;
  /** The row's number in the run's cell index, when the entry comes from one (faster, smaller clustering than by `rowId`). */
  readonly row?: number;
  readonly passed: boolean | null;
  readonly score: number | null;
}

/** Read access to pair entries by `rowId|repeat` key, in first-seen order (a Map satisfies it). */
export interface PairLookup {
  [Symbol.iterator](): Iterator<[string, PairEntry]>;
  get(key: string): PairEntry | undefined;
  values(): Iterable<PairEntry>;
}

const PASSED = 1;
const FAILED = 2;
const SCORED = 4;

export class PairTable implements PairLookup {
  readonly #cells: CellIndex;
  /** Cell number → entry position + 1 (0: none). */
  readonly #slotOf = new IntTable();
  readonly #cellAt = new NumberColumn();
  readonly #flags = new NumberColumn();
  readonly #scores = new NumberColumn();

  constructor(cells: CellIndex) {
    this.#cells = cells;
  }

  get size(): number {
    return this.#cellAt.length;
  }

  /** Whether an entry for this cell exists. */
  has(result: { readonly rowId: string; readonly repeat: number }): boolean {
    const cell = this.#cells.find(result);
    return cell !== undefined && this.#slotOf.get(cell) > 0;
  }

  set(result: { readonly rowId: string; readonly repeat: number }, passed: boolean | null, score: number | null): void {
    const cell = this.#cells.cell(result);
    const flags = (passed === null ? 0 : passed ? PASSED : FAILED) | (score === null ? 0 : SCORED);
    const slot = this.#slotOf.get(cell);
    if (slot > 0) {
      this.#flags.set(slot - 1, flags);
      this.#scores.set(slot - 1, score ?? 0);
      return;
    }
    this.#cellAt.push(cell);
    this.#flags.push(flags);
    this.#scores.push(score ?? 0);
    this.#slotOf.set(cell, this.#cellAt.length);
  }

  get(key: string): PairEntry | undefined {
    const cell = this.#cells.byKey(key);
    if (cell === undefined) return undefined;
    const slot = this.#slotOf.get(cell);
    return slot > 0 ? this.#entry(slot - 1) : undefined;
  }

  *[Symbol.iterator](): Iterator<[string, PairEntry]> {
    for (let i = 0; i < this.#cellAt.length; i++) yield [this.#cells.key(this.#cellAt.at(i)), this.#entry(i)];
  }

  *values(): Generator<PairEntry & { readonly row: number }> {
    for (let i = 0; i < this.#cellAt.length; i++) yield this.#entry(i);
  }

  #entry(i: number): PairEntry & { readonly row: number } {
    const flags = this.#flags.at(i);
    const cell = this.#cellAt.at(i);
    const cells = this.#cells;
    return {
      // built only when read: quality statistics cluster by `row`, and a string per cell per target is
      // 100k × 3 short-lived strings at the end of a big run
      get rowId() {
        return cells.rowId(cell);
      },
      row: cells.rowNumber(cell),
      passed: flags & PASSED ? true : flags & FAILED ? false : null,
      score: flags & SCORED ? this.#scores.at(i) : null,
    };
  }
}
