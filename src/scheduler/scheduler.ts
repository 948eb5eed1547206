/**
 * The quota-aware scheduler (scheduler-design.md §5): a gate per deployment, one ready queue per
 * target with bounded look-ahead, earliest-feasible-start dispatch across pool members, one retry
 * layer that never spends attempts on quota 429s, and exactly one outcome per item.
 */
import { systemClock } from '../internal/clock.ts';
import type { Scheduler, SchedulerHooks, SchedulerStats, TargetLane } from '../types.ts';
import type { SchedulerOptions } from './defaults.ts';
import { resolveSchedulerOptions } from './defaults.ts';
import { RunLoop } from './run-loop.ts';

export type { GateSnapshot, MirrorSnapshot, RetryOptions, SchedulerOptions } from './defaults.ts';

/** Creates the quota-aware scheduler. Each `run` is independent: gates and mirrors start fresh. */
export function createScheduler(options: SchedulerOptions = {}): Scheduler {
  const resolved = resolveSchedulerOptions(options, systemClock);
  return {
    run(lanes: readonly TargetLane[], hooks: SchedulerHooks, signal: AbortSignal): Promise<SchedulerStats> {
      return new RunLoop(resolved, lanes, hooks, signal).start();
    },
  };
}
