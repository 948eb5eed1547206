/**
 * The builtin scorers by name, and createScorers: config entries (a name, a `[name, options]` tuple,
 * an inline scorer, or config/'s resolved form) → Scorer instances, with every option problem
 * reported at once as a ConfigError naming `scorers[i].option`. Besides its own options, every
 * builtin accepts `name`, which renames it in results (needed to use one builtin twice).
 */
import { ConfigError } from '../errors.ts';
import { closestMatch } from '../internal/did-you-mean.ts';
import { describeValue } from '../internal/describe-value.ts';
import type { Scorer } from '../types.ts';
import { createContains } from './contains.ts';
import { createExactMatch } from './exact-match.ts';
import { createJsonSchema } from './json-schema.ts';
import { createJsonValid } from './json-valid.ts';
import { LLM_JUDGE_NAME, createLlmJudge } from './llm-judge.ts';
import { createNumeric } from './numeric.ts';
import { createRegexMatch } from './regex-match.ts';
import { createTokenF1 } from './token-f1.ts';

/** Builds one builtin scorer from its options; `path` (e.g. `scorers[2]`) prefixes option errors. */
export type ScorerFactory = (options: unknown, path: string) => Scorer;

export const builtinScorers: Readonly<Record<string, ScorerFactory>> = {
  'exact-match': createExactMatch,
  contains: createContains,
  regex: createRegexMatch,
  numeric: createNumeric,
  'token-f1': createTokenF1,
  'json-valid': createJsonValid,
  'json-schema': createJsonSchema,
  [LLM_JUDGE_NAME]: createLlmJudge,
};

/** Names config/ checks scorer entries against (pass as `ResolveContext.scorerNames`). */
export const builtinScorerNames: readonly string[] = Object.keys(builtinScorers);

/**
 * A scorer entry as written in the config, or as resolved by config/ (`{kind: 'builtin' | 'custom'}`).
 * Declared structurally here because scoring/ may not import config/.
 */
export type ScorerEntry =
  | string
  | readonly [string, Record<string, unknown>?]
  | Scorer
  | { readonly kind: 'builtin'; readonly name: string; readonly options: Readonly<Record<string, unknown>> }
  | { readonly kind: 'custom'; readonly scorer: Scorer };

/**
 * Instantiates every entry, in order.
 * @throws ConfigError listing every unknown name and bad option (`scorers[1].pattern: …`)
 */
export function createScorers(entries: readonly ScorerEntry[]): Scorer[] {
  const scorers: Scorer[] = [];
  const issues: string[] = [];
  entries.forEach((entry, index) => {
    const path = `scorers[${index}]`;
    try {
      scorers.push(createScorer(entry, path));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      issues.push(...error.issues);
    }
  });
  const names = new Map<string, number>();
  scorers.forEach((scorer, index) => {
    const first = names.get(scorer.name);
    // Score entries are keyed by scorer name in reports, so two scorers may not share one.
    if (first !== undefined)
      issues.push(
        `scorers[${index}]: a scorer named "${scorer.name}" is already used by scorers[${first}]; give custom scorers distinct names, and use each builtin once`,
      );
    else names.set(scorer.name, index);
  });
  if (issues.length > 0) throw new ConfigError(issues);
  return scorers;
}

/** Names of the targets the entries use as LLM judges (run/ provides `context.judge` for them). */
export function judgeTargetNames(entries: readonly ScorerEntry[]): string[] {
  const targets = entries.flatMap((entry) => {
    const normalised = normalise(entry);
    if (normalised?.kind !== 'builtin' || normalised.name !== LLM_JUDGE_NAME) return [];
    const target = normalised.options['target'];
    return typeof target === 'string' ? [target] : [];
  });
  return [...new Set(targets)];
}

// --- internal ---

type Normalised = { kind: 'builtin'; name: string; options: Readonly<Record<string, unknown>> } | { kind: 'custom'; scorer: Scorer };

function createScorer(entry: ScorerEntry, path: string): Scorer {
  const normalised = normalise(entry);
  if (normalised === undefined) {
    throw new ConfigError([
      `${path}: expected a scorer name, a [name, options] tuple or a scorer object { name, score(input, context) }, got ${describeValue(entry)}`,
    ]);
  }
  if (normalised.kind === 'custom') return normalised.scorer;
  const factory = builtinScorers[normalised.name];
  if (factory === undefined) {
    const suggestion = closestMatch(normalised.name, builtinScorerNames);
    const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
    throw new ConfigError([
      `${path}: unknown scorer ${JSON.stringify(normalised.name)}${hint}; builtin scorers are ${builtinScorerNames.join(', ')}`,
    ]);
  }
  // Every builtin takes a `name` option, so one scorer can appear twice (two regexes, two judges).
  const { name: alias, ...options } = normalised.options;
  if (alias !== undefined && (typeof alias !== 'string' || alias.trim() === '')) {
    throw new ConfigError([`${path}.name: expected a non-empty scorer name, got ${describeValue(alias)}`]);
  }
  const scorer = factory(options, path);
  return alias === undefined ? scorer : { ...scorer, name: alias.trim() };
}

function normalise(entry: ScorerEntry): Normalised | undefined {
  if (typeof entry === 'string') return { kind: 'builtin', name: entry, options: {} };
  if (Array.isArray(entry)) {
    const [name, options] = entry as readonly unknown[];
    if (typeof name !== 'string') return undefined;
    return { kind: 'builtin', name, options: (options ?? {}) as Record<string, unknown> };
  }
  if (entry === null || typeof entry !== 'object') return undefined;
  if ('kind' in entry && entry.kind === 'builtin') return { kind: 'builtin', name: entry.name, options: entry.options };
  if ('kind' in entry && entry.kind === 'custom') return { kind: 'custom', scorer: entry.scorer };
  if ('score' in entry && typeof entry.score === 'function' && typeof entry.name === 'string') return { kind: 'custom', scorer: entry };
  return undefined;
}
