/**
 * The state of one compared target during a run: its ready queue (a ring deque; retries re-enter at
 * the head), its backoff waiting room, its lazy cursor over the items, its gates and its one timer.
 */
import type { Clock, TimerHandle } from '../internal/clock.ts';
import type { FailureReason, SerializedError, TargetLane, WorkItem } from '../types.ts';
import { serializeError } from '../errors.ts';
import type { Gate } from './gate.ts';
import { MinHeap } from './min-heap.ts';
import { schedulerError } from './outcomes.ts';
import type { BackoffState } from './retry.ts';
import { RingDeque } from './ring-deque.ts';

/** One work item's journey through the scheduler. */
export interface Entry {
  readonly item: WorkItem;
  /** When the item was pulled: the start of its logical latency. @unit milliseconds */
  readonly queuedAt: number;
  /** End of the previous attempt (or queuedAt): the start of `waitedBeforeMs`. @unit milliseconds */
  readyAt: number;
  /** A backed-off retry may not start before this. @unit milliseconds */
  notBefore: number;
  /** Attempts sent, quota 429s included. */
  sent: number;
  /** Non-quota failures: what the retry budget counts. */
  failures: number;
  backoff: BackoffState | undefined;
  /** Smaller items sent ahead of this one while it waited at the head (backfill, lane-dispatch.ts). */
  bypassed: number;
  deploymentId: string | null;
  lastError: unknown;
  settled: boolean;
}

export function createEntry(item: WorkItem, now: number): Entry {
  return {
    item,
    queuedAt: now,
    readyAt: now,
    notBefore: now,
    sent: 0,
    failures: 0,
    backoff: undefined,
    bypassed: 0,
    deploymentId: null,
    lastError: undefined,
    settled: false,
  };
}

export class Lane {
  readonly target: string;
  readonly gates: readonly Gate[];
  readonly ready = new RingDeque<Entry>(32);
  readonly delayed = new MinHeap<Entry>((entry) => entry.notBefore);
  readonly iterator: AsyncIterator<WorkItem>;
  /** The cursor is exhausted. */
  done = false;
  /** A `next()` call is pending (the cursor is pulled one item at a time). */
  pulling = false;
  /** Re-entrancy guard: settling inside dispatch must not start a nested dispatch. */
  dispatching = false;
  inFlight = 0;
  /** Admission cost sent so far: the fairness measure for the global in-flight cap. */
  servedCost = 0;
  waitingGlobal = false;
  timer: TimerHandle | undefined;
  timerAt = Number.POSITIVE_INFINITY;
  /** Since when every gate's breaker has been open (for the unavailability grace). */
  allOpenSince: number | undefined;
  /** Set when the lane gives up: every remaining item settles with this. */
  terminal: { readonly reason: FailureReason; readonly error: SerializedError } | undefined;

  constructor(lane: TargetLane, gates: readonly Gate[]) {
    this.target = lane.target;
    this.gates = gates;
    this.iterator = lane.items[Symbol.asyncIterator]();
  }

  /** Items waiting (ready or backing off). */
  get queued(): number {
    return this.ready.length + this.delayed.length;
  }

  /** Bounded look-ahead: 2 × the sum of the members' current in-flight caps. */
  get lookAhead(): number {
    let caps = 0;
    for (const gate of this.gates) caps += gate.cap;
    return 2 * Math.max(1, caps);
  }

  /**
   * Whether the lane can still be served: `unavailable` at once when every member failed with 401/403/404
   * (a wrong key or name never fixes itself), or when every member's breaker stayed open for `graceMs`;
   * `waiting` (until the grace ends) while every breaker is open for other reasons.
   */
  health(now: number, graceMs: number): LaneHealth {
    let allOpen = true;
    let allConfig = true;
    for (const gate of this.gates) {
      if (gate.breaker.state === 'closed') allOpen = false;
      if (!gate.breaker.configOpen) allConfig = false;
    }
    if (!allOpen) {
      this.allOpenSince = undefined;
      return { kind: 'usable' };
    }
    const first = this.gates[0] as Gate;
    if (allConfig) return { kind: 'unavailable', error: serializeError(first.lastConfigError ?? first.lastError) };
    this.allOpenSince ??= now;
    const until = this.allOpenSince + graceMs;
    if (now < until) return { kind: 'waiting', until };
    const cause = this.gates.find((g) => g.lastError !== undefined)?.lastError;
    return {
      kind: 'unavailable',
      error:
        cause === undefined
          ? schedulerError('E_UNAVAILABLE', `every deployment of "${this.target}" stayed unavailable`, undefined, true)
          : serializeError(cause),
    };
  }

