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
  it('in slow start where completions clock the sends, adds a slot per completion: the cap doubles per round trip', () => {
    const c = new AdaptiveConcurrency({ start: 4, max: 256, minWindowMs: 1_000 }, 0);
    const t = feed(c, 0, 4, { inFlight: 4, latencyMs: 1_000 }); // one round trip of 4 completions, no window yet
    expect(c.limit).toBe(8);
    feed(c, t, 8, { inFlight: 8, latencyMs: 1_000 }); // the next round trip
    expect(c.limit).toBe(16);
  });

  it('stops slow start below a refusal seen before, after the breaker sends it back to slow start', () => {
    const c = new AdaptiveConcurrency({ start: 4, max: 256, minWindowMs: 1_000 }, 0);
    c.onBlindReject(0, 9, 0.85); // the server admitted 8
    c.reset(100);
    feed(c, 100, 20, { inFlight: 8 });
    expect(c.limit).toBe(8);
  });

  it('adds no slot per completion once an overload signal has come, before the window cuts', () => {
    const c = new AdaptiveConcurrency({ start: 4, max: 256, minWindowMs: 1_000 }, 0);
    let t = feed(c, 0, 2, { inFlight: 4 });
    expect(c.limit).toBe(6);
    c.onOverload(t);
    t = feed(c, t, 3, { inFlight: 6 }); // 6 samples: the update window has not ended yet
    expect(c.limit).toBe(6);
  });

  it('stops slow start as soon as seconds per output token rise past 1.5× normal', () => {
    const c = new AdaptiveConcurrency({ start: 4, max: 256, minWindowMs: 1_000 }, 0);
    let t = feed(c, 0, 4, { inFlight: 4, latencyMs: 1_000 });
    expect(c.limit).toBe(8);
    t = feed(c, t, 4, { inFlight: 8, latencyMs: 3_000 });
    const braked = c.limit;
    feed(c, t, 4, { inFlight: braked, latencyMs: 3_000 });
    expect(braked).toBeLessThan(12);
    expect(c.limit).toBeLessThanOrEqual(braked);
  });

  it('opens a raise at once where rate headers show a quota governs the server', () => {
    const c = new AdaptiveConcurrency({ start: 8, max: 256, minWindowMs: 1_000 }, 0);
    c.quotaGoverned();
    feed(c, 0, 20, { inFlight: 8 });
    expect(c.limit).toBe(16);
  });

  it('cuts at once, even while a raise is still being clocked in', () => {
    const c = new AdaptiveConcurrency({ start: 8, max: 256, minWindowMs: 1_000 }, 0);
    let t = feed(c, 0, 10, { inFlight: 8, overload: true }); // one 1 s window: 8 → 7.2, slow start ends
    t = feed(c, t, 21, { inFlight: 7 }); // a window of 2 × RTT raises the cap to 8.2, opened by the next completion
    expect(c.limit).toBe(8);
    t = feed(c, t, 19, { inFlight: 8 }); // the 19th completion ends the window (2 s): 9.2, not opened yet
    expect(c.limit).toBe(8);
    c.onBlindReject(t, 8, 0.5);
    expect(c.limit).toBe(4); // a cut applies at once
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
