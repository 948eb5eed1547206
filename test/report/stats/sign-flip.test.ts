import { describe, expect, test } from 'vitest';
import { createRng } from '../../../src/internal/rng.ts';
import { mcnemarExact } from '../../../src/report/stats/mcnemar.ts';
import { signFlipTest } from '../../../src/report/stats/sign-flip.ts';

describe('signFlipTest', () => {
  test('on 0/1 differences equals the sign test: 2 up, 9 down gives McNemar’s 0.0654', () => {
    const diffs = [...Array(2).fill(1), ...Array(9).fill(-1), ...Array(20).fill(0)];
    expect(signFlipTest(diffs, createRng(1))).toBeCloseTo(mcnemarExact(2, 9), 12);
  });

  test('three positive differences: only the all-plus and all-minus flips are as extreme, 2/8', () => {
    expect(signFlipTest([1, 2, 3], createRng(1))).toBe(0.25);
  });

  test('1, 2, −3 sums to 0: every flip is as extreme, p = 1', () => {
    expect(signFlipTest([1, 2, -3], createRng(1))).toBe(1);
  });

  test('all zero differences give 1', () => {
    expect(signFlipTest([0, 0], createRng(1))).toBe(1);
  });

  test('the Monte Carlo path agrees with the exact sign test for 40 discordant pairs (30 vs 10)', () => {
    const diffs = [...Array(30).fill(1), ...Array(10).fill(-1)];
    expect(signFlipTest(diffs, createRng(2))).toBeCloseTo(mcnemarExact(30, 10), 2); // ≈ 0.0022
  });
});
