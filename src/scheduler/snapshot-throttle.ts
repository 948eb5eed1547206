/**
 * Gate snapshots for diagnostics (the progress line, BATCHBENCH_DEBUG) at most once per `everyMs`, with
 * a trailing snapshot for a dispatch that fell inside the interval: the state it saw (a pause just
 * begun, a probe failed) may be the last before a quiet spell, and a progress line would otherwise never
 * hear of it.
 */
import type { Clock, TimerHandle } from '../internal/clock.ts';
import type { ResolvedSchedulerOptions } from './defaults.ts';
import type { Gate } from './gate.ts';

export class SnapshotThrottle {
  readonly #clock: Clock;
  readonly #diagnostics: ResolvedSchedulerOptions['diagnostics'];
  readonly #gates: readonly Gate[];
  #last = Number.NEGATIVE_INFINITY;
  #timer: TimerHandle | undefined;
  #stopped = false;

  constructor(clock: Clock, diagnostics: ResolvedSchedulerOptions['diagnostics'], gates: readonly Gate[]) {
    this.#clock = clock;
    this.#diagnostics = diagnostics;
    this.#gates = gates;
  }

  /** A dispatch happened at `now`. */
  tick(now: number): void {
    const diagnostics = this.#diagnostics;
    if (diagnostics === undefined || this.#stopped) return;
    if (now - this.#last >= diagnostics.everyMs) {
      this.#timer?.cancel();
      this.#timer = undefined;
      this.#last = now;
      diagnostics.onSnapshot(this.#gates.map((gate) => gate.snapshot(now)));
    } else if (this.#timer === undefined) {
      this.#timer = this.#clock.setTimer(
        () => {
          this.#timer = undefined;
          this.tick(this.#clock.now());
        },
        this.#last + diagnostics.everyMs - now,
      );
    }
  }

  /** The run finished: no snapshot after this. */
  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = undefined;
  }
}
