/**
 * The two ways a step issues requests. Open loop: arrivals at absolute times fixed in advance; each is
 * sent when due (late timers catch up at once, recording scheduled vs actual send time) and its response
 * is never awaited before the next arrival. Closed loop: N slots, each sending its next request when the
 * previous one finishes. Both stop by themselves at the step's end time or request budget.
 *
 * Why the open loop has more than a timer: a timer callback runs only between event-loop phases, and on
 * a client reading 200+ streams one poll phase handles every socket that has data (each chunk running
 * the SDK's SSE decoder), several milliseconds of work; a timer due meanwhile waits for all of it, and
 * libuv timers have 1 ms granularity on top. So the loop also offers `poll` to the transport, which
 * calls it per response chunk (an arrival due in the middle of a poll phase goes out after one chunk,
 * not after all of them). With `earlyMs` its timer aims that much early and yields (`yieldTo`,
 * setImmediate) until the arrival is due, instead of firing up to a timer granule late; run-load.ts
 * leaves that off (measured: no better p99 on a contended machine, and the yielding costs CPU).
 * With `leadMs` each arrival is handed to `send` that much before it is due, so the caller can build
 * the request ahead and hold it until the due time (load/release-gate.ts); the scheduled time passed to
 * `send` is still the due time.
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
  /**
   * Lets a busy caller check for due arrivals between its own units of work: receives the loop's poll
   * function (cheap: one clock read when nothing is due) and returns an unsubscribe.
   */
  readonly checkpoint?: (poll: () => void) => () => void;
  /** Aim the timer this much before each arrival and yield until it is due. @default 0 @unit ms */
  readonly earlyMs?: number;
  /** Call `send` this much before each arrival is due (the caller holds it until then). @default 0 @unit ms */
  readonly leadMs?: number;
  /** How to yield while waiting out `earlyMs` (setImmediate: lets I/O run, then checks again). */
  readonly yieldTo?: (fn: () => void) => void;
}

/** Resolves once the last arrival has been sent (not when responses are in). @returns arrivals sent */
export function runOpenLoop(options: OpenLoopOptions): Promise<number> {
  const { clock, signal } = options;
  const earlyMs = options.earlyMs ?? 0;
  const leadMs = options.leadMs ?? 0;
  const yieldTo = options.yieldTo;
  const offsets = options.offsetsMs[Symbol.iterator]();
  let seq = 0;
  let next = offsets.next();
  let dueAt = next.done ? Infinity : options.startAt + next.value;
  let finished = false;
  let timer: { cancel(): void } | undefined;
  let yielding = false;
  return new Promise((resolve) => {
    const finish = () => {
      if (finished) return;
      finished = true;
      timer?.cancel();
      unsubscribe?.();
      signal.removeEventListener('abort', finish);
      resolve(seq);
    };
    // Send every arrival that is due (leadMs ahead); a late check never shifts later arrivals.
    const poll = () => {
      if (finished) return;
      let now = clock.now();
      if (now < dueAt - leadMs) return;
      while (!next.done && !signal.aborted && dueAt - leadMs <= now) {
        options.send(seq++, dueAt);
        next = offsets.next();
        dueAt = next.done ? Infinity : options.startAt + next.value;
        now = clock.now();
      }
      if (next.done || signal.aborted) finish();
      else arm();
    };
    const arm = () => {
      timer?.cancel();
      timer = clock.setTimer(tick, dueAt - leadMs - earlyMs - clock.now());
    };
    const tick = () => {
      timer = undefined;
      if (finished) return;
      const wait = dueAt - leadMs - clock.now();
      if (wait > earlyMs) return arm(); // woke before the window (timer rounding): aim again
      if (wait <= 0 || !yieldTo) {
        poll();
        if (!finished && timer === undefined) arm();
        return;
      }
      // Early by design: yield to I/O until due (a poll from a response chunk may send it first, and
      // then re-arms the timer, which ends this wait).
      if (yielding) return;
      yielding = true;
      const spin = () => {
        if (finished || timer !== undefined) {
          yielding = false;
          return;
        }
        if (clock.now() < dueAt - leadMs) return yieldTo(spin);
        yielding = false;
        poll();
      };
      yieldTo(spin);
    };
    const unsubscribe = options.checkpoint?.(poll);
    signal.addEventListener('abort', finish, { once: true });
    if (signal.aborted) finish();
    else tick();
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
