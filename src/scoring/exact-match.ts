/**
 * exact-match: the output equals the reference answer after SQuAD normalisation (case, punctuation,
 * articles, whitespace). Because models often explain before answering, the output's final answer
 * also counts: the text after a last "Answer:" label, or the last non-empty line. A correct answer
 * buried mid-paragraph does not (that is what `contains` is for).
 *
 * Options: `finalAnswer` (default true) turns the final-answer rule off when false; `separator`
 * splits the reference into alternatives (e.g. "|" for "USA|United States").
 */
import { z } from 'zod';
import type { Scorer } from '../types.ts';
import { finalAnswerCandidates, normalizeAnswer, preview } from './normalize-answer.ts';
import { parseScorerOptions, requireExpected, type ScorerPath } from './scorer-options.ts';

const optionsSchema = z.strictObject({
  finalAnswer: z.boolean({ error: 'expected true or false' }).optional(),
  separator: z.string({ error: 'expected a string' }).min(1, { error: 'expected a non-empty string' }).optional(),
});

/** Builds the exact-match scorer; `path` (e.g. `scorers[0]`) prefixes option errors. @throws ConfigError for bad options */
export function createExactMatch(options: unknown = {}, path: ScorerPath = 'exact-match'): Scorer {
  const { finalAnswer = true, separator } = parseScorerOptions(optionsSchema, options, path);
  return {
    name: 'exact-match',
    score({ output, expected }) {
      const references = splitAlternatives(requireExpected(expected, 'exact-match'), separator).map(normalizeAnswer);
      const candidates = (finalAnswer ? finalAnswerCandidates(output) : [output]).map(normalizeAnswer);
      const hit = candidates.find((candidate) => references.includes(candidate));
      if (hit !== undefined) return { value: 1, passed: true };
      return { value: 0, passed: false, reason: `expected ${preview(expected ?? '')}, got ${preview(output)}` };
    },
  };
}

/** The reference answer's alternatives (the whole answer when no separator is set). */
export function splitAlternatives(expected: string, separator: string | undefined): string[] {
  if (separator === undefined) return [expected];
  return expected
    .split(separator)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}
