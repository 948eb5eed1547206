import { describe, expect, test } from 'vitest';
import { createSummaryBuilder } from '../../src/report/summarize.ts';
import { wilsonInterval } from '../../src/report/stats/wilson.ts';
import type { JournalRecord } from '../../src/types.ts';
import { createJournalFixture } from '../support/journal-fixture.ts';
import { attempt, failed, ok, runEnd, runStart, T0, target } from './records.ts';

/** A journal whose every number below is worked out by hand. */
function handJournal(): JournalRecord[] {
  return [
    runStart([target('A', { input: 1, output: 2 }), target('B')], { slo: { e2eMs: 150 } }),
    attempt('A', 'quota', T0, 10),
    attempt('A', 'quota', T0 + 1000, 10, { waitedBeforeMs: 1000 }),
    ok({ target: 'A', row: 'r1', passed: true, e2e: 100, ttft: 20, startedAt: T0 }),
    ok({ target: 'A', row: 'r2', passed: true, e2e: 200, startedAt: T0 + 1000 }),
    ok({ target: 'A', row: 'r3', passed: false, e2e: 300, startedAt: T0 + 2000 }),
    ok({ target: 'A', row: 'r4', passed: true, e2e: 1, fromCache: true }),
    failed('A', 'r5'),
    ok({ target: 'B', row: 'r1', passed: false }),
    ok({ target: 'B', row: 'r2', passed: true }),
    ok({ target: 'B', row: 'r3', passed: true }),
    ok({ target: 'B', row: 'r4', passed: true }),
    ok({ target: 'B', row: 'r5', passed: true }),
    runEnd(),
  ];
}

function summarize(records: readonly JournalRecord[], resamples = 200) {
  const builder = createSummaryBuilder({ resamples });
  for (const r of records) builder.add(r);
  return builder;
}

describe('createSummaryBuilder on a hand-worked journal', () => {
  const summary = summarize(handJournal()).finish();
  const a = summary.targets[0]!;

  test('counts results, failures and cached results', () => {
    expect([a.results, a.ok, a.failed, a.cached]).toEqual([5, 4, 1, 1]);
  });

  test('accuracy is passed / scored (failures excluded) with a Wilson interval: 3 / 4; over all 5 cells 3 / 5', () => {
    expect(a.accuracy).toEqual({
      passed: 3,
      scored: 4,
      rate: 0.75,
      ci: wilsonInterval(3, 4),
      method: 'wilson',
      designEffect: null,
      cells: 5,
      rateOverAllCells: 0.6,
    });
  });

  test('latency excludes cached results: e2e p50 of 100, 200, 300 is 200 and p90 is 280', () => {
    expect(a.latency.e2e!.count).toBe(3);
    expect(a.latency.e2e!.percentiles.p50.value).toBe(200);
    expect(a.latency.e2e!.percentiles.p90.value).toBeCloseTo(280, 10);
  });

  test('tokens and cost count billable results only: 30 in, 15 out, $0.00006', () => {
    expect(a.tokens.total).toEqual({ prompt: 30, completion: 15, reasoning: 0, cached: 0 });
    expect(a.cost!.total).toBeCloseTo(60e-6, 15);
    expect(a.cost!.perItem).toBeCloseTo(20e-6, 15);
    expect(a.cost!.per1kRows).toBeCloseTo(0.02, 12);
  });

  test('a target without a price has no cost', () => {
    expect(summary.targets[1]!.cost).toBeNull();
  });

  test('goodput counts non-cached results meeting the SLO, failures included in the total: 1 / 4', () => {
    expect(a.goodput).toMatchObject({ met: 1, total: 4, share: 0.25 });
  });

  test('429 attempts and retry waits come from attempt records', () => {
    expect(a.retries).toMatchObject({ attempts: 2, quota429: 2, capacity429: 0, waitedMs: 1000 });
  });

  test('errors are broken down by category and reason', () => {
    expect(a.errorsByCategory).toEqual({ server: 1 });
    expect(a.errorsByReason).toEqual({ exhausted: 1 });
  });

  test('pairs on shared scored rows: one discordant each way is no evidence of a difference', () => {
    const pair = summary.pairwise[0]!;
    expect(pair.accuracy).toMatchObject({ pairs: 4, aOnly: 1, bOnly: 1, pValue: 1, verdict: 'no-difference' });
    expect(pair.accuracy!.diff.value).toBe(0);
  });

  test('time paused comes from the run-end record', () => {
    expect(summary.scheduler!.pausedMs).toBe(1234);
  });

  test('run facts come from the run-start record', () => {
    expect(summary).toMatchObject({ runId: 'hand', emulator: false, repeats: 1, scorers: ['exact'], endReason: 'completed' });
  });
});

test('a pool is broken down by deployment: counts, 429s and median latency each', () => {
  const summary = summarize([
    runStart([target('P')]),
    attempt('P', 'quota', T0, 5, { deploymentId: 'P/west' }),
    ok({ target: 'P', row: 'r1', deployment: 'P/east', e2e: 100 }),
    ok({ target: 'P', row: 'r2', deployment: 'P/east', e2e: 300 }),
    ok({ target: 'P', row: 'r3', deployment: 'P/west', e2e: 900 }),
    runEnd(),
  ]).finish();
  expect(summary.targets[0]!.byDeployment).toEqual([
    {
      id: 'P/east',
      results: 2,
      ok: 2,
      failed: 0,
      attempts: 0,
      quota429: 0,
      capacity429: 0,
      e2eP50Ms: 200,
      e2eP95Ms: 290,
      ttftP50Ms: null,
      pausedMs: 0,
    },
    {
      id: 'P/west',
      results: 1,
      ok: 1,
      failed: 0,
      attempts: 1,
      quota429: 1,
      capacity429: 0,
      e2eP50Ms: 900,
      e2eP95Ms: 900,
      ttftP50Ms: null,
      pausedMs: 0,
    },
  ]);
});

describe('createSummaryBuilder on a synthetic journal', () => {
  test('repeats give a per-item variance and a clustered standard error', () => {
    const t = summarize(createJournalFixture({ rows: 30, repeats: 3 })).finish().targets[0]!;
    expect(t.score!.itemVariance).toBeGreaterThan(0);
    expect(t.score!.clusteredSe).toBeGreaterThan(0);
  });

  test('the same journal gives the same summary (seeded bootstrap)', () => {
    const records = createJournalFixture({ rows: 20 });
    expect(JSON.stringify(summarize(records).finish())).toBe(JSON.stringify(summarize(records).finish()));
  });

  test('the row sample is capped and keeps rows where targets disagree or failed first', () => {
    const builder = createSummaryBuilder({ sampleRows: 10, resamples: 100 });
    for (const r of createJournalFixture({ rows: 80 })) builder.add(r);
    const rows = builder.rows();
    expect(rows).toHaveLength(10);
    expect(builder.cellsSeen()).toBe(80);
    for (const row of rows) {
      const cells = Object.values(row.cells);
      const verdicts = new Set(cells.map((c) => c.passed).filter((p) => p !== null));
      expect(cells.some((c) => c.status === 'failed') || verdicts.size > 1).toBe(true);
    }
  });

  test('a second run-start (a resumed run) does not reset the summary', () => {
    const records = handJournal();
    const summary = summarize([...records.slice(0, -1), records[0]!, records.at(-1)!]).finish();
    expect(summary.targets[0]!.results).toBe(5);
  });
});
