/**
 * LLM-as-judge calls travel through the scheduler like any other request: each judge target gets a
 * lane fed by a channel, so its quota, retries and breaker are handled by the same machinery.
 * With `--cache`, verdicts are cached under the same key rules as candidate answers (endpoint,
 * deployment, API, exact body), so an identical rerun grades identically without a judge request.
 */
import { Channel } from '../internal/channel.ts';
import { ProviderError } from '../errors.ts';
import type {
  AttemptRecord,
  Completion,
  DeploymentHandle,
  JudgeCall,
  Outcome,
  PromptInput,
  ResolvedTarget,
  TargetLane,
  WorkItem,
} from '../types.ts';
import { cachedJudgeRecord } from './journal-records.ts';
import type { ResponseCache } from './response-cache.ts';

export interface JudgeTarget {
  readonly name: string;
  readonly deployments: DeploymentHandle[];
  readonly estimateCost: (input: PromptInput) => number;
  /** The configured target, for cache keys (cache lookups need it). */
  readonly resolved?: ResolvedTarget;
}

export interface JudgeOptions {
  readonly cache?: ResponseCache | undefined;
  /** Journals a verdict served from the cache (no scheduler attempt exists for it). */
  readonly onCached?: (record: AttemptRecord) => Promise<void>;
}

/** The judge calls of one candidate cell: every call is linked to the cell in the journal. */
export interface CellJudge {
  readonly call: JudgeCall;
  callFor(target: string): JudgeCall | undefined;
}

export interface Judge {
  readonly lanes: TargetLane[];
  /** Calls the first judge target (for scorers that do not name one). */
  readonly call: JudgeCall;
  /** Calls the named judge target; undefined for a name that is not a judge. */
  callFor(target: string): JudgeCall | undefined;
  /** Judge calls made while grading cell `cell` (its key), so their attempts name the cell. */
  forCell(cell: string): CellJudge;
  owns(item: WorkItem): boolean;
  /** The candidate cell a judge work item grades, if known. */
  judgedBy(item: WorkItem): string | undefined;
  settle(item: WorkItem, outcome: Outcome): Promise<void>;
  close(): void;
}

const JUDGE_PREFIX = '\u0000judge|';

export function createJudge(targets: readonly JudgeTarget[], options: JudgeOptions = {}): Judge {
  const channels = new Map(targets.map((t) => [t.name, new Channel<WorkItem>()]));
  const waiting = new Map<
    string,
    { resolve: (c: Completion) => void; reject: (e: unknown) => void; judge: JudgeTarget; cell: string | undefined }
  >();
  let seq = 0;
  let closed = false;
  const unavailable = () => new ProviderError({ category: 'aborted', message: 'judge unavailable: run is ending', retryable: false });

  const callTarget =
    (judge: JudgeTarget, cell: string | undefined): JudgeCall =>
    async (input, signal) => {
      if (closed || signal.aborted) throw unavailable();
      const hit = judge.resolved && options.cache ? await options.cache.lookup(judge.resolved, input) : undefined;
      if (hit) {
        await options.onCached?.(cachedJudgeRecord(judge.name, hit.deploymentId, cell, hit.completion));
        return hit.completion;
      }
      if (closed || signal.aborted) throw unavailable();
      return new Promise<Completion>((resolve, reject) => {
        const key = `${JUDGE_PREFIX}${judge.name}|${++seq}`;
        waiting.set(key, { resolve, reject, judge, cell });
        const item: WorkItem = {
          key,
          row: { id: key, index: -1, line: 0, fields: {} },
          target: judge.name,
          repeat: 0,
          input,
          cost: judge.estimateCost(input),
        };
        channels.get(judge.name)!.push(item);
      });
    };

  const byName = new Map(targets.map((t) => [t.name, t]));
  const calls = new Map(targets.map((t) => [t.name, callTarget(t, undefined)]));
  return {
    lanes: targets.map((t) => ({ target: t.name, deployments: t.deployments, items: channels.get(t.name)! })),
    call: calls.get(targets[0]!.name)!,
    callFor: (target) => calls.get(target),
    forCell(cell) {
      return {
        call: callTarget(targets[0]!, cell),
        callFor: (target) => {
          const judge = byName.get(target);
          return judge === undefined ? undefined : callTarget(judge, cell);
        },
      };
    },
    owns: (item) => item.key.startsWith(JUDGE_PREFIX),
    judgedBy: (item) => waiting.get(item.key)?.cell,
    async settle(item, outcome) {
      const entry = waiting.get(item.key);
      waiting.delete(item.key);
      if (!entry) return;
      if (outcome.status !== 'ok') {
        entry.reject(new Error(`judge call failed (${outcome.reason}): ${outcome.error.message}`));
        return;
      }
      // Stored before the verdict is used, so a rerun right after this one finds it.
      if (entry.judge.resolved && options.cache)
        await options.cache.store(entry.judge.resolved, outcome.deploymentId, item.input, outcome.completion).catch(() => undefined);
      entry.resolve(outcome.completion);
    },
    close() {
      if (closed) return;
      closed = true;
      for (const channel of channels.values()) channel.close();
    },
  };
}
