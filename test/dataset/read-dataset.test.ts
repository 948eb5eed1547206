import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { openDataset } from '../../src/dataset/open-dataset.ts';
import type { Dataset } from '../../src/dataset/dataset.ts';
import { DatasetError } from '../../src/errors.ts';
import { jsonErrorColumn } from '../../src/dataset/json-error-position.ts';
import type { Row } from '../../src/types.ts';

const fixtures = resolve(import.meta.dirname, '../fixtures/datasets');
const open = (name: string, options: { idColumn?: string; expectedColumn?: string } = {}) =>
  openDataset(resolve(fixtures, name), { idColumn: 'id', ...options });

async function collect(dataset: Dataset): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const row of dataset.rows()) rows.push(row);
  return rows;
}

async function firstError(dataset: Dataset): Promise<DatasetError> {
  const error: unknown = await collect(dataset).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof DatasetError)) throw new Error(`expected a DatasetError, got ${String(error)}`);
  return error;
}

describe('CSV', () => {
  test('strips the BOM from the first column name', async () => {
    const dataset = await open('bom-crlf.csv');
    expect(dataset.columns).toEqual(['id', 'question', 'answer']);
    expect((await collect(dataset))[0]?.id).toBe('q1');
  });

  test('reads CRLF files, quoted delimiters, quoted newlines and escaped quotes', async () => {
    const rows = await collect(await open('bom-crlf.csv'));
    expect(rows.map((row) => row.fields['question'])).toEqual(['What is 2+2, in words?', 'A field\r\nwith a newline', 'Plain']);
    expect(rows[2]?.expected).toBe('He said "hi"');
  });

  test('numbers rows by the line they start on, across quoted newlines and blank lines', async () => {
    const rows = await collect(await open('bom-crlf.csv'));
    expect(rows.map((row) => [row.index, row.line])).toEqual([
      [0, 2],
      [1, 3],
      [2, 6],
    ]);
  });

  test('a ragged row names its line and both field counts', async () => {
    const error = await firstError(await open('ragged.csv'));
    expect(error.message).toBe('ragged.csv:3: row has 4 fields, header has 3 (quote fields that contain the delimiter)');
  });

  test('an unclosed quote names the line and field where it opens', async () => {
    const error = await firstError(await open('unclosed.csv'));
    expect(error.message).toBe('unclosed.csv:3:2: unclosed quoted field (a " opens a field that never closes)');
  });

  test('an empty file is an error at open time', async () => {
    await expect(open('empty.csv')).rejects.toThrow('empty.csv: empty file: expected a header line such as id,question,answer');
  });

  test('a header-only file has columns and no rows', async () => {
    const dataset = await open('header-only.csv');
    expect(dataset.columns).toEqual(['id', 'question', 'answer']);
    expect(await collect(dataset)).toEqual([]);
  });

  test('promptfoo columns __expected and __description fill expected and description', async () => {
    const rows = await collect(await open('promptfoo.csv'));
    expect(rows[0]).toMatchObject({ expected: 'Rome', description: 'geography smoke test' });
    expect(rows[1]?.description).toBeUndefined();
  });

  test('an empty answer cell means no reference answer', async () => {
    const rows = await collect(await open('blank-answer.csv'));
    expect(rows.map((row) => row.expected)).toEqual([undefined, "N'Djamena"]);
  });

  test('an explicit expected column wins; a missing one is an error', async () => {
    const rows = await collect(await open('bom-crlf.csv', { expectedColumn: 'question' }));
    expect(rows[0]?.expected).toBe('What is 2+2, in words?');
    await expect(open('bom-crlf.csv', { expectedColumn: 'gold' })).rejects.toThrow(
      'bom-crlf.csv:1: expected-answer column "gold" not found; columns are id, question, answer',
    );
  });

  test('with onError, ragged rows are reported in order and the good rows still arrive', async () => {
    const errors: string[] = [];
    const ids: string[] = [];
    for await (const row of (await open('ragged.csv')).rows({ onError: (error) => errors.push(error.message) })) ids.push(row.id);
    expect(ids).toEqual(['q1', 'q3']);
    expect(errors).toEqual([
      'ragged.csv:3: row has 4 fields, header has 3 (quote fields that contain the delimiter)',
      'ragged.csv:5: row has 2 fields, header has 3 (quote fields that contain the delimiter)',
    ]);
  });

  test('duplicate ids name both lines', async () => {
    const error = await firstError(await open('duplicates.csv'));
    expect(error.message).toBe('duplicates.csv:4: duplicate id "q1" (first at line 2)');
  });

  test('a pass after a checked one (idsChecked) keeps no id map, so it neither checks nor refuses duplicates', async () => {
    const dataset = await open('duplicates.csv');
    const ids: string[] = [];
    for await (const row of dataset.rows({ idsChecked: true })) ids.push(row.id);
    expect(ids.filter((id) => id === 'q1')).toHaveLength(2);
  });

  test('a configurable id column is used', async () => {
    const rows = await collect(await open('bom-crlf.csv', { idColumn: 'answer' }));
    expect(rows.map((row) => row.id)).toEqual(['four', 'yes', 'He said "hi"']);
  });
});

