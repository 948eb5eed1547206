/**
 * Settling items exactly once: every item ends as one ok or failed outcome handed to `onSettled`, and
 * a second settlement of the same item is a broken invariant (thrown, never silently recorded).
 */
import type { Clock } from '../internal/clock.ts';
import type { FailureReason, Outcome, SchedulerHooks, SerializedError } from '../types.ts';
import type { HookCalls } from './hook-calls.ts';
import type { Entry, Lane } from './lane.ts';

export class Settlement {
  /** Items settled so far. */
  items = 0;
  readonly #clock: Clock;
  readonly #hooks: SchedulerHooks;
  readonly #calls: HookCalls;

  constructor(clock: Clock, hooks: SchedulerHooks, calls: HookCalls) {
    this.#clock = clock;
    this.#hooks = hooks;
    this.#calls = calls;
  }

  settle(entry: Entry, outcome: Outcome): void {
    if (entry.settled) throw new Error(`scheduler invariant broken: ${entry.item.key} settled twice`);
    entry.settled = true;
    this.items++;
    this.#calls.call(() => this.#hooks.onSettled(entry.item, outcome));
  }

  fail(entry: Entry, reason: FailureReason, error: SerializedError): void {
    const outcome: Outcome = {
      status: 'failed',
      reason,
      error,
      deploymentId: entry.deploymentId,
      attempts: entry.sent,
      durationMs: this.#clock.now() - entry.queuedAt,
    };
    this.settle(entry, outcome);
  }

  /** Fails everything the lane holds (ready, then backing off), each with `errorFor(entry)`. */
  drain(lane: Lane, reason: FailureReason, errorFor: (entry: Entry) => SerializedError): void {
    for (let entry = lane.ready.popFront(); entry !== undefined; entry = lane.ready.popFront()) this.fail(entry, reason, errorFor(entry));
    for (let entry = lane.delayed.pop(); entry !== undefined; entry = lane.delayed.pop()) this.fail(entry, reason, errorFor(entry));
  }
}
