import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/internal/clock.ts';
import { sleepUntil } from '../../src/internal/sleep-until.ts';

/**
 * A clock with Node's timers, run by hand: a delay is truncated to whole milliseconds (at least 1) and
 * the timer fires `earlyMs` before that, as libuv's millisecond loop time lets it against a clock with
 * fractions.
 */
function earlyClock(earlyMs: number) {
  let now = 1_000.25;
  const timers: { at: number; fn: () => void }[] = [];
  const clock: Clock = {
    now: () => now,
    setTimer(fn, delayMs) {
      const timer = { at: now + Math.max(1, Math.trunc(delayMs)) - earlyMs, fn };
      timers.push(timer);
      return { cancel: () => timers.splice(timers.indexOf(timer) >>> 0, timers.includes(timer) ? 1 : 0) };
    },
  };
  const fireNext = () => {
    timers.sort((a, b) => a.at - b.at);
    const next = timers.shift();
    if (next === undefined) return false;
    now = Math.max(now, next.at);
    next.fn();
    return true;
  };
  return { clock, fireNext, now: () => now };
}

async function settle() {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('sleepUntil', () => {
  it('never resolves before the deadline, though each timer fires 0.4 ms early', async () => {
    const { clock, fireNext, now } = earlyClock(0.4);
    const deadline = 1_250.7;
    let done = false;
    const waiting = sleepUntil(clock, deadline, new AbortController().signal).then(() => {
      done = true;
    });
    let fired = 0;
    while (!done && fireNext()) {
      fired++;
      await settle();
      if (!done) expect(now()).toBeLessThan(deadline);
    }
    await waiting;
    expect(now()).toBeGreaterThanOrEqual(deadline);
    expect(fired).toBeGreaterThan(1); // the first timer alone came 0.4 ms short
  });

  it('resolves at once when the deadline has passed or the signal aborts', async () => {
    const { clock } = earlyClock(0);
    await sleepUntil(clock, 0, new AbortController().signal); // no timer to fire: it must not wait
    const controller = new AbortController();
    const waiting = sleepUntil(clock, 1e9, controller.signal);
    controller.abort();
    await waiting;
  });
});
