/**
 * An unscored cell (a scorer or judge it needed errored) has no verdict, in every artifact: its
 * results.csv `pass` is empty (not `false`), junit.xml marks it `<skipped message="unscored: …"/>`
 * (never a pass, never a failure), and report.json states accuracy over scored cells beside accuracy
 * over all cells, where it counts as not passed.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import type { JournalRecord } from '../../src/types.ts';
import { createSummaryBuilder } from '../../src/report/summarize.ts';
import { renderJournal } from './render-journal.ts';
import type { ResultOk } from '../../src/types.ts';
import { failed, ok, runEnd, runStart, target } from './records.ts';
import { xmlProblems } from './xml-check.ts';

const unscored = (row: string): ResultOk => ({
  ...ok({ target: 'a', row, passed: false }),
  scores: [{ scorer: 'llm-judge', status: 'error', error: 'judge call failed (fatal): 401 Bearer abcdefghijklmnop1234' }],
  scoring: 'unscored',
});

const records: JournalRecord[] = [
  runStart([target('a')]),
  ok({ target: 'a', row: 'r1' }),
  ok({ target: 'a', row: 'r2', passed: false }),
  unscored('r3'),
  failed('a', 'r4'),
  runEnd(),
];

function summarize(list: readonly JournalRecord[]) {
  const builder = createSummaryBuilder({ resamples: 50 });
  for (const record of list) builder.add(record);
  return builder.finish();
}

describe('unscored cells', () => {
  test('results.csv: pass is empty for unscored and failed cells, true/false for scored ones', async () => {
    const rendered = await renderJournal(records, ['csv']);
    const rows = parse(await readFile(join(rendered.dir, 'results.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    await rendered.cleanup();
    expect(Object.fromEntries(rows.map((r) => [r['id'], r['pass']]))).toEqual({ r1: 'true', r2: 'false', r3: '', r4: '' });
  });

  test('junit.xml: an unscored cell is skipped, naming the scorer that errored (redacted), and counted as skipped', async () => {
    const rendered = await renderJournal(records, ['junit']);
    const xml = await readFile(join(rendered.dir, 'junit.xml'), 'utf8');
    await rendered.cleanup();
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).toContain('<testsuite name="a" tests="4" failures="1" errors="1" skipped="1"');
    expect(xml).toMatch(/<testsuites [^>]*skipped="1">/);
    const testcase = xml.split('<testcase ').find((c) => c.includes('name="r3 #0"'))!;
    expect(testcase).toContain('<skipped message="unscored: llm-judge errored: judge call failed (fatal): 401 Bearer [redacted]"/>');
    expect(testcase).not.toContain('<failure');
    expect(xml).not.toContain('abcdefghijklmnop1234');
  });

  test('report.json: accuracy over scored cells beside accuracy over all cells', () => {
    const accuracy = summarize(records).targets[0]!.accuracy!;
    expect(accuracy).toMatchObject({ passed: 1, scored: 2, rate: 0.5, cells: 4, rateOverAllCells: 0.25 });
  });

  test('a failed request alone never makes the all-cells accuracy look perfect', () => {
    const accuracy = summarize([
      runStart([target('a')]),
      ok({ target: 'a', row: 'r1' }),
      failed('a', 'r2'),
      failed('a', 'r3'),
      failed('a', 'r4'),
      runEnd(),
    ]).targets[0]!.accuracy!;
    expect(accuracy.rate).toBe(1);
    expect(accuracy.rateOverAllCells).toBe(0.25);
  });
});
