/**
 * json-schema: the output is JSON that satisfies a JSON Schema (draft 2020-12, 7 or 4), converted with
 * zod's `z.fromJSONSchema` when the scorer is created, so a schema zod cannot read is a config error.
 * Supported keywords are zod's (type, properties, required, items, enum, const, minimum/maximum,
 * minLength/maxLength, pattern, additionalProperties, anyOf/oneOf/allOf, $ref within the schema, …).
 */
import { z } from 'zod';
import { formatPath } from '../internal/describe-value.ts';
import type { Scorer } from '../types.ts';
import { parseJsonOutput } from './extract-json.ts';
import { optionError, parseScorerOptions, type ScorerPath } from './scorer-options.ts';

const MAX_LISTED_ISSUES = 3;

const optionsSchema = z.strictObject({
  schema: z.union([z.record(z.string(), z.unknown()), z.boolean()], { error: 'expected a JSON Schema object' }),
  allowFence: z.boolean({ error: 'expected true or false' }).optional(),
});

/** Builds the json-schema scorer, converting the schema once. @throws ConfigError for a missing or unsupported schema */
export function createJsonSchema(options: unknown = {}, path: ScorerPath = 'json-schema'): Scorer {
  const { schema, allowFence = true } = parseScorerOptions(optionsSchema, options, path);
  let validator: z.ZodType;
  try {
    validator = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch (error) {
    throw optionError(path, 'schema', `unsupported JSON Schema (${(error as Error).message})`);
  }
  return {
    name: 'json-schema',
    score({ output }) {
      const parsed = parseJsonOutput(output, allowFence);
      if (!parsed.ok) return { value: 0, passed: false, reason: parsed.error };
      const result = validator.safeParse(parsed.value);
      if (result.success) return { value: 1, passed: true };
      const issues = result.error.issues.map((issue) => `${formatPath(issue.path, '(root)')}: ${issue.message}`);
      const more = issues.length > MAX_LISTED_ISSUES ? ` (+${issues.length - MAX_LISTED_ISSUES} more)` : '';
      return { value: 0, passed: false, reason: `${issues.slice(0, MAX_LISTED_ISSUES).join('; ')}${more}` };
    },
  };
}
