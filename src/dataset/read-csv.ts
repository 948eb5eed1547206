/**
 * Streams CSV (or TSV) rows with csv-parse: BOM, CRLF, quoted newlines and a required header; a row
 * whose field count differs from the header is an error, never silently padded. The field count is
 * checked here rather than by csv-parse (`relax_column_count: false`), because csv-parse's errors
 * overtake the records buffered ahead of them, so they could be neither placed nor skipped in order.
 * Line numbers are counted from each record's raw text: csv-parse counts a CRLF inside quotes twice.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { parse, type CsvError, type Parser } from 'csv-parse';
import { DatasetError } from '../errors.ts';
import type { Row } from '../types.ts';
import type { RowsOptions } from './dataset.ts';
import { createRowBuilder, pickExpectedColumn, type RowOptions } from './row-builder.ts';

export interface CsvOptions extends RowOptions {
  /** @default ',' ('\t' for .tsv files) */
  readonly delimiter?: string;
}

/** The header row; reads only as far as the first record. */
export async function readCsvHeader(path: string, delimiter = ','): Promise<string[]> {
  for await (const record of csvRecords(path, delimiter, 1)) return checkHeader(path, record.fields);
  throw new DatasetError(basename(path), undefined, undefined, 'empty file: expected a header line such as id,question,answer');
}

/** Every data row, in order, streamed from disk. */
export async function* readCsvRows(path: string, options: CsvOptions, rowsOptions: RowsOptions = {}): AsyncGenerator<Row> {
  const file = basename(path);
  let header: string[] | undefined;
  let builder: ReturnType<typeof createRowBuilder> | undefined;
  for await (const record of csvRecords(path, options.delimiter ?? ',')) {
    if (header === undefined || builder === undefined) {
      header = checkHeader(path, record.fields);
      builder = createRowBuilder(file, options, pickExpectedColumn(header, options.expectedColumn), rowsOptions.idsChecked);
      continue;
    }
    try {
      if (record.fields.length !== header.length) {
        throw new DatasetError(
          file,
          record.line,
          undefined,
          `row has ${record.fields.length} fields, header has ${header.length} (quote fields that contain the delimiter)`,
        );
      }
      const fields: Record<string, string> = {};
      for (const [index, column] of header.entries()) fields[column] = record.fields[index] ?? '';
      yield builder.build({ fields, line: record.line });
    } catch (error) {
      if (!(error instanceof DatasetError) || rowsOptions.onError === undefined) throw error;
      rowsOptions.onError(error);
    }
  }
  if (header === undefined)
    throw new DatasetError(file, undefined, undefined, 'empty file: expected a header line such as id,question,answer');
}

// --- internal ---

interface CsvRecord {
  readonly fields: string[];
  /** 1-based line where the record starts. */
  readonly line: number;
}

async function* csvRecords(path: string, delimiter: string, maxRecords?: number): AsyncGenerator<CsvRecord> {
  const file = basename(path);
  const parser: Parser = parse({
    bom: true,
    delimiter,
    raw: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    ...(maxRecords === undefined ? {} : { to: maxRecords }),
  });
  const input = createReadStream(path);
  input.on('error', (error) =>
    parser.destroy(new DatasetError(file, undefined, undefined, `cannot read file (${error.message})`, { cause: error })),
  );
  let consumedLines = 0;
  input.pipe(parser);
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; raw: string }>) {
      const breaks = lineBreaks(item.raw);
      yield { fields: item.record, line: consumedLines + breaks.leading + 1 };
      consumedLines += breaks.total;
    }
  } catch (error) {
    throw error instanceof DatasetError ? error : toDatasetError(file, error as CsvError, consumedLines + 1);
  } finally {
    input.destroy();
    parser.destroy();
  }
}

/** Line breaks in a record's raw text (\r\n, \r or \n each count once): in total, and before its first field (skipped blank lines). */
function lineBreaks(raw: string): { leading: number; total: number } {
  let total = 0;
  let leading = 0;
  let inLeading = true;
  for (let index = 0; index < raw.length; index++) {
    const code = raw.charCodeAt(index);
    if (code === 13 || code === 10) {
      if (code === 13 && raw.charCodeAt(index + 1) === 10) index++;
      total++;
      if (inLeading) leading++;
    } else inLeading = false;
  }
  return { leading, total };
}

function checkHeader(path: string, header: readonly string[]): string[] {
  const file = basename(path);
  const seen = new Set<string>();
  return header.map((raw, index) => {
    const column = raw.trim();
    if (column === '')
      throw new DatasetError(file, 1, index + 1, 'empty column name in the header (the first line must name every column)');
    if (seen.has(column)) throw new DatasetError(file, 1, index + 1, `duplicate column ${JSON.stringify(column)} in the header`);
    seen.add(column);
    return column;
  });
}

/** csv-parse errors → one-line DatasetErrors at the line where the failing record starts. */
function toDatasetError(file: string, error: CsvError, recordLine: number): DatasetError {
  const fieldIndex = (error as { column?: unknown }).column;
  const column = typeof fieldIndex === 'number' ? fieldIndex + 1 : undefined;
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    return new DatasetError(file, recordLine, column, 'unclosed quoted field (a " opens a field that never closes)', { cause: error });
  }
  return new DatasetError(file, recordLine, column, `invalid CSV (${error.message})`, { cause: error });
}
