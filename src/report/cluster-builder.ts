/**
 * Groups values by row into the flat cluster layout (stats/clustered.ts), in typed columns: clusters in
 * the order their row was first seen, each cluster's values in arrival order — the order a Map of row
 * → array gave, so every sum is added up in the same order and the intervals keep their digits. The
 * Maps cost ~100 bytes a row for each target and pair in the report's last step (folding a 50k × 3
 * journal promoted 45 MB of them); this costs a few bytes a value.
 */
import { IntTable, NumberColumn } from './columns.ts';
import type { FlatClusters } from './stats/clustered.ts';

/**
 * Numbers rows in the order they are first seen: 0, 1, 2, … By the row's number in the cell index (an
 * Int32 table), or by its id for entries that carry none (pairs from a baseline file or a test's Map).
 */
export class FirstSeenRows {
  /** Row number → index + 1 (0: not seen). */
  readonly #byRow = new IntTable();
  readonly #byId = new Map<string, number>();
  #count = 0;

  /** Rows seen so far. */
  get size(): number {
    return this.#count;
  }

  /** The row's index; a row not seen before gets the next one (`size` before the call). */
  indexOf(row: number | string): number {
    if (typeof row === 'number') {
      const found = this.#byRow.get(row);
      if (found > 0) return found - 1;
      this.#byRow.set(row, this.#count + 1);
    } else {
      const found = this.#byId.get(row);
      if (found !== undefined) return found;
      this.#byId.set(row, this.#count);
    }
    return this.#count++;
  }
}

export class ClusterBuilder {
  readonly #clusterOf = new FirstSeenRows();
  /** Value (arrival order) → its cluster. */
  readonly #clusterAt = new NumberColumn();
  readonly #values = new NumberColumn();
  /** Cluster → values so far. */
  readonly #sizes = new NumberColumn();

  /** Values added. */
  get size(): number {
    return this.#values.length;
  }

  /** Clusters (distinct rows) so far. */
  get clusters(): number {
    return this.#sizes.length;
  }

  /** @param row the row's number (cell-index.ts), ≥ 0 */
  add(row: number, value: number): void {
    const cluster = this.#clusterOf.indexOf(row);
    if (cluster === this.#sizes.length) this.#sizes.push(0);
    this.#sizes.set(cluster, this.#sizes.at(cluster) + 1);
    this.#clusterAt.push(cluster);
    this.#values.push(value);
  }

  /** Each cluster's size, in cluster order. */
  sizes(): ArrayLike<number> {
    return this.#sizes.view();
  }

  /**
   * The clusters laid out flat (a counting sort of the values by cluster, stable). The values keep the
   * column's storage type (one byte each for 0/1 outcomes), offsets are 32-bit: a run's last step builds
   * several of these at once.
   */
  build(): FlatClusters {
    const k = this.#sizes.length;
    const offsets = new Int32Array(k + 1);
    for (let c = 0; c < k; c++) offsets[c + 1] = offsets[c]! + this.#sizes.at(c);
    const next = offsets.slice(0, k);
    const source = this.#values.view();
    const values = new (source.constructor as new (length: number) => typeof source)(source.length);
    for (let i = 0; i < values.length; i++) values[next[this.#clusterAt.at(i)]!++] = source[i]!;
    return { offsets, values };
  }
}
