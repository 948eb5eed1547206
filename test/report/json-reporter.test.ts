import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RunSummary } from '../../src/report/summary-types.ts';
import { createJournalFixture } from '../support/journal-fixture.ts';
import { renderJournal, type Rendered } from './render-journal.ts';

let rendered: Rendered;
let report: RunSummary;

beforeAll(async () => {
  rendered = await renderJournal(createJournalFixture({ rows: 25 }), ['json']);
  report = JSON.parse(await readFile(join(rendered.dir, 'report.json'), 'utf8'));
});
afterAll(() => rendered.cleanup());

test('report.json holds the run facts, one summary per target and every pair', () => {
  expect(report).toMatchObject({ version: 1, runId: 'fixture-7', emulator: true, repeats: 1, rows: 25 });
  expect(report.targets.map((t) => t.target)).toEqual(['gpt-4o', 'gpt-4o-mini', 'o4-mini']);
  expect(report.pairwise.map((p) => `${p.a}/${p.b}`)).toEqual(['gpt-4o/gpt-4o-mini', 'gpt-4o/o4-mini', 'gpt-4o-mini/o4-mini']);
});

test('each target has latency percentiles with intervals, tokens, cost and errors', () => {
  const t = report.targets[0]!;
  expect(Object.keys(t.latency)).toEqual(['e2e', 'logical', 'queue', 'retryWait', 'ttft', 'itl', 'tpot']);
  expect(t.latency.e2e!.percentiles.p95.ci!.low).toBeLessThanOrEqual(t.latency.e2e!.percentiles.p95.value);
  expect(t.tokens.total.prompt).toBeGreaterThan(0);
  expect(t.cost!.per1kRows).toBeGreaterThan(0);
  expect(t.retries.attempts).toBeGreaterThan(0);
});

test('chart series are bounded in size', () => {
  expect(report.series.latencyCdf['gpt-4o']).toHaveLength(101);
  expect(report.series.ttftHistogram.edgesMs.length).toBeLessThanOrEqual(32);
  expect(report.series.timeline!.startsMs.length).toBeLessThanOrEqual(120);
});

test('documents its methods', () => {
  expect(report.methods.percentiles).toContain('R-7');
});
