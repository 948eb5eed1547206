/**
 * An attempt's deadline keeper. openai-node stops timing a streaming call once headers arrive, so a stream
 * that stalls would hold its slot forever; the watchdog aborts it after an idle gap or a total budget.
 * Its signal follows the caller's signal and both timers, and it remembers whether it (not the caller)
 * fired, which is what tells a `timeout` from an `aborted`.
 */
import type { Clock, TimerHandle } from '../internal/clock.ts';
import { followSignal } from '../internal/follow-signal.ts';

export type WatchdogReason = 'idle' | 'total';

export interface Watchdog {
  /** Pass this to the SDK: it aborts when the caller aborts or a watchdog limit is hit. */
  readonly signal: AbortSignal;
  /** Which limit fired, if any. */
  readonly fired: WatchdogReason | undefined;
  /** Human description of the limit that fired, e.g. "no stream event for 60000 ms". */
  readonly firedDetail: string | undefined;
  /**
   * Starts idle watching; later calls only record progress. Adapters call it at the first output delta:
   * reasoning models legitimately send nothing for minutes before it, so until then only the total
   * budget applies.
   */
  startIdle(): void;
  /** Records progress: resets the idle gap. Cheap enough to call per event. */
  touch(): void;
  /** Cancels the timers; call in `finally`. */
  dispose(): void;
}

export interface WatchdogOptions {
  readonly signal: AbortSignal;
  readonly clock: Clock;
  /** Whole-attempt budget. @unit milliseconds */
  readonly totalMs: number;
  /** Longest allowed gap between events once idle watching started. @unit milliseconds */
  readonly idleMs: number;
}

/** Arms the total timer at once; the idle timer starts with `startIdle`. */
export function startWatchdog(options: WatchdogOptions): Watchdog {
  const { clock, totalMs, idleMs } = options;
  const own = new AbortController();
  let fired: WatchdogReason | undefined;
  let firedDetail: string | undefined;
  let idleTimer: TimerHandle | undefined;
  let lastProgress = clock.now();

  const fire = (reason: WatchdogReason, limitMs: number) => {
    if (fired !== undefined || own.signal.aborted) return;
    fired = reason;
    firedDetail = reason === 'idle' ? `no stream event for ${limitMs} ms` : `attempt not finished within ${limitMs} ms`;
    own.abort(new DOMException(firedDetail, 'TimeoutError'));
  };
  const totalTimer = clock.setTimer(() => fire('total', totalMs), totalMs);

  // Re-arming a timer per event would churn thousands of timers per stream; instead the timer wakes
  // at the earliest possible deadline and re-arms for whatever gap remains.
  const armIdle = (delayMs: number) => {
    idleTimer = clock.setTimer(() => {
      const idleFor = clock.now() - lastProgress;
      if (idleFor >= idleMs) fire('idle', idleMs);
      else armIdle(idleMs - idleFor);
    }, delayMs);
  };

  // The caller's signal usually lives for the whole run: follow it with a listener that dispose()
  // removes, not AbortSignal.any, which would leave a WeakRef per attempt on it (follow-signal.ts).
  const unfollow = followSignal(options.signal, own);

  return {
    signal: own.signal,
    get fired() {
      return fired;
    },
    get firedDetail() {
      return firedDetail;
    },
    startIdle() {
      lastProgress = clock.now();
      if (idleTimer === undefined && idleMs > 0 && Number.isFinite(idleMs)) armIdle(idleMs);
    },
    touch() {
      lastProgress = clock.now();
    },
    dispose() {
      totalTimer.cancel();
      idleTimer?.cancel();
      unfollow();
    },
  };
}
