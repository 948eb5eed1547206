import { describe, expect, test } from 'vitest';
import { costOf, meetsSlo, resultLatency, resultScore } from '../../src/report/metrics.ts';
import { ok } from './records.ts';

describe('resultLatency', () => {
  test('ITL is (e2e − TTFT) / (tokens − 1): (1100 − 200) / (10 − 1) = 100 ms', () => {
    expect(resultLatency(ok({ target: 'a', row: 'r1', ttft: 200, e2e: 1100, completion: 10 })).itlMs).toBe(100);
  });

  test('TPOT is e2e / tokens: 1100 / 10 = 110 ms', () => {
    expect(resultLatency(ok({ target: 'a', row: 'r1', ttft: 200, e2e: 1100, completion: 10 })).tpotMs).toBe(110);
  });

  test('ITL needs a TTFT and two tokens', () => {
    expect(resultLatency(ok({ target: 'a', row: 'r1', e2e: 500, completion: 10 })).itlMs).toBeNull();
    expect(resultLatency(ok({ target: 'a', row: 'r1', ttft: 100, e2e: 500, completion: 1 })).itlMs).toBeNull();
  });

  test('logical latency is the record duration, including retry waits', () => {
    expect(resultLatency(ok({ target: 'a', row: 'r1', e2e: 500, durationMs: 3500 })).logicalMs).toBe(3500);
  });
});

describe('costOf', () => {
  test('charges uncached prompt, cached prompt and completion tokens at their prices per 1M', () => {
    // 1,000 prompt (200 cached) at $2.50 / $1.25, 500 completion at $10: 800·2.5 + 200·1.25 + 500·10 = 7,250 µ$.
    const usage = { promptTokens: 1000, completionTokens: 500, reasoningTokens: 100, cachedTokens: 200 };
    expect(costOf(usage, { input: 2.5, output: 10, cachedInput: 1.25 })).toBeCloseTo(0.00725, 12);
  });

  test('without a cached price, cached tokens cost the input price', () => {
    const usage = { promptTokens: 1000, completionTokens: 0, reasoningTokens: 0, cachedTokens: 400 };
    expect(costOf(usage, { input: 1, output: 2 })).toBeCloseTo(0.001, 12);
  });
});

test('resultScore averages successful scorers and ignores failed ones', () => {
  expect(
    resultScore([
      { scorer: 'a', status: 'ok', value: 1, passed: true },
      { scorer: 'b', status: 'ok', value: 0.5, passed: false },
      { scorer: 'c', status: 'error', error: 'x' },
    ]),
  ).toBe(0.75);
});

describe('meetsSlo', () => {
  const result = ok({ target: 'a', row: 'r1', ttft: 300, e2e: 1500 });

  test('passes when every SLO is met', () => {
    expect(meetsSlo(result, { ttftMs: 300, e2eMs: 1500 })).toBe(true);
  });

  test('fails when one SLO is missed', () => {
    expect(meetsSlo(result, { ttftMs: 299, e2eMs: 5000 })).toBe(false);
  });

  test('a TTFT SLO is missed when no TTFT was measured', () => {
    expect(meetsSlo(ok({ target: 'a', row: 'r1', e2e: 10 }), { ttftMs: 1000 })).toBe(false);
  });
});