describe('row ids', () => {
  test('rows without an id column get 12-hex content hashes', async () => {
    const rows = await collect(await open('no-id.csv'));
    for (const row of rows) expect(row.id).toMatch(/^[0-9a-f]{12}$/);
    expect(new Set(rows.map((row) => row.id)).size).toBe(2);
  });

  test('content-hash ids are stable across reads and runs', async () => {
    const first = (await collect(await open('no-id.csv'))).map((row) => row.id);
    const second = (await collect(await open('no-id.csv'))).map((row) => row.id);
    expect(second).toEqual(first);
    // Pinned: a change here would break resume and baselines for existing runs.
    expect(first[0]).toBe('2df40c8dea4d');
  });
});

describe('JSONL', () => {
  test('reads messages rows, CRLF and blank lines; numbers become strings', async () => {
    const rows = await collect(await open('chat.jsonl'));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      id: 'c1',
      line: 1,
      expected: 'Lima',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Capital of Peru?' },
      ],
    });
    expect(rows[1]).toMatchObject({ id: 'c2', line: 3, expected: '5' });
  });

  test('columns are the keys of the first row', async () => {
    expect((await open('chat.jsonl')).columns).toEqual(['id', 'messages', 'expected']);
  });

  test('invalid JSON names line and column when V8 gives a position', async () => {
    const errors: string[] = [];
    const dataset = await open('bad.jsonl');
    for await (const _row of dataset.rows({ onError: (error) => errors.push(error.message) })) void _row;
    expect(errors).toEqual([
      'bad.jsonl:2:21: invalid JSON (Unexpected token \'}\', ...""prompt": }" is not valid JSON)',
      'bad.jsonl:3:25: invalid JSON (Expected double-quoted property name)',
      'bad.jsonl:4: expected a JSON object per line, got an array',
      'bad.jsonl:5: messages[0]: expected "messages" to be an array of {role: "system" | "developer" | "user" | "assistant", content: string}',
    ]);
  });

  test('without onError the first bad line is thrown', async () => {
    const error = await firstError(await open('bad.jsonl'));
    expect(error).toMatchObject({ file: 'bad.jsonl', line: 2 });
  });

  test('with onError, good rows after bad lines still arrive', async () => {
    const ids: string[] = [];
    for await (const row of (await open('bad.jsonl')).rows({ onError: () => undefined })) ids.push(row.id);
    expect(ids).toEqual(['a', 'f']);
  });
});

describe('reading', () => {
  test('rows() is re-readable: each call streams the file anew', async () => {
    const dataset = await open('bom-crlf.csv');
    expect((await collect(dataset)).map((row) => row.id)).toEqual((await collect(dataset)).map((row) => row.id));
  });

  test('breaking out of a read early releases the file', async () => {
    const dataset = await open('bom-crlf.csv');
    for await (const row of dataset.rows()) {
      expect(row.id).toBe('q1');
      break;
    }
    expect((await collect(dataset)).length).toBe(3);
  });

  test('an unknown extension is refused with the supported ones', async () => {
    await expect(openDataset(resolve(fixtures, 'data.xlsx'), { idColumn: 'id' })).rejects.toThrow(
      'data.xlsx: unsupported dataset format ".xlsx"; use .csv, .tsv, .jsonl, .ndjson',
    );
  });

  test('a missing file is a DatasetError naming the path', async () => {
    await expect(openDataset(resolve(fixtures, 'missing.csv'), { idColumn: 'id' })).rejects.toThrow(
      /^missing\.csv: cannot read file .*missing\.csv/,
    );
  });
});

describe('jsonErrorColumn', () => {
  test.each([
    ['{"a": }', 7],
    ['{"a":1,}', 8],
    ['[1,2', 5],
    ['{"a":[1,2,{"b":tru}]}', 16],
    ['{"a":1} trailing', 9],
    ['{"a":"tab\there"}', 10],
  ])('%j fails at column %i', (text, column) => {
    expect(jsonErrorColumn(text)).toBe(column);
  });

  test('valid JSON has no error column', () => {
    expect(jsonErrorColumn('{"a": [1, -2.5e3, "x\\u00e9", true, null]}')).toBeUndefined();
  });
});
