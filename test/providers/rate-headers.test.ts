import { describe, expect, it } from 'vitest';
import { parseRateHeaders, parseResetMs } from '../../src/providers/rate-headers.ts';

const NOW = Date.parse('2026-11-22T02:00:00Z');

describe('parseRateHeaders', () => {
  it.each([
    [
      'documented 2026 set',
      {
        'x-ratelimit-limit-requests': '60',
        'x-ratelimit-limit-tokens': '150000',
        'x-ratelimit-remaining-requests': '59',
        'x-ratelimit-remaining-tokens': '149984',
        'x-ratelimit-reset-requests': '10',
        'x-ratelimit-reset-tokens': '300',
      },
      {
        limitRequests: 60,
        limitTokens: 150000,
        remainingRequests: 59,
        remainingTokens: 149984,
        resetRequestsMs: 10_000,
        resetTokensMs: 300_000,
        resetFormat: 'seconds',
      },
    ],
    [
      '2024: remaining only',
      { 'x-ratelimit-remaining-requests': '9', 'x-ratelimit-remaining-tokens': '9000', 'x-ms-region': 'North Central US' },
      { remainingRequests: 9, remainingTokens: 9000 },
    ],
    [
      '2023 hyphenated spelling',
      { 'x-rate-limit-reset-tokens': '12', 'x-rate-limit-remaining-tokens': '0', 'policy-id': 'DeploymentRatelimit-Token' },
      { resetTokensMs: 12_000, remainingTokens: 0, resetFormat: 'seconds' },
    ],
    [
      'current spelling wins over 2023 spelling',
      { 'x-ratelimit-remaining-tokens': '5', 'x-rate-limit-remaining-tokens': '7' },
      { remainingTokens: 5 },
    ],
    [
      'Responses -1 values are unknown',
      { 'x-ratelimit-limit-tokens': '-1', 'x-ratelimit-remaining-tokens': '-1', 'x-ratelimit-reset-tokens': '0' },
      { resetTokensMs: 0, resetFormat: 'seconds' },
    ],
    ['no headers at all', {}, {}],
    ['garbage values are omitted', { 'x-ratelimit-limit-tokens': 'lots', 'x-ratelimit-reset-tokens': 'soon', 'retry-after': 'later' }, {}],
    ['retry-after-ms (float ms)', { 'retry-after-ms': '1234.5', 'retry-after': '2' }, { retryAfterMs: 1234.5 }],
    ['x-ms-retry-after-ms', { 'x-ms-retry-after-ms': '800', 'retry-after': '2' }, { retryAfterMs: 800 }],
    ['retry-after-ms beats x-ms-retry-after-ms', { 'retry-after-ms': '100', 'x-ms-retry-after-ms': '800' }, { retryAfterMs: 100 }],
    ['retry-after seconds', { 'retry-after': '33' }, { retryAfterMs: 33_000 }],
    ['retry-after float seconds', { 'retry-after': '0.25' }, { retryAfterMs: 250 }],
    ['retry-after HTTP date', { 'retry-after': new Date(NOW + 5000).toUTCString() }, { retryAfterMs: 5000 }],
    ['retry-after HTTP date in the past', { 'retry-after': new Date(NOW - 5000).toUTCString() }, { retryAfterMs: 0 }],
    ['negative retry-after-ms falls back to retry-after', { 'retry-after-ms': '-5', 'retry-after': '1' }, { retryAfterMs: 1000 }],
    ['x-should-retry true', { 'x-should-retry': 'true' }, { shouldRetry: true }],
    ['x-should-retry false', { 'x-should-retry': 'FALSE' }, { shouldRetry: false }],
    ['x-should-retry other', { 'x-should-retry': 'maybe' }, {}],
    [
      'upper-case names in a record',
      { 'X-RateLimit-Remaining-Requests': '3', 'Retry-After-Ms': '10' },
      { remainingRequests: 3, retryAfterMs: 10 },
    ],
    [
      'Go durations for resets',
      { 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-reset-tokens': '6m0s' },
      { resetRequestsMs: 1000, resetTokensMs: 360_000, resetFormat: 'duration' },
    ],
  ])('%s', (_name, headers, expected) => {
    expect(parseRateHeaders(headers, NOW)).toEqual(expected);
  });

  it('reads a fetch Headers object case-insensitively', () => {
    const headers = new Headers({ 'X-RATELIMIT-LIMIT-TOKENS': '8000', 'Retry-After': '2' });
    expect(parseRateHeaders(headers, NOW)).toEqual({ limitTokens: 8000, retryAfterMs: 2000 });
  });
});

describe('parseResetMs', () => {
  it.each([
    ['10', 10_000],
    ['0.5', 500],
    ['0', 0],
    ['1s', 1000],
    ['100ms', 100],
    ['6m0s', 360_000],
    ['1h2m3.5s', 3_723_500],
    ['250us', 0.25],
    [' 2s ', 2000],
  ])('%s → %d ms', (value, expected) => {
    expect(parseResetMs(value)).toBeCloseTo(expected, 6);
  });

  it.each([['-1'], ['-2s'], ['1x'], ['s'], ['1s2'], [''], [undefined]])('%s is unknown', (value) => {
    expect(parseResetMs(value)).toBeUndefined();
  });
});

describe('reset format (the dialect)', () => {
  it.each([
    [{ 'x-ratelimit-reset-requests': '6m0s', 'x-ratelimit-reset-tokens': '20ms' }, 'duration'],
    [{ 'x-ratelimit-reset-tokens': '1s' }, 'duration'],
    [{ 'x-ratelimit-reset-requests': '10', 'x-ratelimit-reset-tokens': '0.5' }, 'seconds'],
    [{ 'x-rate-limit-reset-tokens': '300' }, 'seconds'],
  ])('%j is %s', (headers, format) => {
    expect(parseRateHeaders(new Headers(headers)).resetFormat).toBe(format);
  });

  it('is absent without reset headers', () => {
    expect(parseRateHeaders(new Headers({ 'x-ratelimit-remaining-tokens': '5' })).resetFormat).toBeUndefined();
  });
});
