import { describe, expect, it } from 'vitest';
import { Breaker } from '../../src/scheduler/breaker.ts';

const fixed = () => 0.5;

describe('Breaker', () => {
  it('opens at once on a configuration failure (404/401)', () => {
    const b = new Breaker(30_000, fixed);
    b.openForConfig(1_000);
    expect(b.state).toBe('open');
    expect(b.configOpen).toBe(true);
    expect(b.availableAt(1_000)).toBe(61_000);
  });

  it('half-open lets exactly one request through', () => {
    const b = new Breaker(30_000, fixed);
    b.openForConfig(0);
    expect(b.availableAt(60_000)).toBe(60_000);
    b.onDispatch(60_000);
    expect(b.state).toBe('half-open');
    expect(b.availableAt(60_001)).toBe(Number.POSITIVE_INFINITY);
  });

  it('closes when the probe succeeds', () => {
    const b = new Breaker(30_000, fixed);
    b.openForConfig(0);
    b.onDispatch(60_000);
    expect(b.onSuccess(60_500)).toBe(true);
    expect(b.state).toBe('closed');
    expect(b.availableAt(60_500)).toBe(60_500);
  });

  it('re-opens with a longer wait when the probe fails', () => {
    const b = new Breaker(30_000, fixed);
    b.openForConfig(0);
    b.onDispatch(60_000);
    b.openForConfig(60_100);
    expect(b.state).toBe('open');
    expect(b.availableAt(60_100)).toBe(60_100 + 120_000);
  });

  it('opens on a failure rate of at least 50 % over at least 10 outcomes', () => {
    const b = new Breaker(30_000, fixed);
    for (let i = 0; i < 5; i++) b.onSuccess(i * 100);
    for (let i = 0; i < 4; i++) b.onFailure(1_000 + i, false);
    expect(b.state).toBe('closed'); // 9 outcomes: below the minimum
    b.onFailure(2_000, false);
    expect(b.state).toBe('open');
    expect(b.reason).toBe('rate');
  });

  it('does not open on failures spread beyond the sampling window', () => {
    const b = new Breaker(30_000, fixed);
    for (let i = 0; i < 20; i++) {
      b.onSuccess(i * 10_000);
      if (i % 2 === 0) b.onFailure(i * 10_000 + 1, false);
    }
    // every 30 s window holds ≥ 50 % failures only with ≥ 10 samples; here there are ~5
    expect(b.state).toBe('closed');
  });

  it('opens after 5 consecutive timeouts', () => {
    const b = new Breaker(30_000, fixed);
    for (let i = 0; i < 20; i++) b.onSuccess(i);
    for (let i = 0; i < 4; i++) b.onFailure(100 + i, true);
    expect(b.state).toBe('closed');
    b.onFailure(200, true);
    expect(b.state).toBe('open');
  });

  it('a quota outcome ends a probe without closing or re-opening', () => {
    const b = new Breaker(30_000, fixed);
    b.openForConfig(0);
    b.onDispatch(60_000);
    b.onNeutral();
    expect(b.state).toBe('half-open');
    expect(b.availableAt(60_010)).toBe(60_010);
  });

  it('stays open for a day-long hint', () => {
    const b = new Breaker(30_000, fixed);
    b.openForHint(0, 86_400_000);
    expect(b.availableAt(1)).toBe(86_400_000);
    expect(b.configOpen).toBe(false);
  });
});
