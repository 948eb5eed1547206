/**
 * Numbers every (row, repeat) cell of a run once, for all targets: each target's fold keeps per-cell
 * values in columns indexed by these numbers, so a cell's key string and row id are held once per run,
 * not once per target. Rows are numbered too (clusters for the row-level statistics).
 */
import { NumberColumn } from './columns.ts';
import { pairKey } from './metrics.ts';

export class CellIndex {
  readonly #cells = new Map<string, number>();
  /** Cell number → its `rowId|repeat` key. */
  readonly #keys: string[] = [];
  /** Cell number → row number. */
  readonly #rowOf = new NumberColumn();
  readonly #rows = new Map<string, number>();
  /** Row number → row id. */
  readonly #rowIds: string[] = [];

  /** Cells numbered so far. */
  get size(): number {
    return this.#keys.length;
  }

  /** The cell's number, assigned on first sight. */
  cell(result: { readonly rowId: string; readonly repeat: number }): number {
    const key = pairKey(result);
    let cell = this.#cells.get(key);
    if (cell === undefined) {
      cell = this.#keys.length;
      this.#cells.set(key, cell);
      this.#keys.push(key);
      this.#rowOf.push(this.#row(result.rowId));
    }
    return cell;
  }

  /** The cell's number, or `undefined` when no result of that cell was seen. */
  find(result: { readonly rowId: string; readonly repeat: number }): number | undefined {
    return this.#cells.get(pairKey(result));
  }

  /** The number of the cell with this `rowId|repeat` key, if seen. */
  byKey(key: string): number | undefined {
    return this.#cells.get(key);
  }

  key(cell: number): string {
    return this.#keys[cell]!;
  }

  rowId(cell: number): string {
    return this.#rowIds[this.#rowOf.at(cell)]!;
  }

  #row(rowId: string): number {
    let row = this.#rows.get(rowId);
    if (row === undefined) {
      row = this.#rowIds.length;
      this.#rows.set(rowId, row);
      this.#rowIds.push(rowId);
    }
    return row;
  }
}
