/**
 * contains: the output contains the reference answer (or a fixed `value`) as a whole-token sequence
 * after SQuAD normalisation, so "4" does not match "14" and "Paris." matches "paris". With
 * `normalize: false`, a plain case-sensitive substring test.
 */
import { z } from 'zod';
import type { Scorer } from '../types.ts';
import { splitAlternatives } from './exact-match.ts';
import { answerTokens, preview } from './normalize-answer.ts';
import { parseScorerOptions, requireExpected, type ScorerPath } from './scorer-options.ts';

const optionsSchema = z.strictObject({
  value: z.string({ error: 'expected a string' }).min(1, { error: 'expected a non-empty string' }).optional(),
  normalize: z.boolean({ error: 'expected true or false' }).optional(),
  separator: z.string({ error: 'expected a string' }).min(1, { error: 'expected a non-empty string' }).optional(),
});

/** Builds the contains scorer. @throws ConfigError for bad options */
export function createContains(options: unknown = {}, path: ScorerPath = 'contains'): Scorer {
  const { value, normalize = true, separator } = parseScorerOptions(optionsSchema, options, path);
  return {
    name: 'contains',
    score({ output, expected }) {
      const needles = splitAlternatives(value ?? requireExpected(expected, 'contains'), separator);
      const found = needles.some((needle) =>
        normalize ? containsTokens(answerTokens(output), answerTokens(needle)) : output.includes(needle),
      );
      if (found) return { value: 1, passed: true };
      return { value: 0, passed: false, reason: `${preview(needles.join(' | '))} not found in ${preview(output)}` };
    },
  };
}

// --- internal ---

function containsTokens(haystack: readonly string[], needle: readonly string[]): boolean {
  if (needle.length === 0) return true;
  for (let start = 0; start + needle.length <= haystack.length; start++) {
    if (needle.every((token, offset) => haystack[start + offset] === token)) return true;
  }
  return false;
}
