/**
 * Turns the fields of one record into a Row: stable id (id column, else a content hash), reference
 * answer, description, and the duplicate-id check. Shared by the CSV and JSONL readers so both agree
 * on what a row is.
 */
import { DatasetError } from '../errors.ts';
import { sha1Hex } from '../internal/content-hash.ts';
import type { ChatMessage, Row } from '../types.ts';

/** Columns read as the reference answer when none is configured, first match wins (promptfoo's `__expected` too). */
export const EXPECTED_COLUMNS = ['expected', 'answer', '__expected'] as const;
/** Column read as the row's human description (promptfoo convention). */
export const DESCRIPTION_COLUMN = '__description';
/** Length of content-hash ids. @unit hex characters */
export const HASH_ID_LENGTH = 12;

export interface RowOptions {
  /** Column holding row ids. @default 'id' */
  readonly idColumn: string;
  /** Column holding the reference answer; when unset, the first of EXPECTED_COLUMNS present. */
  readonly expectedColumn?: string | undefined;
}

export interface RowRecord {
  readonly fields: Readonly<Record<string, string>>;
  /** 1-based line where the record starts. */
  readonly line: number;
  readonly messages?: readonly ChatMessage[];
}

export interface RowBuilder {
  /** Builds the next row; duplicate or empty ids are errors. */
  build(record: RowRecord): Row;
}

/** The expected-answer column among `columns` (explicit wins), or undefined. */
export function pickExpectedColumn(columns: readonly string[], explicit: string | undefined): string | undefined {
  if (explicit !== undefined) return explicit;
  return EXPECTED_COLUMNS.find((column) => columns.includes(column));
}

/**
 * A builder for one pass over one file. Ids seen are kept in a Map (id → line) for the duplicate check:
 * about 60 bytes per row, so 100k rows cost ≈ 6 MB, the only per-row state a pass keeps. With
 * `idsChecked` (a pass after a checked one) there is no map and no duplicate check.
 */
export function createRowBuilder(file: string, options: RowOptions, expectedColumn: string | undefined, idsChecked = false): RowBuilder {
  const firstLine = idsChecked ? undefined : new Map<string, number>();
  let index = 0;
  return {
    build(record) {
      const id = rowId(file, record, options.idColumn);
      const first = firstLine?.get(id);
      if (first !== undefined) {
        const what =
          record.fields[options.idColumn] === undefined
            ? `duplicate row (same content as line ${first}); add an "${options.idColumn}" column to tell them apart`
            : `duplicate id ${JSON.stringify(id)} (first at line ${first})`;
        throw new DatasetError(file, record.line, undefined, what);
      }
      firstLine?.set(id, record.line);
      const expected = expectedColumn === undefined ? undefined : record.fields[expectedColumn];
      const description = record.fields[DESCRIPTION_COLUMN];
      return {
        id,
        index: index++,
        line: record.line,
        fields: record.fields,
        ...(record.messages === undefined ? {} : { messages: record.messages }),
        // An empty cell means "no reference answer", so scorers that need one say so instead of comparing with "".
        ...(expected === undefined || expected.trim() === '' ? {} : { expected }),
        ...(description === undefined || description === '' ? {} : { description }),
      };
    },
  };
}

// --- internal ---

function rowId(file: string, record: RowRecord, idColumn: string): string {
  const explicit = record.fields[idColumn];
  if (explicit !== undefined) {
    if (explicit.trim() === '') throw new DatasetError(file, record.line, undefined, `empty "${idColumn}"`);
    return explicit.trim();
  }
  // Hash of the content: stable across runs and machines, so resume and baselines line up.
  const content = JSON.stringify([Object.entries(record.fields), record.messages ?? null]);
  return sha1Hex(content, HASH_ID_LENGTH);
}
