/**
 * Numbers every (row, repeat) cell of a run once, for all targets: each target's fold keeps per-cell
 * values in columns indexed by these numbers, so a cell's row id is held once per run, not once per
 * target. Rows are numbered too (clusters for the row-level statistics).
 *
 * A cell is found by its row number and repeat, one Int32 table per repeat, never by a key string:
 * at 100k rows a Map of `rowId|repeat` strings cost ~7 MB that this does not. Row ids are held in a
 * RowIdTable (typed arrays, not strings); the id and key are rebuilt on demand.
 */
import { IntTable, NumberColumn } from './columns.ts';
import { RowIdTable } from './row-id-table.ts';

export class CellIndex {
  /** Repeat → (row number → cell number + 1; 0: none). */
  readonly #cellOf = new Map<number, IntTable>();
  /** Cell number → row number. */
  readonly #rowOf = new NumberColumn();
  /** Cell number → repeat. */
  readonly #repeatOf = new NumberColumn();
  readonly #rows = new RowIdTable();

  /** Cells numbered so far. */
  get size(): number {
    return this.#rowOf.length;
  }

  /** The cell's number, assigned on first sight. */
  cell(result: { readonly rowId: string; readonly repeat: number }): number {
    const row = this.#rows.add(result.rowId);
    let table = this.#cellOf.get(result.repeat);
    if (!table) {
      table = new IntTable();
      this.#cellOf.set(result.repeat, table);
    }
    const found = table.get(row);
    if (found > 0) return found - 1;
    const cell = this.#rowOf.length;
    this.#rowOf.push(row);
    this.#repeatOf.push(result.repeat);
    table.set(row, cell + 1);
    return cell;
  }

  /** The cell's number, or `undefined` when no result of that cell was seen. */
  find(result: { readonly rowId: string; readonly repeat: number }): number | undefined {
    const row = this.#rows.find(result.rowId);
    if (row === undefined) return undefined;
    const found = this.#cellOf.get(result.repeat)?.get(row) ?? 0;
    return found > 0 ? found - 1 : undefined;
  }

  /** The number of the cell with this `rowId|repeat` key (metrics.ts pairKey), if seen. */
  byKey(key: string): number | undefined {
    const bar = key.lastIndexOf('|');
    if (bar < 0) return undefined;
    const repeat = Number(key.slice(bar + 1));
    if (!Number.isInteger(repeat) || String(repeat) !== key.slice(bar + 1)) return undefined;
    return this.find({ rowId: key.slice(0, bar), repeat });
  }

  /** The cell's `rowId|repeat` key (metrics.ts pairKey). */
  key(cell: number): string {
    return `${this.rowId(cell)}|${this.#repeatOf.at(cell)}`;
  }

  /** The cell's row id (a new string each call). */
  rowId(cell: number): string {
    return this.#rows.id(this.#rowOf.at(cell));
  }

  /** The number of the cell's row (rows are numbered in first-seen order, from 0). */
  rowNumber(cell: number): number {
    return this.#rowOf.at(cell);
  }
}
