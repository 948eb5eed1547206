/**
 * The baseline file's text form: pretty where a reviewer reads it (one key per line), compact where
 * it is bulky (one line per item), so a committed baseline gives a readable diff per changed row.
 * Parsing checks the shape enough to give a one-line reason instead of a crash later.
 */
import { BASELINE_KIND, BASELINE_VERSION, type Baseline } from './baseline-types.ts';

/** Serialises a baseline deterministically (key order as built); ends with a newline. */
export function stringifyBaseline(baseline: Baseline): string {
  return `${pretty(baseline, '')}\n`;
}

/**
 * Parses and checks a baseline file's text.
 * @param source named in the message, e.g. the file path
 * @throws Error with a one-line reason naming `source`
 */
export function parseBaseline(text: string, source: string): Baseline {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not valid JSON (${(error as Error).message})`);
  }
  const problem = shapeProblem(value);
  if (problem) throw new Error(`${source}: ${problem}`);
  return value as Baseline;
}

// --- internal ---

/** Objects holding objects or arrays expand one key per line; everything else stays on one line. */
function pretty(value: unknown, indent: string): string {
  if (!isObject(value) || !Object.values(value).some((v) => typeof v === 'object' && v !== null)) return JSON.stringify(value);
  const inner = `${indent}  `;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pretty(v, inner)}`).join(',\n')}\n${indent}}`;
}

function shapeProblem(value: unknown): string | null {
  if (!isObject(value) || value['kind'] !== BASELINE_KIND) return `not a batchbench baseline (expected "kind": "${BASELINE_KIND}")`;
  if (value['version'] !== BASELINE_VERSION)
    return `unsupported baseline version ${JSON.stringify(value['version'])} (this batchbench reads version ${BASELINE_VERSION})`;
  if (!isObject(value['createdFrom'])) return 'missing "createdFrom"';
  const targets = value['targets'];
  if (!isObject(targets)) return 'missing "targets"';
  for (const [name, target] of Object.entries(targets)) {
    if (!isObject(target) || !isObject(target['aggregates']) || !isObject(target['items']))
      return `targets.${name}: expected { aggregates, items }`;
    for (const [key, item] of Object.entries(target['items'])) {
      if (!Array.isArray(item) || item.length < 2) return `targets.${name}.items["${key}"]: expected [passed, score(, errorCategory)]`;
    }
  }
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
