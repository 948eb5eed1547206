/**
 * regex: the output matches a regular expression. The pattern is compiled when the scorer is created,
 * so an invalid pattern is a config error before any request, not one error per row.
 */
import { z } from 'zod';
import type { Scorer } from '../types.ts';
import { preview } from './normalize-answer.ts';
import { optionError, parseScorerOptions, type ScorerPath } from './scorer-options.ts';

const optionsSchema = z.strictObject({
  pattern: z.string({ error: 'expected a regular expression source string' }).min(1, { error: 'expected a non-empty pattern' }),
  flags: z.string({ error: 'expected regex flags such as "i" or "ms"' }).optional(),
});

/** Builds the regex scorer, compiling the pattern once. @throws ConfigError for a missing or invalid pattern */
export function createRegexMatch(options: unknown = {}, path: ScorerPath = 'regex'): Scorer {
  const { pattern, flags = '' } = parseScorerOptions(optionsSchema, options, path);
  let regex: RegExp;
  try {
    // A global or sticky regex keeps lastIndex between rows; the scorer tests each output afresh.
    regex = new RegExp(pattern, flags.replace(/[gy]/g, ''));
  } catch (error) {
    throw optionError(path, 'pattern', `invalid regular expression /${pattern}/${flags} (${(error as Error).message})`);
  }
  return {
    name: 'regex',
    score({ output }) {
      if (regex.test(output)) return { value: 1, passed: true };
      return { value: 0, passed: false, reason: `${preview(output)} does not match ${String(regex)}` };
    },
  };
}
