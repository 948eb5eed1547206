import { describe, expect, test } from 'vitest';
import { binomialCdf, clopperPearson } from '../../../src/report/stats/clopper-pearson.ts';

// Reference values from R's binom.test and scipy's beta.ppf(α/2, x, n − x + 1) / beta.ppf(1 − α/2, x + 1, n − x).
describe('clopperPearson', () => {
  test('2 of 11 gives [0.022831, 0.517756]', () => {
    const ci = clopperPearson(2, 11)!;
    expect(ci.low).toBeCloseTo(0.0228312, 6);
    expect(ci.high).toBeCloseTo(0.5177559, 6);
  });

  test('81 of 100 gives [0.719302, 0.881557]', () => {
    const ci = clopperPearson(81, 100)!;
    expect(ci.low).toBeCloseTo(0.719302, 6);
    expect(ci.high).toBeCloseTo(0.8815568, 6);
  });

  test('0 of 10 has the closed-form upper bound 1 − 0.025^(1/10)', () => {
    expect(clopperPearson(0, 10)).toEqual({ low: 0, high: expect.closeTo(1 - 0.025 ** 0.1, 10) });
  });

  test('10 of 10 has the closed-form lower bound 0.025^(1/10)', () => {
    expect(clopperPearson(10, 10)).toEqual({ low: expect.closeTo(0.025 ** 0.1, 10), high: 1 });
  });

  test('no trials give no interval', () => {
    expect(clopperPearson(0, 0)).toBeNull();
  });
});

test('binomialCdf: P(X ≤ 2) for Binomial(11, ½) is 67/2048', () => {
  expect(binomialCdf(2, 11, 0.5)).toBeCloseTo(67 / 2048, 14);
});
