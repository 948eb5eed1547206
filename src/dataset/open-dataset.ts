/**
 * Opens a dataset file: picks the reader from the extension and reads the header up front, so
 * template and column checks can run before any request is sent.
 */
import { access, stat } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { DatasetError } from '../errors.ts';
import type { Dataset, DatasetFormat } from './dataset.ts';
import { readCsvHeader, readCsvRows } from './read-csv.ts';
import { readJsonlColumns, readJsonlRows } from './read-jsonl.ts';
import { describeNonText } from './sniff-file.ts';
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
    throw new DatasetError(
      file,
      undefined,
      undefined,
      `unsupported dataset format "${extname(absolute) || '(no extension)'}"; use ${Object.keys(FORMATS).join(', ')}`,
    );
  }
  await access(absolute).catch((error: unknown) => {
    throw new DatasetError(file, undefined, undefined, `cannot read file ${absolute} (${(error as Error).message})`, { cause: error });
  });
  if ((await stat(absolute)).isDirectory())
    throw new DatasetError(file, undefined, undefined, `is a directory; expected a ${Object.keys(FORMATS).join(', ')} file`);
  const nonText = await describeNonText(absolute);
  if (nonText !== undefined) {
    throw new DatasetError(
      file,
      undefined,
      undefined,
      `is ${nonText}, not a UTF-8 text ${kind.format === 'csv' ? 'CSV' : 'JSONL'} file; export it as UTF-8 CSV (in Excel: File → Save As → CSV UTF-8) or JSONL`,
    );
  }
  const columns = kind.format === 'csv' ? await readCsvHeader(absolute, kind.delimiter) : await readJsonlColumns(absolute);
  if (kind.format === 'csv') checkDelimiter(file, columns, kind.delimiter ?? ',');
  if (options.expectedColumn !== undefined && !columns.includes(options.expectedColumn)) {
    throw new DatasetError(
      file,
      1,
      undefined,
      `expected-answer column "${options.expectedColumn}" not found; columns are ${columns.join(', ')}`,
    );
  }
  return {
    path: absolute,
    format: kind.format,
    columns,
    expectedColumn: pickExpectedColumn(columns, options.expectedColumn),
    rows: (rowsOptions) =>
      kind.format === 'csv'
        ? readCsvRows(absolute, { ...options, ...(kind.delimiter === undefined ? {} : { delimiter: kind.delimiter }) }, rowsOptions)
        : readJsonlRows(absolute, options, rowsOptions),
  };
}

/** Delimiters people export CSV with besides the one expected (Excel in many locales writes ';'). */
const OTHER_DELIMITERS: Readonly<Record<string, string>> = { ';': 'semicolon', '\t': 'tab', '|': 'pipe', ',': 'comma' };

/**
 * A header read as a single column that contains another delimiter: the file was exported with that
 * delimiter, and every row would fail or be one big field. Named here, once, with the fix.
 */
function checkDelimiter(file: string, columns: readonly string[], delimiter: string): void {
  const header = columns[0];
  if (columns.length !== 1 || header === undefined) return;
  const found = Object.keys(OTHER_DELIMITERS).find((candidate) => candidate !== delimiter && header.split(candidate).length > 1);
  if (found === undefined) return;
  const expected = OTHER_DELIMITERS[delimiter] ?? JSON.stringify(delimiter);
  const fix = found === '\t' ? 'rename it to .tsv' : `save it ${expected}-separated`;
  throw new DatasetError(
    file,
    1,
    undefined,
    `the header is one column but contains ${JSON.stringify(found)}: the file looks ${OTHER_DELIMITERS[found]}-separated, and this file type is read ${expected}-separated; ${fix}`,
  );
}
