/**
 * The two ways a step issues requests. Open loop: arrivals at absolute times fixed in advance; each is
 * sent when due (late timers catch up at once, recording scheduled vs actual send time) and its response
 * is never awaited before the next arrival. Closed loop: N slots, each sending its next request when the
 * previous one finishes. Both stop by themselves at the step's end time or request budget.
 */
import type { Clock } from '../internal/clock.ts';

export interface OpenLoopOptions {
  readonly clock: Clock;
  /** Absolute clock time of offset 0. */
  readonly startAt: number;
  readonly offsetsMs: Iterable<number>;
  readonly signal: AbortSignal;
  /** Fire and forget: called once per arrival with its sequence number and scheduled time. */
  readonly send: (seq: number, scheduledAt: number) => void;
}

/** Resolves once the last arrival has been sent (not when responses are in). @returns arrivals sent */
export function runOpenLoop(options: OpenLoopOptions): Promise<number> {
  const { clock, signal } = options;
  const offsets = options.offsetsMs[Symbol.iterator]();
  let seq = 0;
  let next = offsets.next();
  return new Promise((resolve) => {
    const tick = () => {
      // Send every arrival that is due; a late timer never shifts later arrivals.
      while (!next.done && !signal.aborted && options.startAt + next.value <= clock.now()) {
        options.send(seq++, options.startAt + next.value);
        next = offsets.next();
      }
      if (next.done || signal.aborted) {
        signal.removeEventListener('abort', onAbort);
        resolve(seq);
        return;
      }
      timer = clock.setTimer(tick, options.startAt + next.value - clock.now());
    };
    const onAbort = () => {
      timer?.cancel();
      resolve(seq);
    };
    let timer: { cancel(): void } | undefined;
    signal.addEventListener('abort', onAbort, { once: true });
    tick();
  });
}

export interface ClosedLoopOptions {
  readonly clock: Clock;
  readonly concurrency: number;
  /** No request is started at or after this clock time. */
  readonly endAt: number;
  readonly maxRequests: number;
  readonly signal: AbortSignal;
  /**
   * Slot i starts i × rampMs / concurrency after the first, so 200 slots do not build 200 requests in
   * one tick (which would stall the client's event loop and show up as latency). @default 0
   */
  readonly rampMs?: number;
  /** Sends one request and resolves when it is finished; `pauseMs` (a 429's retry-after) pauses every slot. */
  readonly send: (seq: number) => Promise<{ readonly pauseMs?: number }>;
}

/** @returns requests sent */
export async function runClosedLoop(options: ClosedLoopOptions): Promise<number> {
  const { clock, signal } = options;
  let seq = 0;
  let pausedUntil = -Infinity;
  const more = () => !signal.aborted && seq < options.maxRequests && clock.now() < options.endAt;
  const slot = async (_: unknown, i: number) => {
    const delay = ((options.rampMs ?? 0) * i) / options.concurrency;
    if (delay > 0) await new Promise<void>((resolve) => clock.setTimer(resolve, delay));
    while (more()) {
      // A 429 pauses every slot for its retry-after instead of each re-sending at once (no 429 storm);
      // the next request is a new one, so nothing is retried behind the report's back.
      const wait = Math.min(pausedUntil, options.endAt) - clock.now();
      if (wait > 0) {
        await new Promise<void>((resolve) => clock.setTimer(resolve, wait));
        continue;
      }
      const result = await options.send(seq++);
      if (result.pauseMs) pausedUntil = Math.max(pausedUntil, clock.now() + result.pauseMs);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, slot));
  return seq;
}
