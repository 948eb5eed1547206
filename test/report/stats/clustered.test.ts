import { describe, expect, test } from 'vitest';
import { clusteredStandardError, meanWithinClusterVariance } from '../../../src/report/stats/clustered.ts';

// Worked by hand: clusters {1,1}, {0,0}, {1,0}; x̄ = 0.5; residual sums 1, −1, 0; SE = √2 / 6.
describe('clusteredStandardError', () => {
  test('three rows of two repeats give √2/6 ≈ 0.2357', () => {
    expect(
      clusteredStandardError([
        [1, 1],
        [0, 0],
        [1, 0],
      ]),
    ).toBeCloseTo(Math.SQRT2 / 6, 12);
  });

  test('singleton clusters reduce to √(Σ(x − x̄)²)/n', () => {
    // x = 1, 0, 1, 0: x̄ = 0.5, Σ residual² = 1, SE = 1/4.
    expect(clusteredStandardError([[1], [0], [1], [0]])).toBeCloseTo(0.25, 12);
  });

  test('no values give null', () => {
    expect(clusteredStandardError([])).toBeNull();
  });
});

describe('meanWithinClusterVariance', () => {
  test('averages per-row sample variances: (0 + 0 + 0.5) / 3', () => {
    expect(
      meanWithinClusterVariance([
        [1, 1],
        [0, 0],
        [1, 0],
      ]),
    ).toBeCloseTo(1 / 6, 12);
  });

  test('ignores rows with a single repeat', () => {
    expect(meanWithinClusterVariance([[1], [0, 1, 1]])).toBeCloseTo(1 / 3, 12);
  });

  test('no repeated rows give null', () => {
    expect(meanWithinClusterVariance([[1], [0]])).toBeNull();
  });
});
