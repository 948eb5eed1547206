/**
 * A payload corpus through results.csv, read back by two independent readers (csv-parse and Python's
 * csv module): both must see exactly the rows written, formulas neutralised and numbers left alone.
 */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ResultRecord } from '../../src/types.ts';
import { renderJournal, type Rendered } from './render-journal.ts';
import { ok, runEnd, runStart, target } from './records.ts';

/** [row id, model output, what the output cell must read as] */
const CORPUS: readonly (readonly [string, string, string])[] = [
  ['=x16', '=1+1', "'=1+1"],
  ['r-plus', "+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
  ['-5', '-5', '-5'],
  ['r-float', '+3.2', '+3.2'],
  ['r-exp', '1e5', '1e5'],
  ['r-at', '@SUM(A1:A9)', "'@SUM(A1:A9)"],
  ['r-cr', 'first\r=1+1', 'first\r=1+1'],
  ['r-lone-cr', '\r=HYPERLINK("http://x.invalid")', '\'\r=HYPERLINK("http://x.invalid")'],
  ['r-crlf', 'a\r\nb\r\n', 'a\r\nb\r\n'],
  ['r-quotes', 'He said "hi", then ""bye""', 'He said "hi", then ""bye""'],
  ['r-newline', 'line 1\nline 2\n\nline 4', 'line 1\nline 2\n\nline 4'],
  ['r-tab', '\tindented', "'\tindented"],
  ['r-inner-tab', 'a\tb', 'a\tb'],
  ['r-unicode', 'naïve café — 日本語 🙂 \u2028 \u00a0', 'naïve café — 日本語 🙂 \u2028 \u00a0'],
  ['r,comma', 'x, y', 'x, y'],
  ['r-empty', '', ''],
];

const PYTHON_READER =
  'import csv, json, sys\nwith open(sys.argv[1], newline="", encoding="utf-8") as f:\n    json.dump(list(csv.reader(f)), sys.stdout)\n';
const python = spawnSync('python3', ['-c', 'print(1)'], { encoding: 'utf8' });
const hasPython = python.status === 0;
if (!hasPython) console.warn('python3 not found: the Python csv reader check of results.csv is skipped');

describe('results.csv payload corpus', () => {
  const results: ResultRecord[] = CORPUS.map(([id, output], index) => ({
    ...ok({ target: 'm', row: id, output }),
    rowIndex: index,
    prompt: `prompt ${output}`,
  }));
  let rendered: Rendered;
  let text: string;

  beforeAll(async () => {
    // Fed in reverse, so the file's order comes from the sort, not from arrival.
    rendered = await renderJournal([runStart([target('m')]), ...[...results].reverse(), runEnd()], ['csv']);
    text = await readFile(join(rendered.dir, 'results.csv'), 'utf8');
  });
  afterAll(() => rendered.cleanup());

  function check(table: readonly (readonly string[])[]): void {
    const header = table[0]!;
    const column = (name: string) => header.indexOf(name);
    expect(table).toHaveLength(CORPUS.length + 1);
    for (const [i, [id, , shown]] of CORPUS.entries()) {
      const row = table[i + 1]!;
      expect(row, id).toHaveLength(header.length);
      expect(row[column('raw_id')], id).toBe(id);
      expect(row[column('output')], id).toBe(shown);
    }
    // The id column is neutralised like any text; raw_id keeps the dataset's id for joins.
    expect(table[1]![column('id')]).toBe("'=x16");
    expect(table[3]![column('id')]).toBe('-5');
  }

  test('quotes every field holding CR or LF, a lone CR included', () => {
    expect(text).toContain('"first\r=1+1"');
    expect(text).toContain('"\'\r=HYPERLINK(""http://x.invalid"")"');
    expect(text).toContain('"a\r\nb\r\n"');
  });

  test('csv-parse reads back exactly the rows written', () => {
    check(parse(text, { relax_column_count: false }) as string[][]);
  });

  test.skipIf(!hasPython)('Python’s csv module reads back exactly the rows written (skipped without python3)', () => {
    const run = spawnSync('python3', ['-c', PYTHON_READER, join(rendered.dir, 'results.csv')], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    check(JSON.parse(run.stdout) as string[][]);
  });
});
