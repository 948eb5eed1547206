/**
 * The pacer on a virtual clock: open-loop arrivals keep their schedule whatever the responses do (no
 * coordinated omission), late timers catch up with the scheduled time recorded, and closed loops keep
 * N in flight, hold a slot for a 429's retry-after and stop by themselves.
 */
import { describe, expect, test } from 'vitest';
import { VirtualClock } from '../../src/internal/clock.ts';
import { arrivalOffsets } from '../../src/load/arrivals.ts';
import { runClosedLoop, runOpenLoop } from '../../src/load/pacer.ts';
import { createRng } from '../../src/internal/rng.ts';

describe('open loop', () => {
  test('a response that never arrives does not delay the next arrival', async () => {
    const clock = new VirtualClock(1000);
    const sends: Array<{ seq: number; at: number; scheduledAt: number }> = [];
    const done = runOpenLoop({
      clock,
      startAt: 1000,
      signal: new AbortController().signal,
      offsetsMs: arrivalOffsets('constant', 10, 1000, 1000, Math.random),
      // The "request" never resolves: an open loop must not care.
      send: (seq, scheduledAt) => void sends.push({ seq, at: clock.now(), scheduledAt }),
    });
    await clock.runUntilIdle();
    expect(await done).toBe(10);
    expect(sends.map((s) => s.at)).toEqual([1000, 1100, 1200, 1300, 1400, 1500, 1600, 1700, 1800, 1900]);
    expect(sends.every((s) => s.at === s.scheduledAt)).toBe(true);
  });

  test('arrivals that fell due while the loop was blocked are sent at once, keeping their scheduled times', async () => {
    // A clock whose timer fires late, as on a blocked event loop.
    let now = 0;
    let pending: (() => void) | undefined;
    const lateClock = {
      now: () => now,
      setTimer: (fn: () => void) => {
        pending = fn;
        return {
          cancel: () => {
            pending = undefined;
          },
        };
      },
    };
    const sends: Array<{ at: number; scheduledAt: number }> = [];
    const done = runOpenLoop({
      clock: lateClock,
      startAt: 100,
      signal: new AbortController().signal,
      offsetsMs: [0, 10, 20, 30],
      send: (_s, scheduledAt) => void sends.push({ at: now, scheduledAt }),
    });
    now = 125;
    pending!();
    now = 131;
    pending!();
    expect(await done).toBe(4);
    expect(sends).toEqual([
      { at: 125, scheduledAt: 100 },
      { at: 125, scheduledAt: 110 },
      { at: 125, scheduledAt: 120 },
      { at: 131, scheduledAt: 130 },
    ]);
  });

  test('an arrival due while the thread is busy goes out at the next checkpoint, not when the timer gets its turn', async () => {
    // A clock whose timers only fire when the test says so, as on a loop busy reading responses.
    let now = 0;
    const timers: Array<{ fn: () => void; delay: number; cancelled: boolean }> = [];
    const clock = {
      now: () => now,
      setTimer: (fn: () => void, delay: number) => {
        const t = { fn, delay, cancelled: false };
        timers.push(t);
        return {
          cancel: () => {
            t.cancelled = true;
          },
        };
      },
    };
    let poll: (() => void) | undefined;
    let unsubscribed = false;
    const sends: Array<{ seq: number; at: number; scheduledAt: number }> = [];
    const done = runOpenLoop({
      clock,
      startAt: 100,
      signal: new AbortController().signal,
      offsetsMs: [0, 20],
      send: (seq, scheduledAt) => void sends.push({ seq, at: now, scheduledAt }),
      checkpoint: (p) => {
        poll = p;
        return () => {
          unsubscribed = true;
        };
      },
    });
    now = 99;
    poll!(); // not due yet: nothing happens
    expect(sends).toEqual([]);
    now = 100.5;
    poll!(); // a response chunk handled just after the arrival fell due
    expect(sends).toEqual([{ seq: 0, at: 100.5, scheduledAt: 100 }]);
    // The first timer was cancelled and re-aimed at the next arrival; firing stale timers sends nothing twice.
    expect(timers.filter((t) => !t.cancelled).map((t) => t.delay)).toEqual([19.5]);
    now = 121;
    timers.at(-1)!.fn();
    expect(await done).toBe(2);
    expect(sends.map((s) => s.scheduledAt)).toEqual([100, 120]);
    expect(unsubscribed).toBe(true);
  });

  test('with earlyMs the timer aims early and the loop yields until the arrival is due, then sends at once', async () => {
    let now = 0;
    let timer: { fn: () => void; delay: number } | undefined;
    const clock = {
      now: () => now,
      setTimer: (fn: () => void, delay: number) => {
        timer = { fn, delay };
        return {
          cancel: () => {
            timer = undefined;
          },
        };
      },
    };
    const yields: Array<() => void> = [];
    const sends: number[] = [];
    const done = runOpenLoop({
      clock,
      startAt: 10,
      signal: new AbortController().signal,
      offsetsMs: [0],
      earlyMs: 2,
      yieldTo: (fn) => void yields.push(fn),
      send: () => void sends.push(now),
    });
    expect(timer!.delay).toBe(8); // 10 − 2 − 0
    now = 8.3;
    timer!.fn();
    expect(sends).toEqual([]);
    for (const t of [9, 9.7]) {
      now = t;
      yields.shift()!(); // still early: yields again
      expect(sends).toEqual([]);
    }
    now = 10.05;
    yields.shift()!();
    expect(sends).toEqual([10.05]);
    expect(yields).toEqual([]);
    expect(await done).toBe(1);
  });

  test('with leadMs each arrival is handed over that much before it is due, with its due time as the scheduled time', async () => {
    const clock = new VirtualClock(1000);
    const sends: Array<{ at: number; scheduledAt: number }> = [];
    const done = runOpenLoop({
      clock,
      startAt: 1000,
      signal: new AbortController().signal,
      offsetsMs: [20, 120, 220],
      leadMs: 10,
      send: (_seq, scheduledAt) => void sends.push({ at: clock.now(), scheduledAt }),
    });
    await clock.runUntilIdle();
    expect(await done).toBe(3);
    expect(sends).toEqual([
      { at: 1010, scheduledAt: 1020 },
      { at: 1110, scheduledAt: 1120 },
      { at: 1210, scheduledAt: 1220 },
    ]);
  });

  test('abort stops the schedule', async () => {
    const clock = new VirtualClock(0);
    const abort = new AbortController();
    let sent = 0;
    const done = runOpenLoop({
      clock,
      startAt: 0,
      signal: abort.signal,
      offsetsMs: arrivalOffsets('constant', 100, 10_000, 10_000, Math.random),
      send: () => void sent++,
    });
    await clock.advance(95);
    abort.abort();
    expect(await done).toBe(10);
    expect(sent).toBe(10);
  });
});

