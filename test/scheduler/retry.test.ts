import { describe, expect, it } from 'vitest';
import {
  classifyFailure,
  clampWait,
  consumesAttempt,
  decorrelatedBackoff,
  type BackoffState,
  hintWaitMs,
  overloadRetryDelay,
} from '../../src/scheduler/retry.ts';
import type { ErrorCategory } from '../../src/types.ts';
import { providerError } from './support/fake-deployment.ts';

describe('hintWaitMs', () => {
  it.each([
    { name: 'retryAfterMs wins over reset headers', retryAfterMs: 1_500, rate: { resetTokensMs: 9_000 }, want: 1_500 },
    { name: 'retryAfterMs of 0 is a hint', retryAfterMs: 0, rate: undefined, want: 0 },
    { name: 'only resetTokensMs', retryAfterMs: undefined, rate: { resetTokensMs: 6_000 }, want: 6_000 },
    { name: 'only resetRequestsMs', retryAfterMs: undefined, rate: { resetRequestsMs: 2_000 }, want: 2_000 },
    { name: 'both resets: the later one', retryAfterMs: undefined, rate: { resetTokensMs: 3_000, resetRequestsMs: 7_000 }, want: 7_000 },
    { name: 'Responses API reset 0 is no hint', retryAfterMs: undefined, rate: { resetTokensMs: 0 }, want: undefined },
    { name: 'nothing at all', retryAfterMs: undefined, rate: undefined, want: undefined },
  ])('$name', ({ retryAfterMs, rate, want }) => {
    expect(hintWaitMs(retryAfterMs, rate)).toBe(want);
  });
});

describe('clampWait', () => {
  it.each([
    { ms: 0, waitMs: 50, unavailable: false },
    { ms: 2_000, waitMs: 2_000, unavailable: false },
    { ms: 120_000, waitMs: 120_000, unavailable: false },
    { ms: 86_400_000, waitMs: 86_400_000, unavailable: true },
  ])('$ms ms → $waitMs ms (unavailable: $unavailable)', ({ ms, waitMs, unavailable }) => {
    expect(clampWait(ms)).toEqual({ waitMs, unavailable });
  });
});

describe('decorrelated backoff without a hint', () => {
  it('stays within [0, 1.38 × base) on the first step for any random value', () => {
    for (const r of [0, 0.25, 0.5, 0.999]) {
      const { delayMs } = decorrelatedBackoff(undefined, 1_000, 60_000, () => r);
      expect(delayMs).toBeGreaterThanOrEqual(0);
      expect(delayMs).toBeLessThan(1_380);
    }
  });

  it('grows over steps and never exceeds the cap', () => {
    let state: BackoffState | undefined;
    let previous = 0;
    let sum = 0;
    for (let i = 0; i < 30; i++) {
      const step = decorrelatedBackoff(state, 1_000, 60_000, () => 0.5);
      state = step.state;
      expect(step.delayMs).toBeLessThanOrEqual(60_000);
      sum += step.delayMs;
      previous = step.delayMs;
    }
    expect(previous).toBe(60_000);
    expect(sum).toBeGreaterThan(60_000);
  });

  it('is deterministic for a fixed random', () => {
    const a = decorrelatedBackoff(undefined, 1_000, 60_000, () => 0.3);
    const b = decorrelatedBackoff(undefined, 1_000, 60_000, () => 0.3);
    expect(a).toEqual(b);
  });

  it('prefers the server hint for overload retries, clamped to at least 50 ms', () => {
    expect(overloadRetryDelay(20_000, undefined, { baseDelayMs: 1_000, maxDelayMs: 60_000 }, () => 0.5).delayMs).toBe(20_000);
    expect(overloadRetryDelay(1, undefined, { baseDelayMs: 1_000, maxDelayMs: 60_000 }, () => 0.5).delayMs).toBe(50);
  });

  it('falls back to the backoff, at least 50 ms', () => {
    const { delayMs } = overloadRetryDelay(undefined, undefined, { baseDelayMs: 1_000, maxDelayMs: 60_000 }, () => 0);
    expect(delayMs).toBe(50);
  });
});

describe('classifyFailure', () => {
  it.each<[ErrorCategory, string]>([
    ['quota', 'quota'],
    ['capacity', 'overload'],
    ['server', 'overload'],
    ['timeout', 'overload'],
    ['connection', 'overload'],
    ['auth', 'config'],
    ['not_found', 'config'],
    ['bad_request', 'fatal'],
    ['content_filter', 'fatal'],
  ])('%s → %s', (category, want) => {
    expect(classifyFailure(providerError(category))).toBe(want);
  });

  it('treats a non-retryable server error as fatal', () => {
    expect(classifyFailure(providerError('server', { retryable: false }))).toBe('fatal');
  });

  it('treats anything that is not a ProviderError as fatal', () => {
    expect(classifyFailure(new Error('bug'))).toBe('fatal');
  });

  it('charges attempts only for overload failures', () => {
    expect(consumesAttempt('quota')).toBe(false);
    expect(consumesAttempt('overload')).toBe(true);
    expect(consumesAttempt('fatal')).toBe(false);
  });
});
