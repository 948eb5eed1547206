/**
 * Validation of builtin scorer options with zod, reported as ConfigError issues that name the scorer's
 * position and the option: `scorers[1].pattern: expected a string, got 3 (number)`.
 */
import type { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { describeValue, formatPath } from '../internal/describe-value.ts';
import { closestMatch } from '../internal/did-you-mean.ts';

/** Where a scorer sits in the config, for messages (`scorers[2]`). */
export type ScorerPath = string;

/**
 * Parses `options` with `schema` (strict objects recommended) or throws a ConfigError listing every problem.
 */
export function parseScorerOptions<T>(schema: z.ZodType<T>, options: unknown, path: ScorerPath): T {
  const result = schema.safeParse(options ?? {}, { reportInput: true });
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.flatMap((issue) => {
      if (issue.code === 'unrecognized_keys')
        return issue.keys.map((key) => `${path}.${key}: ${unknownOptionMessage(key, knownOptions(schema))}`);
      const where = issue.path.length === 0 ? path : `${path}.${formatPath(issue.path)}`;
      return [`${where}: ${issue.message}, got ${describeValue((issue as { input?: unknown }).input)}`];
    }),
  );
}

/** "unknown option (did you mean "tolerance"?)", or the list of known options. */
function unknownOptionMessage(key: string, known: readonly string[]): string {
  const suggestion = closestMatch(key, known);
  if (suggestion !== undefined) return `unknown option (did you mean "${suggestion}"?)`;
  return known.length > 0 ? `unknown option; known options are ${known.join(', ')}` : 'unknown option; this scorer takes no options';
}

/** Option names of a (strict) object schema, read from zod's definition. */
function knownOptions(schema: z.ZodType): string[] {
  const shape = (schema as unknown as { _zod?: { def?: { shape?: unknown } } })._zod?.def?.shape;
  return shape !== null && typeof shape === 'object' ? Object.keys(shape) : [];
}

/** A config-time problem with a scorer's options that zod cannot express (an invalid regex, a bad schema). */
export function optionError(path: ScorerPath, option: string, message: string): ConfigError {
  return new ConfigError([`${path}.${option}: ${message}`]);
}

/** The reference answer, or an error explaining that this scorer needs one (becomes an error score entry). */
export function requireExpected(expected: string | undefined, scorer: string): string {
  if (expected === undefined || expected.trim() === '') {
    throw new Error(`${scorer} needs a reference answer, but this row has none (add an expected / answer column)`);
  }
  return expected;
}
