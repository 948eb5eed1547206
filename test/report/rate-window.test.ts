import { expect, test } from 'vitest';
import { rateSummary } from '../../src/report/rate-window.ts';

const at = (s: number, tokens: number) => ({ atMs: s * 1000, tokens });

test('the peak counts the busiest 60 s window: events at 0, 30, 59 s fall in one, 61 s drops the first', () => {
  const summary = rateSummary([at(0, 100), at(30, 100), at(59, 100), at(61, 1000)], 61_000)!;
  expect(summary.rpmPeak).toBe(3);
  expect(summary.tpmPeak).toBe(1200); // 30 s, 59 s and 61 s
});

test('the mean is per minute over the span: 4 requests in 120 s is 2 RPM', () => {
  const summary = rateSummary([at(0, 10), at(40, 10), at(80, 10), at(120, 10)], 120_000)!;
  expect(summary.rpmMean).toBe(2);
  expect(summary.tpmMean).toBe(20);
});

test('a span under a minute is not extrapolated to a per-minute rate', () => {
  const summary = rateSummary([at(0, 10), at(5, 10)], 5000)!;
  expect(summary.rpmMean).toBe(2);
  expect(summary.rpmPeak).toBe(2);
});

test('no events give no rate', () => {
  expect(rateSummary([], 0)).toBeNull();
});
