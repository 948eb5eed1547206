/**
 * The clock seam. Production code reads time and sets timers only through a Clock, so tests can run the
 * scheduler on a virtual clock and benchmarks can compress time.
 */

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds, monotonic within a run (epoch-based for the system clock). */
  now(): number;
  /** Calls `fn` once after `delayMs` (clamped at 0). */
  setTimer(fn: () => void, delayMs: number): TimerHandle;
}

/** The real clock: `performance.timeOrigin + performance.now()` so values are epoch ms yet monotonic. */
export const systemClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  setTimer(fn, delayMs) {
    const timer = setTimeout(fn, Math.max(0, delayMs));
    return { cancel: () => clearTimeout(timer) };
  },
};

/**
 * A virtual clock for tests: time moves only when `advance` or `runUntilIdle` is called, and timers fire
 * in time order (ties in creation order). Promise callbacks run between timers so async code progresses.
 */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers = new Map<number, { at: number; seq: number; fn: () => void }>();

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimer(fn: () => void, delayMs: number): TimerHandle {
    const id = ++this.#seq;
    this.#timers.set(id, { at: this.#now + Math.max(0, delayMs), seq: id, fn });
    return { cancel: () => this.#timers.delete(id) };
  }

  /** Number of timers not yet fired. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Advances time by `ms`, firing due timers in order and letting microtasks settle after each. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      await flushMicrotasks();
      const next = this.#nextTimer();
      if (!next || next.at > target) break;
      this.#timers.delete(next.seq);
      this.#now = Math.max(this.#now, next.at);
      next.fn();
    }
    this.#now = target;
    await flushMicrotasks();
  }

  /** Fires timers until none remain (or `limitMs` of virtual time passes). */
  async runUntilIdle(limitMs = 24 * 3600_000): Promise<void> {
    const end = this.#now + limitMs;
    for (;;) {
      await flushMicrotasks();
      const next = this.#nextTimer();
      if (!next || next.at > end) return;
      this.#timers.delete(next.seq);
      this.#now = Math.max(this.#now, next.at);
      next.fn();
    }
  }

  #nextTimer() {
    let best: { at: number; seq: number; fn: () => void } | undefined;
    for (const timer of this.#timers.values()) {
      if (!best || timer.at < best.at || (timer.at === best.at && timer.seq < best.seq)) best = timer;
    }
    return best;
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise<void>((resolve) => setImmediate(resolve));
}
