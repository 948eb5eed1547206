/**
 * json-valid: the output is one JSON document (a single ```json fenced block is accepted unless
 * `allowFence: false`).
 */
import { z } from 'zod';
import type { Scorer } from '../types.ts';
import { parseJsonOutput } from './extract-json.ts';
import { parseScorerOptions, type ScorerPath } from './scorer-options.ts';

const optionsSchema = z.strictObject({ allowFence: z.boolean({ error: 'expected true or false' }).optional() });

/** Builds the json-valid scorer. @throws ConfigError for bad options */
export function createJsonValid(options: unknown = {}, path: ScorerPath = 'json-valid'): Scorer {
  const { allowFence = true } = parseScorerOptions(optionsSchema, options, path);
  return {
    name: 'json-valid',
    score({ output }) {
      const parsed = parseJsonOutput(output, allowFence);
      return parsed.ok ? { value: 1, passed: true } : { value: 0, passed: false, reason: parsed.error };
    },
  };
}
