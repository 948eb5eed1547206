/**
 * In-process zero-latency deployments: answer every attempt on the next microtask with rate headers, so
 * what is measured is the scheduler alone (dispatch, mirrors, accounting), not HTTP or the SDK.
 */
import type { Completion, DeploymentHandle, WorkItem } from '../../src/types.ts';
import { rowInput } from './workload.ts';
import type { WorkloadSpec } from './workload.ts';

const completion: Completion = {
  text: 'ok',
  finishReason: 'stop',
  usage: { promptTokens: 10, completionTokens: 3, reasoningTokens: 0, cachedTokens: 0 },
  timing: { startedAt: 0, endMs: 0 },
  rate: { limitTokens: 1e12, remainingTokens: 1e12, limitRequests: 1e9, remainingRequests: 1e9 },
  status: 200,
  requestId: null,
  region: null,
  model: null,
};

export function zeroLatencyHandle(id: string): DeploymentHandle {
  return { id, limits: { tpm: 1e12, rpm: 1e9 }, maxConcurrency: 256, execute: () => Promise.resolve(completion) };
}

/** Items of one target over the synthetic workload, with a fixed cost (no provider needed). */
export function zeroLatencyItems(spec: WorkloadSpec, target: string): AsyncIterable<WorkItem> {
  return {
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < spec.rows; i++) {
        const { row, input } = rowInput(spec, i);
        yield { key: `${row.id}|${target}|0`, row, target, repeat: 0, input, cost: 1_024 };
      }
    },
  };
}
