/**
 * Holds requests that were built ahead of their due time and lets each go at that time. The open-loop
 * pacer starts a request's SDK call a few milliseconds early (its request building is client CPU that
 * would otherwise sit between "due" and "sent" and show up as send jitter); the transport then waits
 * here before handing the request to the HTTP client. Like the pacer, the gate is checked twice: by a
 * timer aimed at the earliest hold, and by `poll`, which the transport calls per response chunk, so a
 * hold that falls due while the thread reads streams is released between chunks, not after all of them.
 */
import type { Clock } from '../internal/clock.ts';

export interface ReleaseGate {
  /** Resolves at `at` (clock time) or at the first check after it; at once when `at` has passed. */
  until(at: number): Promise<void>;
  /** Releases every hold that is due. Cheap when nothing is held: one comparison. */
  poll(): void;
  /** Holds not yet released. */
  readonly held: number;
}

interface Hold {
  readonly at: number;
  readonly release: () => void;
}

export function createReleaseGate(clock: Clock): ReleaseGate {
  // Sorted by due time. Holds arrive almost in due order (arrivals are sent in order), so insertion
  // scans from the end and is O(1) in practice; a few hundred are held at most.
  const holds: Hold[] = [];
  let timer: { cancel(): void } | undefined;
  let timerAt = Infinity;

  const arm = () => {
    const next = holds[0]?.at ?? Infinity;
    if (next === timerAt) return;
    timer?.cancel();
    timer = undefined;
    timerAt = next;
    if (next === Infinity) return;
    timer = clock.setTimer(
      () => {
        timer = undefined;
        timerAt = Infinity;
        poll();
      },
      Math.max(0, next - clock.now()),
    );
  };

  const poll = () => {
    if (holds.length === 0) return;
    const now = clock.now();
    let due = 0;
    while (due < holds.length && holds[due]!.at <= now) due++;
    if (due === 0) {
      if (timer === undefined) arm(); // a timer that fired early (rounding) aims again
      return;
    }
    for (const hold of holds.splice(0, due)) hold.release();
    arm();
  };

  return {
    until(at) {
      if (at <= clock.now()) return Promise.resolve();
      return new Promise<void>((release) => {
        let i = holds.length;
        while (i > 0 && holds[i - 1]!.at > at) i--;
        holds.splice(i, 0, { at, release });
        arm();
      });
    },
    poll,
    get held() {
      return holds.length;
    },
  };
}
