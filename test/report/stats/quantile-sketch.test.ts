/** The quantile sketch's one promise: every rank's value within its relative error, whatever the data. */
import { describe, expect, test } from 'vitest';
import { createRng } from '../../../src/internal/rng.ts';
import { QuantileSketch, SKETCH_RELATIVE_ERROR } from '../../../src/report/stats/quantile-sketch.ts';

const random = createRng('sketch');
const samples: Record<string, () => number> = {
  // Heavy-tailed, like latencies: e^N(6, 1.5), from ~1 ms to minutes.
  lognormal: () => Math.exp(6 + 1.5 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())),
  // Many exact zeros (queue waits of an idle scheduler) among small values.
  zerosAndSmall: () => (random() < 0.6 ? 0 : random() * 3),
  // Both signs and a wide range.
  signed: () => (random() - 0.5) * 10 ** (6 * random() - 2),
};

describe('QuantileSketch', () => {
  for (const [name, draw] of Object.entries(samples)) {
    test(`${name}: every rank of 20,000 values comes back within ${SKETCH_RELATIVE_ERROR * 100}% of the exact order statistic`, () => {
      const values = Array.from({ length: 20_000 }, draw);
      const sketch = new QuantileSketch();
      for (const v of values) sketch.add(v);
      const sorted = Float64Array.from(values).sort();
      expect(sketch.count).toBe(values.length);
      let worst = 0;
      for (let rank = 0; rank < sorted.length; rank++) {
        const exact = sorted[rank]!;
        const error = Math.abs(sketch.valueAtRank(rank) - exact);
        // Values below 1e-6 in magnitude are counted as zero by design.
        const allowed = Math.abs(exact) < 1e-6 ? 1e-6 : SKETCH_RELATIVE_ERROR * Math.abs(exact) * (1 + 1e-9);
        if (error > allowed) throw new Error(`rank ${rank}: ${sketch.valueAtRank(rank)} vs ${exact}`);
        worst = Math.max(worst, exact === 0 ? 0 : error / Math.abs(exact));
      }
      expect(worst).toBeGreaterThan(0); // it is a sketch, not a copy
    });
  }

  test('counts a repeated value once per add, and visits buckets in ascending order with their counts', () => {
    const sketch = new QuantileSketch();
    sketch.add(5, 3);
    sketch.add(-2);
    sketch.add(0);
    sketch.add(Number.NaN);
    const seen: [number, number][] = [];
    sketch.forEachBucket((value, count) => seen.push([value, count]));
    expect(sketch.count).toBe(5);
    expect(seen.map(([, c]) => c)).toEqual([1, 1, 3]);
    expect(seen[0]![0]).toBeCloseTo(-2, 2);
    expect(seen[1]![0]).toBe(0);
    expect(seen[2]![0]).toBeCloseTo(5, 2);
    expect(sketch.valueAtRank(-1)).toBeCloseTo(-2, 2);
    expect(sketch.valueAtRank(99)).toBeCloseTo(5, 2);
    expect(new QuantileSketch().valueAtRank(0)).toBeNaN();
  });
});
