/**
 * Emulated time: wraps a Clock so emulated time runs `timeScale` times faster than the inner clock, and
 * can jump forward (`advance`). Windows, latency and fault ranges all read this clock, so one knob
 * compresses a whole run consistently.
 */
import type { Clock, TimerHandle } from '../internal/clock.ts';

export class ScaledClock implements Clock {
  readonly #inner: Clock;
  #scale: number;
  #baseInner: number;
  #baseOuter: number;

  constructor(inner: Clock, scale = 1) {
    this.#inner = inner;
    this.#scale = scale;
    this.#baseInner = inner.now();
    this.#baseOuter = this.#baseInner;
  }

  get timeScale(): number {
    return this.#scale;
  }

  now(): number {
    return this.#scale === 1 && this.#baseInner === this.#baseOuter
      ? this.#inner.now()
      : this.#baseOuter + (this.#inner.now() - this.#baseInner) * this.#scale;
  }

  setTimer(fn: () => void, delayMs: number): TimerHandle {
    return this.#inner.setTimer(fn, delayMs / this.#scale);
  }

  /** Changes the speed from now on without a jump in emulated time. */
  setTimeScale(scale: number): void {
    const now = this.now();
    this.#baseInner = this.#inner.now();
    this.#baseOuter = now;
    this.#scale = scale;
  }

  /** Jumps emulated time forward (pending timers keep their real-time schedule). */
  advance(ms: number): void {
    this.#baseOuter += Math.max(0, ms);
  }
}
