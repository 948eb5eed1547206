import { expect, test } from 'vitest';
import { describe as describeSample } from '../../../src/report/stats/describe.ts';

test('describe gives mean 5, sample stddev √(32/7), min 2, max 9 for 2 4 4 4 5 5 7 9', () => {
  const d = describeSample([2, 4, 4, 4, 5, 5, 7, 9])!;
  expect(d.mean).toBe(5);
  expect(d.stddev).toBeCloseTo(Math.sqrt(32 / 7), 12);
  expect([d.min, d.max, d.count]).toEqual([2, 9, 8]);
});

test('describe of nothing is null', () => {
  expect(describeSample([])).toBeNull();
});
