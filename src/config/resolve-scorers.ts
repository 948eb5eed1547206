/**
 * Normalises the `scorers` entries into builtin references and custom scorer objects, checking builtin
 * names against the registry's list and LLM-judge targets against the configured targets. Options of
 * builtin scorers are checked by the scoring registry when it instantiates them.
 */
import { closestMatch } from '../internal/did-you-mean.ts';
import type { Scorer } from '../types.ts';
import type { ResolvedScorerSpec } from './bench-config.ts';
import { unknownTargetMessage } from './check-references.ts';
import { describeValue } from './format-issues.ts';

/** Name of the builtin scorer whose `target` option names a judge target. */
export const LLM_JUDGE_SCORER = 'llm-judge';

export interface ScorerResolution {
  readonly specs: ResolvedScorerSpec[];
  /** Names of targets used as judges. */
  readonly judgeTargets: string[];
  readonly issues: string[];
}

/**
 * @param entries the raw `scorers` array (already known to be an array, or undefined)
 * @param builtinNames when given, builtin names are checked against it
 * @param targetNames every configured target name (judges may be any of them)
 */
export function resolveScorers(
  entries: readonly unknown[],
  builtinNames: readonly string[] | undefined,
  targetNames: readonly string[],
): ScorerResolution {
  const specs: ResolvedScorerSpec[] = [];
  const judgeTargets: string[] = [];
  const issues: string[] = [];
  for (const [index, entry] of entries.entries()) {
    const path = `scorers[${index}]`;
    const result = normaliseEntry(entry, path);
    if (typeof result === 'string') {
      issues.push(result);
      continue;
    }
    specs.push(result);
    if (result.kind !== 'builtin') continue;
    if (builtinNames !== undefined && !builtinNames.includes(result.name)) {
      issues.push(`${path}: ${unknownScorerMessage(result.name, builtinNames)}`);
      continue;
    }
    if (result.name === LLM_JUDGE_SCORER) {
      const target = result.options['target'];
      if (typeof target !== 'string')
        issues.push(`${path}.target: expected the name of a configured target to act as judge, got ${describeValue(target)}`);
      else if (!targetNames.includes(target)) issues.push(`${path}.target: ${unknownTargetMessage(target, targetNames)}`);
      else if (!judgeTargets.includes(target)) judgeTargets.push(target);
    }
  }
  return { specs, judgeTargets, issues };
}

// --- internal ---

function normaliseEntry(entry: unknown, path: string): ResolvedScorerSpec | string {
  if (typeof entry === 'string' && entry.trim() !== '') return { kind: 'builtin', name: entry.trim(), options: {} };
  if (Array.isArray(entry)) {
    const [name, options] = entry as unknown[];
    if (typeof name !== 'string' || name.trim() === '') return `${path}[0]: expected a scorer name, got ${describeValue(name)}`;
    if (entry.length > 2) return `${path}: expected [name, options], got an array of ${entry.length}`;
    if (options === undefined) return { kind: 'builtin', name: name.trim(), options: {} };
    if (options === null || typeof options !== 'object' || Array.isArray(options))
      return `${path}[1]: expected an options object, got ${describeValue(options)}`;
    return { kind: 'builtin', name: name.trim(), options: { ...(options as Record<string, unknown>) } };
  }
  if (isScorer(entry)) return { kind: 'custom', scorer: entry };
  return `${path}: expected a scorer name, a [name, options] tuple or a scorer object { name, score(input, context) }, got ${describeValue(entry)}`;
}

function isScorer(value: unknown): value is Scorer {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as Partial<Scorer>;
  return typeof candidate.name === 'string' && candidate.name.trim() !== '' && typeof candidate.score === 'function';
}

function unknownScorerMessage(name: string, known: readonly string[]): string {
  const suggestion = closestMatch(name, known);
  const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
  return `unknown scorer ${JSON.stringify(name)}${hint}; builtin scorers are ${known.join(', ')}`;
}
