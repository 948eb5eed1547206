/** Builds ScoreInputs and Completions for scorer tests. */
import type { Completion, Row, ScoreContext, ScoreInput } from '../../src/types.ts';

export function completion(text: string): Completion {
  return {
    text,
    finishReason: 'stop',
    usage: { promptTokens: 10, completionTokens: 5, reasoningTokens: 0, cachedTokens: 0 },
    timing: { startedAt: 0, endMs: 100 },
    rate: {},
    status: 200,
    requestId: 'req-1',
    region: null,
    model: 'test-model',
  };
}

export function input(
  output: string,
  expected?: string,
  fields: Record<string, string> = { question: 'What is the capital of France?' },
): ScoreInput {
  const row: Row = { id: 'r1', index: 0, line: 2, fields, ...(expected === undefined ? {} : { expected }) };
  return { row, target: 't', output, expected, completion: completion(output) };
}

export const context: ScoreContext = { signal: new AbortController().signal };
