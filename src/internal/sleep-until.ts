/**
 * Waiting for a moment on a Clock, abortable. `systemClock` timers are Node's, rounded to whole
 * milliseconds while the clock has fractions, so one may fire a fraction of a millisecond before the
 * moment it was set for; `sleepUntil` sleeps again for what is left, so "not before `deadline`" holds.
 */
import type { Clock } from './clock.ts';

/** Resolves once `clock.now() >= deadline`, or as soon as `signal` aborts. */
export async function sleepUntil(clock: Clock, deadline: number, signal: AbortSignal): Promise<void> {
  while (clock.now() < deadline && !signal.aborted) await sleep(clock, deadline - clock.now(), signal);
}

/** Resolves after `ms` on `clock`, or as soon as `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = clock.setTimer(done, ms);
    function done() {
      timer.cancel();
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
