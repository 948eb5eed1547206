/** Helpers to build lanes and items and to drive a run to completion on the virtual clock. */
import type { VirtualClock } from '../../../src/internal/clock.ts';
import type {
  DeploymentHandle,
  Outcome,
  Row,
  Scheduler,
  SchedulerHooks,
  SchedulerStats,
  TargetLane,
  WorkItem,
  AttemptEvent,
} from '../../../src/types.ts';

export function makeItem(target: string, index: number, cost: number): WorkItem {
  const row: Row = { id: `r${index}`, index, line: index + 2, fields: {} };
  return { key: `r${index}|${target}|0`, row, target, repeat: 0, input: { messages: [{ role: 'user', content: `q${index}` }] }, cost };
}

/** A lazy cursor that counts how many items were pulled. */
export function lazyItems(
  target: string,
  count: number,
  cost: number | ((i: number) => number),
): { items: AsyncIterable<WorkItem>; pulled: () => number } {
  let pulled = 0;
  const items = {
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < count; i++) {
        pulled++;
        yield makeItem(target, i, typeof cost === 'number' ? cost : cost(i));
      }
    },
  };
  return { items, pulled: () => pulled };
}

export function lane(
  target: string,
  deployments: readonly DeploymentHandle[],
  count: number,
  cost: number | ((i: number) => number) = 100,
): TargetLane & { pulled: () => number } {
  const { items, pulled } = lazyItems(target, count, cost);
  return { target, items, deployments, pulled };
}

export interface Recorded {
  readonly settled: Map<string, Outcome[]>;
  readonly attempts: AttemptEvent[];
  readonly settledAt: Map<string, number>;
  hooks: SchedulerHooks;
}

export function recorder(clock: VirtualClock): Recorded {
  const settled = new Map<string, Outcome[]>();
  const settledAt = new Map<string, number>();
  const attempts: AttemptEvent[] = [];
  return {
    settled,
    attempts,
    settledAt,
    hooks: {
      onAttempt: (event) => void attempts.push(event),
      onSettled: (item, outcome) => {
        const list = settled.get(item.key) ?? [];
        list.push(outcome);
        settled.set(item.key, list);
        settledAt.set(item.key, clock.now());
      },
    },
  };
}

/** Runs the scheduler and advances virtual time until the run resolves (bounded). */
export async function drive(
  clock: VirtualClock,
  scheduler: Scheduler,
  lanes: readonly TargetLane[],
  hooks: SchedulerHooks,
  signal = new AbortController().signal,
  limitMs = 48 * 3600_000,
): Promise<SchedulerStats> {
  let result: SchedulerStats | undefined;
  let failure: unknown;
  let done = false;
  scheduler.run(lanes, hooks, signal).then(
    (stats) => {
      result = stats;
      done = true;
    },
    (error: unknown) => {
      failure = error;
      done = true;
    },
  );
  const end = clock.now() + limitMs;
  for (let i = 0; i < 1_000 && !done; i++) {
    await clock.runUntilIdle(end - clock.now());
    if (clock.now() >= end) break;
  }
  if (!done) throw new Error('run did not finish within the virtual time limit');
  if (failure !== undefined) throw failure;
  return result as SchedulerStats;
}
