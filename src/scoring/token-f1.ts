/**
 * token-f1: SQuAD token-overlap F1 between the output and the reference answer (bag of normalised
 * tokens, counted with multiplicity). The value is the F1 itself; `passed` when F1 ≥ `threshold`.
 */
import { z } from 'zod';
import type { Scorer } from '../types.ts';
import { answerTokens } from './normalize-answer.ts';
import { parseScorerOptions, requireExpected, type ScorerPath } from './scorer-options.ts';

const optionsSchema = z.strictObject({
  threshold: z
    .number({ error: 'expected a number between 0 and 1' })
    .min(0, { error: 'expected a number between 0 and 1' })
    .max(1, { error: 'expected a number between 0 and 1' })
    .optional(),
});

/** SQuAD F1 of two token lists; two empty lists agree (1), one empty list scores 0. */
export function tokenF1(predicted: readonly string[], reference: readonly string[]): number {
  if (predicted.length === 0 || reference.length === 0) return predicted.length === reference.length ? 1 : 0;
  const remaining = new Map<string, number>();
  for (const token of reference) remaining.set(token, (remaining.get(token) ?? 0) + 1);
  let common = 0;
  for (const token of predicted) {
    const count = remaining.get(token) ?? 0;
    if (count > 0) {
      common++;
      remaining.set(token, count - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / predicted.length;
  const recall = common / reference.length;
  return (2 * precision * recall) / (precision + recall);
}

/** Builds the token-f1 scorer. @throws ConfigError for a threshold outside 0..1 */
export function createTokenF1(options: unknown = {}, path: ScorerPath = 'token-f1'): Scorer {
  const { threshold = 0.5 } = parseScorerOptions(optionsSchema, options, path);
  return {
    name: 'token-f1',
    score({ output, expected }) {
      const value = tokenF1(answerTokens(output), answerTokens(requireExpected(expected, 'token-f1')));
      const passed = value >= threshold;
      return passed ? { value, passed } : { value, passed, reason: `F1 ${value.toFixed(3)} below ${threshold}` };
    },
  };
}
