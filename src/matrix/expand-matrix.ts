/**
 * Expands rows × targets × repeats into WorkItems, lazily: one iterable per target that re-reads the
 * dataset, so a lane pulls rows only as fast as its scheduler asks and memory does not grow with the
 * dataset. Keys are deterministic, so resume and baselines line up across runs.
 */
import type { PromptInput, Row, WorkItem } from '../types.ts';

export interface TargetMatrixOptions {
  /** Re-readable row source (each call streams the dataset from the start). */
  readonly rows: () => AsyncIterable<Row>;
  readonly target: string;
  readonly repeats: number;
  /** Stop after this many rows. */
  readonly limit?: number;
  /** Keep only rows for which this returns true (shards, --retry-errors). */
  readonly includeRow?: (row: Row) => boolean;
  /** Keys that already have a final record (resume): skipped. */
  readonly skipKeys?: ReadonlySet<string>;
  readonly buildInput: (row: Row) => PromptInput;
  readonly estimateCost: (input: PromptInput) => number;
}

export function itemKey(rowId: string, target: string, repeat: number): string {
  return `${rowId}|${target}|${repeat}`;
}

export async function* expandTarget(options: TargetMatrixOptions): AsyncGenerator<WorkItem> {
  let seen = 0;
  for await (const row of options.rows()) {
    if (options.limit !== undefined && seen >= options.limit) return;
    seen++;
    if (options.includeRow && !options.includeRow(row)) continue;
    let input: PromptInput | undefined;
    let cost = 0;
    for (let repeat = 0; repeat < options.repeats; repeat++) {
      const key = itemKey(row.id, options.target, repeat);
      if (options.skipKeys?.has(key)) continue;
      if (!input) {
        input = options.buildInput(row);
        cost = options.estimateCost(input);
      }
      yield { key, row, target: options.target, repeat, input, cost };
    }
  }
}