describe('arrival schedules', () => {
  test('constant: exactly rate × duration arrivals, evenly spaced, capped by the request budget', () => {
    expect([...arrivalOffsets('constant', 50, 60_000, 1e9, Math.random)]).toHaveLength(3000);
    expect([...arrivalOffsets('constant', 50, 60_000, 100, Math.random)]).toHaveLength(100);
    expect([...arrivalOffsets('constant', 4, 1000, 1e9, Math.random)]).toEqual([0, 250, 500, 750]);
  });

  test('Poisson: seeded, reproducible, mean gap 1/rate', () => {
    const a = [...arrivalOffsets('poisson', 20, 500_000, 1e9, createRng(7))];
    const b = [...arrivalOffsets('poisson', 20, 500_000, 1e9, createRng(7))];
    expect(a).toEqual(b);
    // 10 000 expected arrivals: the count's standard deviation is 100, so ±5 % is 5 sigma.
    expect(a.length).toBeGreaterThan(9500);
    expect(a.length).toBeLessThan(10_500);
    const gaps = a.slice(1).map((t, i) => t - a[i]!);
    expect(new Set(gaps.map((g) => Math.round(g))).size).toBeGreaterThan(50); // not constant spacing
  });
});

describe('closed loop', () => {
  test('keeps N in flight, stops at the end time by itself', async () => {
    const clock = new VirtualClock(0);
    let inFlight = 0;
    let peak = 0;
    const done = runClosedLoop({
      clock,
      concurrency: 3,
      endAt: 1000,
      maxRequests: 1e9,
      signal: new AbortController().signal,
      send: () => {
        peak = Math.max(peak, ++inFlight);
        return new Promise((resolve) =>
          clock.setTimer(() => {
            inFlight--;
            resolve({});
          }, 100),
        );
      },
    });
    await clock.runUntilIdle();
    expect(await done).toBe(30); // 3 slots × 10 requests of 100 ms in 1 s
    expect(peak).toBe(3);
  });

  test('a 429 pauses every slot for its retry-after instead of re-sending at once', async () => {
    const clock = new VirtualClock(0);
    const sendTimes: number[] = [];
    const done = runClosedLoop({
      clock,
      concurrency: 3,
      endAt: 1000,
      maxRequests: 1e9,
      signal: new AbortController().signal,
      // Slot requests take 10 ms; the first answer is a 429 with a 300 ms retry-after, then all succeed.
      send: () => {
        sendTimes.push(clock.now());
        const throttled = sendTimes.length === 1;
        return new Promise((resolve) => clock.setTimer(() => resolve(throttled ? { pauseMs: 300 } : {}), 10));
      },
    });
    await clock.runUntilIdle();
    await done;
    // Three sends at 0; the 429 at 10 ms pauses everyone until 310 ms: no send in between.
    expect(sendTimes.slice(0, 3)).toEqual([0, 0, 0]);
    expect(sendTimes.filter((t) => t > 0 && t < 310)).toEqual([]);
    expect(sendTimes[3]).toBe(310);
  });

  test('stops at the request budget', async () => {
    const clock = new VirtualClock(0);
    const done = runClosedLoop({
      clock,
      concurrency: 4,
      endAt: 1e9,
      maxRequests: 7,
      signal: new AbortController().signal,
      send: () => new Promise((r) => clock.setTimer(() => r({}), 5)),
    });
    await clock.runUntilIdle();
    expect(await done).toBe(7);
  });
});

describe('achieved rate', () => {
  test('the least-squares rate shrugs off one late send that the span formula would count', async () => {
    const { rateOfTimes } = await import('../../src/report/load/step-stats.ts');
    const times = Array.from({ length: 101 }, (_, i) => i * 20); // 50 req/s for 2 s
    expect(rateOfTimes(times)).toBeCloseTo(50, 9);
    times[0] = 40; // the first send 40 ms late: the span formula says 100 / 1960 ms = 51.02/s (+2 %)
    expect(Math.abs(rateOfTimes(times)! / 50 - 1)).toBeLessThan(0.002);
    expect(rateOfTimes([5])).toBeNull();
  });
});
