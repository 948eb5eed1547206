/**
 * Synthetic workloads for the benchmark: deterministic rows (prompt lengths log-normal from a seed),
 * generated lazily so 100k-row scenarios never hold the dataset in memory, and one WorkItem stream per
 * target with the admission cost computed by the real provider estimate.
 */
import { createRng, hashString, logNormal } from '../../src/internal/rng.ts';
import type { PromptInput, Row, WorkItem } from '../../src/types.ts';

export interface WorkloadSpec {
  readonly rows: number;
  /** Median prompt length and its log-space sigma. @unit tokens */
  readonly promptMedian: number;
  readonly promptSigma: number;
  /** Prompt length cap. @unit tokens */
  readonly promptMax: number;
  readonly seed: number;
}

const FILLER = 'the quick brown fox jumps over the lazy dog while a batch of evaluation prompts waits for quota; '.repeat(400);

/** Prompt length of row `index` in tokens (so chars = 4 × tokens). */
export function promptTokens(spec: WorkloadSpec, index: number): number {
  const random = createRng(hashString(`${spec.seed}|${index}`));
  return Math.max(8, Math.min(spec.promptMax, Math.round(logNormal(random, spec.promptMedian, spec.promptSigma))));
}

export function rowInput(spec: WorkloadSpec, index: number): { row: Row; input: PromptInput } {
  const chars = promptTokens(spec, index) * 4;
  const head = `Row ${index}: `;
  const content = head + FILLER.slice(0, Math.max(0, chars - head.length));
  return { row: { id: `row-${index}`, index, line: index + 1, fields: {} }, input: { messages: [{ role: 'user', content }] } };
}

/** The items of one target, produced on demand. */
export function targetItems(spec: WorkloadSpec, target: string, estimateCost: (input: PromptInput) => number): AsyncIterable<WorkItem> {
  return {
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < spec.rows; i++) {
        const { row, input } = rowInput(spec, i);
        yield { key: `${row.id}|${target}|0`, row, target, repeat: 0, input, cost: estimateCost(input) };
      }
    },
  };
}

/** Σ admission cost of a target's items (for the bound), without materialising them. */
export function totalCost(spec: WorkloadSpec, estimateCost: (input: PromptInput) => number): number {
  let sum = 0;
  for (let i = 0; i < spec.rows; i++) sum += estimateCost(rowInput(spec, i).input);
  return sum;
}
