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
  it('doubles in slow start while at least half used and healthy, opening the new slots one per completion', () => {
    const c = new AdaptiveConcurrency({ start: 8, max: 256, minWindowMs: 1_000 }, 0);
    let t = feed(c, 0, 20, { inFlight: 8 }); // one window of 2 × RTT: the cap becomes 16
    expect(c.limit).toBe(8); // ... but none of the new slots is open yet
    t = feed(c, t, 3, { inFlight: 8 });
    expect(c.limit).toBe(11);
    feed(c, t, 5, { inFlight: 8 });
    expect(c.limit).toBe(16);
  });

  it('opens a raise at once where rate headers show a quota governs the server', () => {
    const c = new AdaptiveConcurrency({ start: 8, max: 256, minWindowMs: 1_000 }, 0);
    c.quotaGoverned();
    feed(c, 0, 20, { inFlight: 8 });
    expect(c.limit).toBe(16);
  });

  it('cuts at once, even while a raise is still being clocked in', () => {
    const c = new AdaptiveConcurrency({ start: 8, max: 256, minWindowMs: 1_000 }, 0);
    let t = feed(c, 0, 22, { inFlight: 8 }); // cap 16, 10 open
    expect(c.limit).toBe(10);
    t = feed(c, t, 20, { inFlight: 10, overload: true });
    expect(c.limit).toBe(10); // the cut (16 → 14.4) is above what is open: nothing opens past it ...
    c.onBlindReject(t, 9, 0.5);
    expect(c.limit).toBe(4); // ... and a cut below it applies at once
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
    feed(c, t, 21, { inFlight: 90 }); // one window of 2 × RTT, then a completion opens the new slot
    expect(c.limit).toBe(91); // additive from now on
  });

  it('brakes when seconds per output token rise past 1.5× normal', () => {
    const c = new AdaptiveConcurrency({ start: 64, max: 256, minWindowMs: 1_000 }, 0);
    let t = feed(c, 0, 400, { inFlight: 10, latencyMs: 1_000 });
    const before = c.limit;
    t = feed(c, t, 200, { inFlight: 64, latencyMs: 5_000 });
    expect(c.limit).toBeLessThan(before);
  });

  it('takes one burst of plain refusals as one cut, down to what the last refusal left in flight', () => {
    const c = new AdaptiveConcurrency({ start: 16, max: 256, minWindowMs: 1_000 }, 0);
    // 16 sent at once against a server that admits 8: refused one after another at 16, 15, …, 9 in flight
    c.onBlindReject(0, 16, 0.85, true);
    expect(c.limit).toBe(13); // 16 × 0.85
    for (let inFlight = 15; inFlight >= 9; inFlight--) c.onBlindReject(0, inFlight, 0.85, false);
    expect(c.limit).toBe(7); // 9 × 0.85: below the 8 the server admitted, not 8 × 0.85³
    c.onBlindReject(0, 12, 0.85, false); // a late refusal from higher up changes nothing
    expect(c.limit).toBe(7);
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
