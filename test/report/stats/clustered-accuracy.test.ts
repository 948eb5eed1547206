/**
 * Accuracy intervals with repeats: three samples of one row are not three independent observations.
 * When a row's repeats agree (a model that knows or does not know the answer), the information is
 * closer to one observation per row than to three, so the interval must be wider than the naive
 * Wilson interval over every sample — by a factor that the design effect makes explicit.
 */
import { describe, expect, test } from 'vitest';
import { clusteredProportionInterval, clusteredStandardError } from '../../../src/report/stats/clustered.ts';
import { wilsonInterval } from '../../../src/report/stats/wilson.ts';
import { createSummaryBuilder } from '../../../src/report/summarize.ts';
import { ok, runEnd, runStart, target } from '../records.ts';

const width = (ci: { low: number; high: number } | null) => (ci ? ci.high - ci.low : NaN);

/** 30 rows × 3 repeats; `pattern(row)` gives the three outcomes of a row. */
function clustersOf(pattern: (row: number) => number[]): number[][] {
  return Array.from({ length: 30 }, (_, row) => pattern(row));
}

describe('clustered accuracy interval', () => {
  test('rows whose repeats agree: design effect = repeats, interval = Wilson on one sample per row', () => {
    // 20 rows always right, 10 always wrong: 60/90 passes, but only 30 independent answers.
    const clusters = clustersOf((row) => (row < 20 ? [1, 1, 1] : [0, 0, 0]));
    const clustered = clusteredProportionInterval(clusters)!;
    const naive = wilsonInterval(60, 90)!;
    expect(clustered.designEffect).toBeCloseTo(3, 10);
    expect(width(clustered.ci)).toBeGreaterThan(width(naive) * 1.5);
    // Why: it is exactly the interval of 20 passes out of 30 rows.
    const perRow = wilsonInterval(20, 30)!;
    expect(clustered.ci.low).toBeCloseTo(perRow.low, 12);
    expect(clustered.ci.high).toBeCloseTo(perRow.high, 12);
    // and the clustered SE is √3 × the naive SE.
    const naiveSe = Math.sqrt(((60 / 90) * (30 / 90)) / 90);
    expect(clusteredStandardError(clusters)! / naiveSe).toBeCloseTo(Math.sqrt(3), 10);
  });

  test('repeats that vary independently within rows: no inflation (design effect floored at 1)', () => {
    // Every row has exactly two passes out of three: rows agree with each other, so clustering adds nothing.
    const clusters = clustersOf(() => [1, 1, 0]);
    const clustered = clusteredProportionInterval(clusters)!;
    expect(clustered.designEffect).toBe(1);
    expect(clustered.ci).toEqual(wilsonInterval(60, 90));
  });

  test('never a zero-width interval at 0% or 100%: the effective size is the number of rows', () => {
    const all = clusteredProportionInterval(clustersOf(() => [1, 1, 1]))!;
    expect(all.ci.high).toBe(1);
    expect(all.ci.low).toBeLessThan(1);
    expect(all.ci).toEqual(wilsonInterval(30, 30));
    const none = clusteredProportionInterval(clustersOf(() => [0, 0, 0]))!;
    expect(none.ci.low).toBe(0);
    expect(none.ci.high).toBeGreaterThan(0);
  });

  test('the summary of a --repeats 3 run uses it, and says so; without repeats it stays plain Wilson', () => {
    const build = (repeats: number) => {
      const b = createSummaryBuilder({ resamples: 20 });
      b.add(runStart([target('a')], { repeats }));
      for (let row = 0; row < 30; row++)
        for (let r = 0; r < repeats; r++) b.add(ok({ target: 'a', row: `r${row}`, repeat: r, passed: row < 20 }));
      b.add(runEnd());
      return b.finish();
    };
    const repeated = build(3);
    const accuracy = repeated.targets[0]!.accuracy!;
    expect(accuracy).toMatchObject({ passed: 60, scored: 90, method: 'wilson-clustered' });
    expect(width(accuracy.ci)).toBeGreaterThan(width(wilsonInterval(60, 90)));
    expect(repeated.methods.intervals).toMatch(/effective sample size/);
    const single = build(1).targets[0]!.accuracy!;
    expect(single).toMatchObject({ method: 'wilson', designEffect: null, ci: wilsonInterval(20, 30) });
  });
});

test('a mean score of exactly 1 (or 0) gets the Wilson interval of its rows, not a zero-width bootstrap', () => {
  const b = createSummaryBuilder({ resamples: 50 });
  b.add(runStart([target('a')], { repeats: 2 }));
  for (let row = 0; row < 10; row++) for (let r = 0; r < 2; r++) b.add(ok({ target: 'a', row: `r${row}`, repeat: r }));
  b.add(runEnd());
  const score = b.finish().targets[0]!.score!;
  expect(score.mean).toBe(1);
  expect(score.ci).toEqual(wilsonInterval(10, 10));
  expect(score.ci!.low).toBeLessThan(1);
});
