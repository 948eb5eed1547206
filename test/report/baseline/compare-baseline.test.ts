import { describe, expect, test } from 'vitest';
import { buildBaseline } from '../../../src/report/baseline/build-baseline.ts';
import { compareBaselines } from '../../../src/report/baseline/compare-baseline.ts';
import type { Comparison, ComparedMetric } from '../../../src/report/baseline/baseline-types.ts';
import type { JournalRecord } from '../../../src/types.ts';
import { asFailed, baseJournal, dropTarget, failRows, mapResults, reprice, results, slowDown, TARGET } from './journal-variants.ts';

const base = baseJournal();
const baseline = await buildBaseline(base);

async function compareWith(records: JournalRecord[], thresholds = {}): Promise<Comparison> {
  return compareBaselines(baseline, await buildBaseline(records), thresholds);
}

function metric(comparison: Comparison, target: string, name: ComparedMetric) {
  return comparison.targets.find((t) => t.target === target)!.metrics.find((m) => m.metric === name)!;
}

/** Rows of TARGET that passed in the baseline, in row order. */
const passingRows = results(base, TARGET)
  .filter((r) => r.status === 'ok' && r.passed)
  .map((r) => r.rowIndex)
  .sort((a, b) => a - b);

describe('compareBaselines', () => {
  test('an unchanged run is no regression, with nothing flipped, added or removed', async () => {
    const c = await compareWith(base);
    expect(c.regressed).toBe(false);
    expect(c.targets.map((t) => t.status)).toEqual(['ok', 'ok', 'ok']);
    for (const t of c.targets) {
      expect(t.flips.counts).toMatchObject({ passToFail: 0, failToPass: 0 });
      expect(t.added.count + t.removed.count).toBe(0);
    }
    expect(c.sentences).toEqual(['No regression against baseline fixture-11 (3 targets compared).']);
  });

  test('a clear accuracy drop is a regression naming the target, the drop and the flipped rows', async () => {
    const flipped = passingRows.filter((_, i) => i % 3 === 0);
    const c = await compareWith(failRows(base, TARGET, (i) => flipped.includes(i)));
    const target = c.targets.find((t) => t.target === TARGET)!;
    expect(c.regressed).toBe(true);
    expect(target.status).toBe('regressed');
    expect(target.flips.counts.passToFail).toBe(flipped.length);
    expect(target.flips.passToFail).toEqual(flipped.map((i) => `row-${String(i + 1).padStart(4, '0')}`));
    const accuracy = metric(c, TARGET, 'accuracy');
    expect(accuracy.regressed).toBe(true);
    expect(accuracy.delta).toBeCloseTo(-flipped.length / target.flips.counts.paired, 1);
    const sentence = c.sentences.find((s) => s.startsWith(`${TARGET}: accuracy`))!;
    expect(sentence).toMatch(/— regression; \d+ rows flipped pass→fail: row-/);
    expect(sentence).toContain('95% CI');
    expect(c.targets.filter((t) => t.target !== TARGET).every((t) => t.status === 'ok')).toBe(true);
  });

  test('a small drop that is not significant is no regression while significance is required', async () => {
    const flipped = passingRows.slice(0, 2);
    const records = failRows(base, TARGET, (i) => flipped.includes(i));
    const lenient = await compareWith(records);
    expect(metric(lenient, TARGET, 'accuracy')).toMatchObject({ regressed: false });
    expect(metric(lenient, TARGET, 'accuracy').detail).toContain('not significant');
    expect(lenient.regressed).toBe(false);
    expect(lenient.targets.find((t) => t.target === TARGET)!.flips.counts.passToFail).toBe(2);
    const strict = await compareWith(records, { requireSignificant: false });
    expect(metric(strict, TARGET, 'accuracy').regressed).toBe(true);
  });

  test('a drop within the limit is no regression even when significant', async () => {
    const flipped = passingRows.filter((_, i) => i % 3 === 0);
    const c = await compareWith(
      failRows(base, TARGET, (i) => flipped.includes(i)),
      { maxAccuracyDropPts: 50 },
    );
    expect(metric(c, TARGET, 'accuracy').regressed).toBe(false);
  });

  test('p95 latency and TTFT increases beyond their limits are regressions', async () => {
    const c = await compareWith(slowDown(base, TARGET, 1.5));
    expect(metric(c, TARGET, 'p95-latency')).toMatchObject({ regressed: true, deltaPct: expect.closeTo(50, 1), limit: 25 });
    expect(metric(c, TARGET, 'p95-ttft')).toMatchObject({ regressed: true, deltaPct: expect.closeTo(50, 1) });
    expect(metric(c, TARGET, 'accuracy').regressed).toBe(false);
    expect(c.sentences).toContain(`${TARGET}: ${metric(c, TARGET, 'p95-latency').detail}`);
  });

  test('a latency increase under the limit is not', async () => {
    const c = await compareWith(slowDown(base, TARGET, 1.1));
    expect(metric(c, TARGET, 'p95-latency')).toMatchObject({ regressed: false });
    expect(c.regressed).toBe(false);
  });

  test('a cost per item increase beyond the limit is a regression', async () => {
    const c = await compareWith(reprice(base, TARGET, 1.2));
    expect(metric(c, TARGET, 'cost-per-item')).toMatchObject({ regressed: true, deltaPct: expect.closeTo(20, 1), limit: 10 });
    expect(metric(c, 'o4-mini', 'cost-per-item')).toMatchObject({ regressed: false, baseline: null });
  });

  test('a failure category new since the baseline is a regression unless turned off', async () => {
    const victim = results(base, TARGET).find((r) => r.status === 'ok')!;
    const records = mapResults(base, TARGET, (r) =>
      r.key === victim.key
        ? ({
            ...r,
            status: 'failed',
            reason: 'exhausted',
            error: { name: 'ProviderError', code: 'timeout', message: 'timed out', category: 'timeout', retryable: true },
          } as typeof r)
        : r,
    );
    const c = await compareWith(records);
    expect(metric(c, TARGET, 'error-categories')).toMatchObject({ regressed: true });
    expect(metric(c, TARGET, 'error-categories').detail).toContain('new failure categories: timeout (1)');
    expect((await compareWith(records, { failOnNewErrorCategories: false })).regressed).toBe(false);
  });

  test('more failures of a known category are a failure-rate regression, not a new category', async () => {
    const victims = new Set(
      results(base, TARGET)
        .filter((r) => r.status === 'ok')
        .slice(0, 6)
        .map((r) => r.key),
    );
    const records = mapResults(base, TARGET, (r) =>
      victims.has(r.key)
        ? ({
            ...r,
            status: 'failed',
            reason: 'exhausted',
            error: { name: 'ProviderError', code: 'server_error', message: 'x', category: 'server', retryable: true },
          } as typeof r)
        : r,
    );
    const c = await compareWith(records);
    expect(metric(c, TARGET, 'failure-rate')).toMatchObject({ regressed: true, delta: expect.closeTo(0.1, 6), limit: 5 });
    expect(metric(c, TARGET, 'error-categories').regressed).toBe(false);
    expect(c.sentences).toContain(`${TARGET}: ${metric(c, TARGET, 'failure-rate').detail}`);
    expect((await compareWith(records, { maxFailureRateIncreasePts: 20 })).targets.find((t) => t.target === TARGET)!.status).toBe('ok');
  });

  test('a pass that became an error counts as a pass→fail flip', async () => {
    const victim = results(base, TARGET).find((r) => r.status === 'ok' && r.passed)!;
    const records = mapResults(base, TARGET, (r) =>
      r.key === victim.key
        ? ({
            ...r,
            status: 'failed',
            reason: 'exhausted',
            error: { name: 'ProviderError', code: 'server_error', message: 'x', category: 'server', retryable: true },
          } as typeof r)
        : r,
    );
    const c = await compareWith(records);
    expect(c.targets.find((t) => t.target === TARGET)!.flips.passToFail).toEqual([victim.rowId]);
  });

  test('fail→pass flips are listed too', async () => {
    const improved = mapResults(base, TARGET, (r) =>
      r.status === 'ok' && !r.passed
        ? { ...r, passed: true, scores: r.scores.map((s) => (s.status === 'ok' ? { ...s, value: 1, passed: true } : s)) }
        : r,
    );
    const c = await compareWith(improved);
    const t = c.targets.find((x) => x.target === TARGET)!;
    expect(t.flips.counts.failToPass).toBeGreaterThan(0);
    expect(t.status).toBe('ok');
    expect(c.sentences.some((s) => s.includes('flipped fail→pass'))).toBe(true);
  });

  test('rows added or removed since the baseline are reported and not paired', async () => {
    const records = base.filter((r) => !(r.kind === 'result' && r.rowIndex < 3)).concat();
    const c = await compareWith(records);
    const t = c.targets.find((x) => x.target === TARGET)!;
    expect(t.removed).toEqual({ count: 3, ids: ['row-0001', 'row-0002', 'row-0003'] });
    expect(t.flips.counts.paired).toBe(57);
    expect(c.sentences.some((s) => s.startsWith(`${TARGET}: 3 items removed since the baseline (row-0001, row-0002, row-0003)`))).toBe(
      true,
    );
    const reverse = compareBaselines(await buildBaseline(records), baseline);
    expect(reverse.targets.find((x) => x.target === TARGET)!.added.count).toBe(3);
  });

  test('a target missing from the run, or new in it, is reported', async () => {
    const c = await compareWith(dropTarget(base, TARGET));
    expect(c.targets.find((t) => t.target === TARGET)).toMatchObject({ status: 'missing', removed: { count: 60 } });
    expect(c.sentences).toContain(`${TARGET}: in the baseline but not in this run (60 items not compared)`);
    const reverse = compareBaselines(await buildBaseline(dropTarget(base, TARGET)), baseline);
    expect(reverse.targets.find((t) => t.target === TARGET)!.status).toBe('new');
  });

  test('lists are capped but counts stay exact', async () => {
    const c = compareBaselines(baseline, await buildBaseline(failRows(base, TARGET, () => true)), {}, { listLimit: 5 });
    const t = c.targets.find((x) => x.target === TARGET)!;
    expect(t.flips.passToFail).toHaveLength(5);
    expect(t.flips.counts.passToFail).toBe(passingRows.length);
  });

  test('a changed config hash is noted', async () => {
    const records = base.map((r) => (r.kind === 'run-start' ? { ...r, configHash: 'beefbeefbeefbeef' } : r));
    const c = await compareWith(records);
    expect(c.sentences).toContain('config changed since the baseline (hash c0ffee → beefbeefbeef)');
  });

  test('the same inputs give the same comparison', async () => {
    const records = failRows(base, TARGET, (i) => i % 2 === 0);
    expect(await compareWith(records)).toEqual(await compareWith(records));
  });
});

test('repeats: pairs are clustered by row and flips carry the repeat', async () => {
  const { createJournalFixture } = await import('../../support/journal-fixture.ts');
  const records = createJournalFixture({ rows: 30, repeats: 2, payloads: false, seed: 3 });
  const worse = mapResults(records, TARGET, (r) => (r.status === 'ok' && r.passed && r.repeat === 1 ? asFailed(r) : r));
  const c = compareBaselines(await buildBaseline(records), await buildBaseline(worse));
  const accuracy = metric(c, TARGET, 'accuracy');
  expect(accuracy.detail).toContain('row permutation');
  expect(c.targets.find((t) => t.target === TARGET)!.flips.passToFail.every((id) => id.endsWith('#1'))).toBe(true);
});
