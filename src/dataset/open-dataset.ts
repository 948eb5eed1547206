/**
 * Opens a dataset file: picks the reader from the extension and reads the header up front, so
 * template and column checks can run before any request is sent.
 */
import { access } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { DatasetError } from '../errors.ts';
import type { Dataset, DatasetFormat } from './dataset.ts';
import { readCsvHeader, readCsvRows } from './read-csv.ts';
import { readJsonlColumns, readJsonlRows } from './read-jsonl.ts';
import { pickExpectedColumn, type RowOptions } from './row-builder.ts';

const FORMATS: Readonly<Record<string, { format: DatasetFormat; delimiter?: string }>> = {
  '.csv': { format: 'csv', delimiter: ',' },
  '.tsv': { format: 'csv', delimiter: '\t' },
  '.jsonl': { format: 'jsonl' },
  '.ndjson': { format: 'jsonl' },
};

/**
 * @param path dataset file (`.csv`, `.tsv`, `.jsonl`, `.ndjson`)
 * @throws DatasetError for an unknown extension, an unreadable or empty file, a bad header, or an explicit expected column that does not exist
 */
export async function openDataset(path: string, options: RowOptions): Promise<Dataset> {
  const absolute = resolve(path);
  const file = basename(absolute);
  const kind = FORMATS[extname(absolute).toLowerCase()];
  if (kind === undefined) {
    throw new DatasetError(file, undefined, undefined, `unsupported dataset format "${extname(absolute) || '(no extension)'}"; use ${Object.keys(FORMATS).join(', ')}`);
  }
  await access(absolute).catch((error: unknown) => {
    throw new DatasetError(file, undefined, undefined, `cannot read file ${absolute} (${(error as Error).message})`, { cause: error });
  });
  const columns = kind.format === 'csv' ? await readCsvHeader(absolute, kind.delimiter) : await readJsonlColumns(absolute);
  if (options.expectedColumn !== undefined && !columns.includes(options.expectedColumn)) {
    throw new DatasetError(file, 1, undefined, `expected-answer column "${options.expectedColumn}" not found; columns are ${columns.join(', ')}`);
  }
  return {
    path: absolute,
    format: kind.format,
    columns,
    expectedColumn: pickExpectedColumn(columns, options.expectedColumn),
    rows: (rowsOptions) =>
      kind.format === 'csv' ? readCsvRows(absolute, { ...options, ...(kind.delimiter === undefined ? {} : { delimiter: kind.delimiter }) }, rowsOptions) : readJsonlRows(absolute, options, rowsOptions),
  };
}
