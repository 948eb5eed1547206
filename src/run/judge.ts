/**
 * LLM-as-judge calls travel through the scheduler like any other request: each judge target gets a
 * lane fed by a channel, so its quota, retries and breaker are handled by the same machinery.
 */
import { Channel } from '../internal/channel.ts';
import { ProviderError } from '../errors.ts';
import type { Completion, DeploymentHandle, JudgeCall, Outcome, PromptInput, TargetLane, WorkItem } from '../types.ts';

export interface JudgeTarget {
  readonly name: string;
  readonly deployments: DeploymentHandle[];
  readonly estimateCost: (input: PromptInput) => number;
}

export interface Judge {
  readonly lanes: TargetLane[];
  /** Calls the first judge target (for scorers that do not name one). */
  readonly call: JudgeCall;
  /** Calls the named judge target; undefined for a name that is not a judge. */
  callFor(target: string): JudgeCall | undefined;
  owns(item: WorkItem): boolean;
  settle(item: WorkItem, outcome: Outcome): void;
  close(): void;
}

const JUDGE_PREFIX = '\u0000judge|';

export function createJudge(targets: readonly JudgeTarget[]): Judge {
  const channels = new Map(targets.map((t) => [t.name, new Channel<WorkItem>()]));
  const waiting = new Map<string, { resolve: (c: Completion) => void; reject: (e: unknown) => void }>();
  let seq = 0;
  let closed = false;

  const callTarget = (judge: JudgeTarget): JudgeCall => (input, signal) =>
    new Promise<Completion>((resolve, reject) => {
      if (closed || signal.aborted) {
        reject(new ProviderError({ category: 'aborted', message: 'judge unavailable: run is ending', retryable: false }));
        return;
      }
      const key = `${JUDGE_PREFIX}${judge.name}|${++seq}`;
      waiting.set(key, { resolve, reject });
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

  const calls = new Map(targets.map((t) => [t.name, callTarget(t)]));
  return {
    lanes: targets.map((t) => ({ target: t.name, deployments: t.deployments, items: channels.get(t.name)! })),
    call: calls.get(targets[0]!.name)!,
    callFor: (target) => calls.get(target),
    owns: (item) => item.key.startsWith(JUDGE_PREFIX),
    settle(item, outcome) {
      const entry = waiting.get(item.key);
      waiting.delete(item.key);
      if (!entry) return;
      if (outcome.status === 'ok') entry.resolve(outcome.completion);
      else entry.reject(new Error(`judge call failed (${outcome.reason}): ${outcome.error.message}`));
    },
    close() {
      if (closed) return;
      closed = true;
      for (const channel of channels.values()) channel.close();
    },
  };
}
