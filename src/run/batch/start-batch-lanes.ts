/**
 * The orchestrator's one hook for Global Batch: lanes of `mode: 'batch'` targets are taken out of the
 * online scheduler and run by runBatchLane instead; their cells settle through the same scoring and
 * result records as online cells.
 */
import { join } from 'node:path';
import { createBatchClient } from '../../providers/batch-client.ts';
import type { ProviderDeps } from '../../providers/provider.ts';
import type { Clock } from '../../internal/clock.ts';
import type { JournalRecord, Outcome, ResolvedTarget, TargetLane, WorkItem } from '../../types.ts';
import { runBatchLane } from './batch-lane.ts';
import { loadBatchResume } from './batch-records.ts';

export interface BatchLanesInput {
  readonly lanes: readonly TargetLane[];
  readonly targets: ReadonlyMap<string, ResolvedTarget>;
  readonly deps: ProviderDeps;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  readonly runDir: string;
  /** A resumed run: re-attach to the batches its journal names. */
  readonly resume: boolean;
  readonly settle: (item: WorkItem, outcome: Outcome) => Promise<void>;
  readonly write: (record: JournalRecord) => Promise<void>;
  readonly progress?: (text: string) => void;
}

export interface BatchLanes {
  /** The lanes the online scheduler still runs. */
  readonly online: TargetLane[];
  /** Settles when every batch lane is done (or stopped by the signal): ids of jobs left running, and cells left unrun. */
  readonly done: Promise<{ leftRunning: string[]; notRun: number }>;
}

export function startBatchLanes(input: BatchLanesInput): BatchLanes {
  const online: TargetLane[] = [];
  const runs: Promise<{ leftRunning: readonly string[]; notRun: number }>[] = [];
  for (const lane of input.lanes) {
    const target = input.targets.get(lane.target);
    if (target?.mode !== 'batch') {
      online.push(lane);
      continue;
    }
    runs.push(
      (async () => {
        const resume = input.resume ? await loadBatchResume(join(input.runDir, 'journal.jsonl'), target.name) : undefined;
        const result = await runBatchLane({
          target,
          client: createBatchClient(target.deployments[0]!, input.deps),
          items: lane.items,
          clock: input.clock,
          signal: input.signal,
          settle: input.settle,
          journal: (record) => input.write(record as unknown as JournalRecord),
          ...(resume ? { resume } : {}),
          ...(input.progress ? { progress: input.progress } : {}),
        });
        return result;
      })(),
    );
  }
  return {
    online,
    done: Promise.all(runs).then((all) => ({
      leftRunning: all.flatMap((r) => r.leftRunning),
      notRun: all.reduce((n, r) => n + r.notRun, 0),
    })),
  };
}
