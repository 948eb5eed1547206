/** The data behind report.html's overview, settings and accuracy-by-description tables, worked out by hand. */
import { describe, expect, test } from 'vitest';
import { buildViewModel } from '../../src/report/html/view-model.ts';
import { createReportExtras, MAX_LABELS } from '../../src/report/html/report-extras.ts';
import { createSummaryBuilder } from '../../src/report/summarize.ts';
import type { JournalRecord, ResultRecord, TargetInfo } from '../../src/types.ts';
import { failed, ok, runEnd, runStart, target } from './records.ts';

function model(records: readonly JournalRecord[]) {
  const builder = createSummaryBuilder({ resamples: 50 });
  const extras = createReportExtras((result) => builder.cellNumber(result));
  for (const r of records) {
    builder.add(r);
    if (r.kind === 'run-start') extras.addStart(r);
    if (r.kind === 'result') extras.addResult(r);
  }
  return buildViewModel(builder.finish(), builder.rows(), builder.cellsSeen(), undefined, extras.finish());
}

const cellText = (
  table: { columns: readonly { key: string }[]; rows: readonly (readonly { text: string }[])[] },
  row: number,
  key: string,
) => table.rows[row]![table.columns.findIndex((c) => c.key === key)]!.text;

describe('overview denominators', () => {
  test('a dead target with one right answer never reads 100% without its denominator', () => {
    const records: JournalRecord[] = [runStart([target('dead')]), ok({ target: 'dead', row: 'r0' })];
    for (let i = 1; i < 299; i++) records.push({ ...failed('dead', `r${i}`), key: `r${i}|dead|0`, rowIndex: i });
    const view = model([...records, runEnd()]);
    expect(cellText(view.overview, 0, 'accuracyAll')).toBe('0.3% (1/299)');
    expect(cellText(view.overview, 0, 'accuracy')).toBe('100.0% (1/1)');
    expect(cellText(view.overview, 0, 'errors')).toBe('298 (99.7%)');
    // Errors sit right beside the accuracy they qualify, not scrolled out of view.
    expect(view.overview.columns.slice(0, 6).map((c) => c.key)).toEqual([
      'target',
      'results',
      'accuracyAll',
      'accuracy',
      'accuracyCi',
      'errors',
    ]);
  });
});

describe('settings table', () => {
  test('shows API, deployments, system prompt, temperature, token limit and reasoning effort per target', () => {
    const info: TargetInfo = {
      ...target('r1'),
      maxOutputTokens: 512,
      settings: { system: 'Be brief.', temperature: 0.3, reasoningEffort: 'high', tokenLimitField: 'max_tokens', stream: true },
    };
    const view = model([runStart([info, target('plain')]), ok({ target: 'r1', row: 'r1' }), ok({ target: 'plain', row: 'r1' }), runEnd()]);
    expect(view.settings.rows.map((r) => r.map((c) => c.text))).toEqual([
      ['r1', 'chat', 'r1 (r1/d) at http://127.0.0.1:1/', 'Be brief.', '0.3', 'default', '512 (max_tokens)', 'high', 'yes', 'no price'],
      ['plain', 'chat', 'plain (plain/d) at http://127.0.0.1:1/', 'none', 'default', 'default', 'not set', 'default', '—', 'no price'],
    ]);
  });
});

describe('accuracy by description', () => {
  const described = (result: ResultRecord, description: string): ResultRecord => ({ ...result, description });

  test('counts each target’s pass rate per description over answered cells; a re-recorded cell replaces its first record', () => {
    const view = model([
      runStart([target('a')]),
      described(ok({ target: 'a', row: 'r1', passed: true }), 'math'),
      described(ok({ target: 'a', row: 'r2', passed: false }), 'math'),
      described({ ...failed('a', 'r3'), key: 'r3|a|0' }, 'geo'),
      described(ok({ target: 'a', row: 'r3', passed: true }), 'geo'), // --retry-errors: same key, now answered
      described(ok({ target: 'a', row: 'r4', passed: true }), 'geo'),
      described({ ...failed('a', 'r5'), key: 'r5|a|0' }, 'geo'),
      runEnd(),
    ]);
    const labels = view.details.find((t) => t.id === 'labels')!;
    expect(labels.rows.map((r) => r.map((c) => c.text))).toEqual([
      ['geo', '100.0% (2/2) +1 unanswered'],
      ['math', '50.0% (1/2)'],
    ]);
  });

  test('groups by a label column when rows have one, ahead of the description', () => {
    const labelled = (result: ResultRecord, label: string): ResultRecord => ({
      ...result,
      label,
      description: `free text ${result.rowId}`,
    });
    const view = model([
      runStart([target('a')]),
      labelled(ok({ target: 'a', row: 'r1', passed: true }), 'easy'),
      labelled(ok({ target: 'a', row: 'r2', passed: false }), 'hard'),
      labelled(ok({ target: 'a', row: 'r3', passed: true }), 'hard'),
      runEnd(),
    ]);
    const labels = view.details.find((t) => t.id === 'labels')!;
    expect(labels.title).toBe('Accuracy by label (answered cells)');
    expect(labels.rows.map((r) => r.map((c) => c.text))).toEqual([
      ['easy', '100.0% (1/1)'],
      ['hard', '50.0% (1/2)'],
    ]);
  });

  test('is left out when descriptions are per-row text (more than MAX_LABELS distinct)', () => {
    const records: JournalRecord[] = [runStart([target('a')])];
    for (let i = 0; i <= MAX_LABELS; i++) records.push(described({ ...ok({ target: 'a', row: `r${i}` }), rowIndex: i }, `row ${i}`));
    expect(model([...records, runEnd()]).details.some((t) => t.id === 'labels')).toBe(false);
  });
});
