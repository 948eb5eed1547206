import { describe, expect, test } from 'vitest';
import { wilsonInterval } from '../../../src/report/stats/wilson.ts';

// Reference values computed by hand from Wilson's formula and checked against Newcombe (1998), Table I
// and R's `prop.test(correct = FALSE)`.
describe('wilsonInterval', () => {
  test('81 of 100 at z = 1.96 gives [0.7222, 0.8750]', () => {
    const ci = wilsonInterval(81, 100, 1.96)!;
    expect(ci.low).toBeCloseTo(0.7222, 4);
    expect(ci.high).toBeCloseTo(0.8749, 3);
  });

  test('0 of 10 stays inside [0, 1] with upper bound 0.2775', () => {
    const ci = wilsonInterval(0, 10, 1.96)!;
    expect(ci.low).toBe(0);
    expect(ci.high).toBeCloseTo(0.2775, 4);
  });

  test('10 of 10 mirrors 0 of 10', () => {
    const ci = wilsonInterval(10, 10, 1.96)!;
    expect(ci.low).toBeCloseTo(0.7225, 4);
    expect(ci.high).toBe(1);
  });

  test('no trials gives no interval', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });
});
