import { describe, expect, test } from 'vitest';
import { percentile, percentileSorted } from '../../../src/report/stats/percentile.ts';

// R-7 values as R's quantile(type = 7) and numpy.percentile give them.
describe('percentile (R-7)', () => {
  test('median of 1..4 interpolates to 2.5', () => {
    expect(percentile([4, 1, 3, 2], 0.5)).toBe(2.5);
  });

  test('p90 of 1..10 is 9.1', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 10);
  });

  test('p95 of 10, 20, 30, 40, 50 is 48', () => {
    expect(percentile([50, 10, 40, 20, 30], 0.95)).toBeCloseTo(48, 10);
  });

  test('sorts numerically, not as strings', () => {
    expect(percentile([100, 9, 20], 0)).toBe(9);
  });

  test('extremes are min and max', () => {
    expect(percentileSorted([1, 5, 7], 0)).toBe(1);
    expect(percentileSorted([1, 5, 7], 1)).toBe(7);
  });

  test('a single value is every percentile', () => {
    expect(percentileSorted([42], 0.99)).toBe(42);
  });

  test('empty input is NaN', () => {
    expect(percentileSorted([], 0.5)).toBeNaN();
  });
});
