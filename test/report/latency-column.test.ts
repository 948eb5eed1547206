/**
 * A latency metric of the fold: exact (and identical to the array path) up to its limit, then a sketch
 * whose percentiles stay within 0.1 % and whose intervals still cover the truth about 95 % of the time.
 */
import { describe, expect, test } from 'vitest';
import { createRng } from '../../src/internal/rng.ts';
import { LatencyColumn } from '../../src/report/latency-column.ts';
import { latencyStats } from '../../src/report/latency-stats.ts';
import { describe as describeValues } from '../../src/report/stats/describe.ts';
import { percentile } from '../../src/report/stats/percentile.ts';
import { SKETCH_RELATIVE_ERROR } from '../../src/report/stats/quantile-sketch.ts';

function exponential(seed: string, n: number, meanMs = 800): number[] {
  const random = createRng(seed);
  return Array.from({ length: n }, () => -meanMs * Math.log(1 - random()));
}

function filled(values: readonly number[], limit?: number): LatencyColumn {
  const column = new LatencyColumn(limit);
  for (const v of values) column.push(v);
  return column;
}

describe('LatencyColumn', () => {
  test('up to the limit its stats are exactly those of the array path (same bootstrap, same digits)', () => {
    const values = exponential('exact', 5_000);
    const column = filled(values, 5_000);
    expect(column.exact).toBe(true);
    expect(column.stats(createRng('s'), 400)).toEqual(latencyStats(values, createRng('s'), 400));
  });

  test('past the limit: exact count, mean, stddev, min and max; percentiles within the sketch error', () => {
    const values = exponential('big', 60_000);
    const column = filled(values, 1_000);
    expect(column.exact).toBe(false);
    const stats = column.stats(createRng('s'), 400)!;
    const exact = describeValues(values)!;
    expect({ count: stats.count, mean: stats.mean, stddev: stats.stddev, min: stats.min, max: stats.max }).toEqual(exact);
    for (const [key, p] of [
      ['p50', 0.5],
      ['p90', 0.9],
      ['p95', 0.95],
      ['p99', 0.99],
    ] as const) {
      const truth = percentile(values, p);
      expect(Math.abs(stats.percentiles[key].value - truth) / truth).toBeLessThanOrEqual(SKETCH_RELATIVE_ERROR);
      const ci = stats.percentiles[key].ci!;
      expect(ci.low).toBeLessThanOrEqual(stats.percentiles[key].value);
      expect(ci.high).toBeGreaterThanOrEqual(stats.percentiles[key].value);
    }
    expect(column.percentile(0)).toBe(exact.min);
    expect(column.percentile(1)).toBe(exact.max);
  });

  test('the order-statistic intervals are as wide as the bootstrap ones and cover the true quantile ~95 % of the time', () => {
    // Exponential with mean 800: the true p-quantile is −800·ln(1 − p).
    const truth = (p: number) => -800 * Math.log(1 - p);
    let covered = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const values = exponential(`cover-${t}`, 4_000);
      const [p50, p95] = filled(values, 100).percentileCis([0.5, 0.95], createRng(t), 200) as [
        { low: number; high: number },
        { low: number; high: number },
      ];
      if (p50.low <= truth(0.5) && truth(0.5) <= p50.high) covered++;
      if (p95.low <= truth(0.95) && truth(0.95) <= p95.high) covered++;
      if (t === 0) {
        const [b50, b95] = filled(values).percentileCis([0.5, 0.95], createRng(t), 2_000) as [
          { low: number; high: number },
          { low: number; high: number },
        ];
        expect((p50.high - p50.low) / (b50.high - b50.low)).toBeGreaterThan(0.8);
        expect((p50.high - p50.low) / (b50.high - b50.low)).toBeLessThan(1.25);
        expect((p95.high - p95.low) / (b95.high - b95.low)).toBeGreaterThan(0.8);
        expect((p95.high - p95.low) / (b95.high - b95.low)).toBeLessThan(1.25);
      }
    }
    const share = covered / (2 * trials);
    expect(share).toBeGreaterThan(0.9);
    expect(share).toBeLessThan(0.99);
  });

  test('forEachValue visits every value with its count in both modes', () => {
    const values = exponential('visit', 3_000);
    for (const limit of [10_000, 100]) {
      let total = 0;
      let sum = 0;
      filled(values, limit).forEachValue((value, count) => {
        total += count;
        sum += value * count;
      });
      expect(total).toBe(3_000);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      expect(Math.abs(sum / total - mean) / mean).toBeLessThan(SKETCH_RELATIVE_ERROR);
    }
  });
});