  /**
   * Pulls one item from the cursor (one `next()` at a time): `onItem(undefined)` when it is exhausted.
   * A throwing or rejecting cursor ends the lane's pulling and goes to `onError`.
   */
  pull(onItem: (item: WorkItem | undefined) => void, onError: (error: unknown) => void): void {
    this.pulling = true;
    const failed = (error: unknown) => {
      this.pulling = false;
      this.done = true;
      onError(error);
    };
    let next: Promise<IteratorResult<WorkItem>>;
    try {
      next = this.iterator.next();
    } catch (error) {
      failed(error);
      return;
    }
    next.then((result) => {
      this.pulling = false;
      if (result.done) this.done = true;
      onItem(result.done ? undefined : result.value);
    }, failed);
  }

  /** Moves retries whose backoff ends by `now + epsilonMs` to the head of the ready queue, earliest due first. */
  promoteDueRetries(now: number, epsilonMs: number): void {
    const delayed = this.delayed;
    if (delayed.length === 0 || (delayed.peek() as Entry).notBefore > now + epsilonMs) return;
    const due: Entry[] = [];
    while (delayed.length > 0 && (delayed.peek() as Entry).notBefore <= now + epsilonMs) due.push(delayed.pop() as Entry);
    for (let i = due.length - 1; i >= 0; i--) this.ready.pushFront(due[i] as Entry);
  }

  /** Arms the lane's one timer for `at` unless it already fires by then. */
  armTimer(clock: Clock, at: number, now: number, fire: () => void): void {
    if (this.timer !== undefined && this.timerAt <= at) return;
    this.cancelTimer();
    this.timerAt = at;
    this.timer = clock.setTimer(() => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      fire();
    }, at - now);
  }

  cancelTimer(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }
}

export type LaneHealth =
  | { readonly kind: 'usable' }
  | { readonly kind: 'waiting'; readonly until: number }
  | { readonly kind: 'unavailable'; readonly error: SerializedError };

/** Result of earliest-feasible-start selection for one head request. */
export interface Choice {
  gate: Gate | undefined;
  /** @unit milliseconds (clock time); Infinity when no member can say. */
  at: number;
  /** Some member's token budget can hold the request at all. */
  fits: boolean;
}

/**
 * Earliest feasible start (§5.6): the member with the smallest t_i; ties → fewest in flight → largest
 * remaining-budget fraction. Writes into `out` so the hot path allocates nothing.
 */
export function chooseGate(gates: readonly Gate[], now: number, cost: number, out: Choice): Choice {
  out.gate = undefined;
  out.at = Number.POSITIVE_INFINITY;
  out.fits = false;
  let bestRoom = -1;
  for (const gate of gates) {
    if (!gate.fits(cost)) continue;
    out.fits = true;
    const at = gate.earliestStart(now, cost);
    if (at === Number.POSITIVE_INFINITY) continue;
    const best = out.gate;
    if (best === undefined || at < out.at) {
      out.gate = gate;
      out.at = at;
      bestRoom = -1;
      continue;
    }
    if (at > out.at) continue;
    if (gate.inFlight < best.inFlight) {
      out.gate = gate;
      bestRoom = -1;
      continue;
    }
    if (gate.inFlight > best.inFlight) continue;
    if (bestRoom < 0) bestRoom = best.roomFraction(now);
    const room = gate.roomFraction(now);
    if (room > bestRoom) {
      out.gate = gate;
      bestRoom = room;
    }
  }
  return out;
}
