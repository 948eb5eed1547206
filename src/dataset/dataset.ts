/**
 * The shape every dataset reader produces: a header and a re-readable stream of rows.
 */
import type { DatasetError } from '../errors.ts';
import type { Row } from '../types.ts';

export type DatasetFormat = 'csv' | 'jsonl';

export interface RowsOptions {
  /**
   * When given, problems a reader can step over (a bad JSONL line, a ragged CSV row, a duplicate id)
   * are reported here and the row is skipped; without it the first problem is thrown.
   * Unrecoverable problems (an unclosed quote, an unreadable file) are always thrown.
   */
  readonly onError?: (error: DatasetError) => void;
  /**
   * The caller already read this file once with the duplicate-id check (the run's scan), so this pass
   * skips it and keeps no id → line map: a run re-reads the dataset once per target, and at 100k rows
   * each map cost about 6 MB. Empty ids are still refused. @default false
   */
  readonly idsChecked?: boolean;
}

export interface Dataset {
  /** Absolute path. */
  readonly path: string;
  readonly format: DatasetFormat;
  /** CSV header, or the keys of the first JSONL row. */
  readonly columns: readonly string[];
  /** Column used as the reference answer, if any (explicit, else expected / answer / __expected). */
  readonly expectedColumn: string | undefined;
  /** Streams the rows; each call reads the file anew, so a dataset can be read many times without being held in memory. */
  rows(options?: RowsOptions): AsyncIterable<Row>;
}
