import { describe, expect, test } from 'vitest';
import { mcnemarExact } from '../../../src/report/stats/mcnemar.ts';

// Two-sided exact binomial p-values worked by hand: p = 2·Σ_{i≤min(b,c)} C(b+c, i) / 2^(b+c).
describe('mcnemarExact', () => {
  test('b = 2, c = 9 gives 2·67/2048 ≈ 0.0654', () => {
    expect(mcnemarExact(2, 9)).toBeCloseTo(0.06543, 5);
  });

  test('is symmetric in b and c', () => {
    expect(mcnemarExact(9, 2)).toBe(mcnemarExact(2, 9));
  });

  test('b = 0, c = 6 gives 2/64 = 0.03125', () => {
    expect(mcnemarExact(0, 6)).toBeCloseTo(0.03125, 10);
  });

  test('equal discordant counts cap at 1', () => {
    expect(mcnemarExact(5, 5)).toBe(1);
  });

  test('no discordant pairs gives 1', () => {
    expect(mcnemarExact(0, 0)).toBe(1);
  });

  test('large counts do not overflow: b = 400, c = 600 is far below 1e-9', () => {
    const p = mcnemarExact(400, 600);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-9);
  });
});
