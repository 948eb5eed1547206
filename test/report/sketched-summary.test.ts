/**
 * A run past the exact limit: the summary's latency figures come from the sketch, say so in `methods`,
 * and still agree with an independent exact fold of the same results within the sketch's error.
 */
import { expect, test } from 'vitest';
import { createRng } from '../../src/internal/rng.ts';
import { EXACT_LIMIT } from '../../src/report/latency-column.ts';
import { percentile } from '../../src/report/stats/percentile.ts';
import { SKETCH_RELATIVE_ERROR } from '../../src/report/stats/quantile-sketch.ts';
import { createSummaryBuilder } from '../../src/report/summarize.ts';
import { ok, runStart, target } from './records.ts';

function fold(rows: number) {
  const random = createRng('sketched');
  const builder = createSummaryBuilder({ resamples: 50 });
  builder.add(runStart([target('a')]));
  const e2e: number[] = [];
  const ttft: number[] = [];
  for (let i = 0; i < rows; i++) {
    const first = Math.round(50 + 400 * random());
    const total = first + Math.round(-600 * Math.log(1 - random()));
    e2e.push(total);
    ttft.push(first);
    builder.add(ok({ target: 'a', row: `r${i}`, e2e: total, ttft: first, completion: 20 }));
  }
  return { summary: builder.finish(), e2e, ttft };
}

test('past the exact limit, percentiles agree with an exact fold within the sketch error and methods say how they were made', () => {
  const { summary, e2e, ttft } = fold(EXACT_LIMIT + 5_000);
  const a = summary.targets[0]!;
  expect(a.latency.e2e!.count).toBe(e2e.length);
  expect(a.latency.e2e!.max).toBe(Math.max(...e2e));
  for (const [values, stats] of [
    [e2e, a.latency.e2e!],
    [ttft, a.latency.ttft!],
  ] as const) {
    for (const [key, p] of [
      ['p50', 0.5],
      ['p95', 0.95],
      ['p99', 0.99],
    ] as const) {
      const truth = percentile(values, p);
      expect(Math.abs(stats.percentiles[key].value - truth)).toBeLessThanOrEqual(SKETCH_RELATIVE_ERROR * truth);
    }
  }
  expect(a.byDeployment[0]!.e2eP95Ms! / percentile(e2e, 0.95)).toBeCloseTo(1, 2);
  expect(summary.methods.percentiles).toContain('sketch within 0.1% relative error');
  expect(summary.methods.intervals).toContain('order-statistic');
  // The CDF chart and the TTFT histogram are built from the sketch: every result is in the histogram.
  const counts = summary.series.ttftHistogram.counts.a!;
  expect(counts.reduce((x, y) => x + y, 0)).toBe(ttft.length);
  expect(summary.series.latencyCdf.a!.at(-1)![0]).toBe(Math.max(...e2e));
});

test('a run within the exact limit does not mention the sketch', () => {
  const { summary } = fold(200);
  expect(summary.methods.percentiles).toBe('R-7 linear interpolation (Hyndman & Fan type 7)');
  expect(summary.methods.intervals).not.toContain('order-statistic');
});
