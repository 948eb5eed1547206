import { describe, expect, it } from 'vitest';
import { AdaptiveConcurrency } from '../../src/scheduler/concurrency.ts';

function feed(c: AdaptiveConcurrency, from: number, n: number, opts: { inFlight: number; latencyMs?: number; overload?: boolean }): number {
  let t = from;
  for (let i = 0; i < n; i++) {
    t += 100;
    c.onDispatch(opts.inFlight);
    if (opts.overload) c.onOverload(t);
    else c.onSuccess(t, opts.latencyMs ?? 1_000, 100);
  }
  return t;
}

describe('AdaptiveConcurrency', () => {
  it('doubles in slow start while at least half used and healthy', () => {
    const c = new AdaptiveConcurrency({ start: 8, max: 256, minWindowMs: 1_000 }, 0);
    feed(c, 0, 25, { inFlight: 8 });
    expect(c.limit).toBe(16);
  });

  it('does not grow when less than half of the cap is used', () => {
    const c = new AdaptiveConcurrency({ start: 8, max: 256, minWindowMs: 1_000 }, 0);
    feed(c, 0, 60, { inFlight: 2 });
    expect(c.limit).toBe(8);
  });

  it('cuts by 10 % on overload and leaves slow start', () => {
    const c = new AdaptiveConcurrency({ start: 100, max: 256, minWindowMs: 1_000 }, 0);
    const t = feed(c, 0, 10, { inFlight: 100, overload: true }); // one 1 s window of 10 samples
    expect(c.limit).toBe(90);
    feed(c, t, 20, { inFlight: 90 }); // one window of 2 × RTT
    expect(c.limit).toBe(91); // additive from now on
  });

  it('brakes when seconds per output token rise past 1.5× normal', () => {
    const c = new AdaptiveConcurrency({ start: 64, max: 256, minWindowMs: 1_000 }, 0);
    let t = feed(c, 0, 400, { inFlight: 10, latencyMs: 1_000 });
    const before = c.limit;
    t = feed(c, t, 200, { inFlight: 64, latencyMs: 5_000 });
    expect(c.limit).toBeLessThan(before);
  });

  it('never exceeds the maximum and never drops below 1', () => {
    const c = new AdaptiveConcurrency({ start: 4, max: 6, minWindowMs: 1_000 }, 0);
    let t = feed(c, 0, 200, { inFlight: 6 });
    expect(c.limit).toBe(6);
    t = feed(c, t, 2_000, { inFlight: 6, overload: true });
    expect(c.limit).toBe(1);
  });

  it('a fixed cap never moves', () => {
    const c = new AdaptiveConcurrency({ start: 4, max: 64, minWindowMs: 1_000, fixed: 16 }, 0);
    feed(c, 0, 100, { inFlight: 16, overload: true });
    expect(c.limit).toBe(16);
  });
});
