import { describe, expect, test } from 'vitest';
import { createRng } from '../../../src/internal/rng.ts';
import {
  bootstrapClusterMeanCi,
  bootstrapMeanCi,
  bootstrapPercentileCis,
  effectiveResamples,
} from '../../../src/report/stats/bootstrap.ts';
import { percentile } from '../../../src/report/stats/percentile.ts';

// A bootstrap has no closed form, so these check it against known large-sample answers: for the mean
// of 400 values with σ = 0.5 (a fair coin) the 95% interval is ≈ ±1.96·0.5/√400 = ±0.049.
describe('bootstrapMeanCi', () => {
  const coin = Array.from({ length: 400 }, (_, i) => i % 2);

  test('matches the normal-theory half width for a fair coin (≈ 0.049)', () => {
    const ci = bootstrapMeanCi(coin, { random: createRng(1), resamples: 2000 })!;
    expect(ci.low).toBeGreaterThan(0.44);
    expect(ci.low).toBeLessThan(0.46);
    expect(ci.high).toBeGreaterThan(0.54);
    expect(ci.high).toBeLessThan(0.56);
  });

  test('the same seed gives the same interval', () => {
    const a = bootstrapMeanCi(coin, { random: createRng('x') });
    const b = bootstrapMeanCi(coin, { random: createRng('x') });
    expect(a).toEqual(b);
  });

  test('a constant sample has a zero-width interval', () => {
    expect(bootstrapMeanCi([3, 3, 3], { random: createRng(2) })).toEqual({ low: 3, high: 3 });
  });

  test('an empty sample has no interval', () => {
    expect(bootstrapMeanCi([], { random: createRng(2) })).toBeNull();
  });
});

describe('bootstrapClusterMeanCi', () => {
  test('perfectly correlated repeats widen the interval to that of the rows alone', () => {
    // 100 rows, each repeated 4 times with the same value: the effective sample is 100, not 400.
    const sums = Array.from({ length: 100 }, (_, i) => (i % 2) * 4);
    const counts = new Array(100).fill(4);
    const ci = bootstrapClusterMeanCi(sums, counts, { random: createRng(3), resamples: 2000 })!;
    expect(ci.high - ci.low).toBeGreaterThan(0.17); // ≈ 2·1.96·0.5/√100 = 0.196
    expect(ci.high - ci.low).toBeLessThan(0.23);
  });
});

describe('bootstrapPercentileCis', () => {
  const sorted = Float64Array.from({ length: 1000 }, (_, i) => i + 1);

  test('each interval contains the sample percentile', () => {
    const fractions = [0.5, 0.9, 0.95, 0.99];
    const cis = bootstrapPercentileCis(sorted, fractions, { random: createRng(4) });
    fractions.forEach((p, i) => {
      const value = percentile(sorted, p);
      expect(cis[i]!.low).toBeLessThanOrEqual(value);
      expect(cis[i]!.high).toBeGreaterThanOrEqual(value);
    });
  });

  test('the median CI of 1..1000 is about ±1.96·√(n·¼) ranks ≈ ±31', () => {
    const [ci] = bootstrapPercentileCis(sorted, [0.5], { random: createRng(5), resamples: 2000 });
    expect(ci!.low).toBeGreaterThan(460);
    expect(ci!.low).toBeLessThan(484);
    expect(ci!.high).toBeGreaterThan(517);
    expect(ci!.high).toBeLessThan(541);
  });

  test('a single value gives a point interval', () => {
    expect(bootstrapPercentileCis([7], [0.5, 0.99], { random: createRng(6) })).toEqual([
      { low: 7, high: 7 },
      { low: 7, high: 7 },
    ]);
  });
});

test('the resample count shrinks for very large samples but never below 100', () => {
  expect(effectiveResamples(1000)).toBe(1000);
  expect(effectiveResamples(1_000_000)).toBe(100);
  expect(effectiveResamples(0)).toBe(0);
});
