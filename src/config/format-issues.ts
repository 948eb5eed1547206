/**
 * Turns zod issues into one-line messages that name the path, the expectation, what was found and,
 * for unknown options, the closest known one: `targets[0].temperature: expected a number between 0 and 2,
 * got 7 (number)`. Values under secret-looking names, or that look like keys, are never printed.
 */
import type { z } from 'zod';
import { describeValue, formatPath } from '../internal/describe-value.ts';
import { closestMatch } from '../internal/did-you-mean.ts';
import { SECRET_FIX, isSecretKeyName } from './secrets.ts';

export { describeValue, formatPath };

type Issue = z.core.$ZodIssue & { readonly input?: unknown };
type PathSegment = PropertyKey;

/** One message per problem. `root` is the schema the issues came from (for "did you mean" suggestions). */
export function formatIssues(issues: readonly Issue[], root: z.ZodType): string[] {
  return issues.flatMap((issue) => formatIssue(issue, root));
}

// --- internal ---

function formatIssue(issue: Issue, root: z.ZodType): string[] {
  const path = issue.path;
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(root, path);
    return issue.keys.map((key) => `${formatPath([...path, key])}: ${unknownKeyMessage(key, known)}`);
  }
  const where = formatPath(path);
  const underSecretName = path.some((segment) => typeof segment === 'string' && isSecretKeyName(segment));
  const final = issue.code === 'custom' && (issue.params as { final?: unknown } | undefined)?.final === true;
  if (final || (issue.code === 'too_small' && issue.origin === 'array') || underSecretName) {
    return [`${where}: ${issue.message}`];
  }
  return [`${where}: ${issue.message}, got ${describeValue(issue.input)}`];
}

function unknownKeyMessage(key: string, known: readonly string[]): string {
  if (isSecretKeyName(key)) return SECRET_FIX;
  const suggestion = closestMatch(key, known);
  if (suggestion !== undefined) return `unknown option (did you mean "${suggestion}"?)`;
  return known.length > 0 ? `unknown option; known options are ${known.join(', ')}` : 'unknown option';
}

/** Keys of the object schema at `path`, walking through optional/array/record wrappers. */
function knownKeysAt(root: z.ZodType, path: readonly PathSegment[]): string[] {
  let schema: unknown = root;
  for (const segment of path) {
    schema = childSchema(unwrap(schema), segment);
    if (schema === undefined) return [];
  }
  const shape = defOf(unwrap(schema))?.['shape'];
  return shape !== null && typeof shape === 'object' ? Object.keys(shape) : [];
}

function childSchema(schema: unknown, segment: PathSegment): unknown {
  const def = defOf(schema);
  if (def === undefined) return undefined;
  if (def['type'] === 'array') return def['element'];
  if (def['type'] === 'record') return def['valueType'];
  const shape = def['shape'];
  return shape !== null && typeof shape === 'object' ? (shape as Record<PropertyKey, unknown>)[segment] : undefined;
}

function unwrap(schema: unknown): unknown {
  let current = schema;
  for (let depth = 0; depth < 10; depth++) {
    const def = defOf(current);
    if (def === undefined) return current;
    if (def['innerType'] !== undefined) current = def['innerType'];
    else if (def['type'] === 'pipe') current = def['in'];
    else return current;
  }
  return current;
}

function defOf(schema: unknown): Record<string, unknown> | undefined {
  if (schema === null || typeof schema !== 'object') return undefined;
  const internals = (schema as { _zod?: { def?: Record<string, unknown> } })._zod;
  return internals?.def;
}
