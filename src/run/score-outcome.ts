/**
 * Turns a settled cell into its final journal record: successful completions are scored (a scorer
 * failure becomes a score entry, never a crash); failures keep their reason and error.
 */
import { tierPrice } from './batch/tier-price.ts';
import { redactText } from '../internal/redact.ts';
import { scoreCompletion } from '../scoring/score-completion.ts';
import type { JudgeCall, Outcome, PassRule, Price, ResolvedTarget, ResultRecord, Scorer, TokenUsage, WorkItem } from '../types.ts';
import { promptText } from './prompt-text.ts';

export interface ScoreOptions {
  readonly scorers: readonly Scorer[];
  readonly target: ResolvedTarget;
  readonly signal: AbortSignal;
  readonly judge?: JudgeCall | undefined;
  /** The judge of a named target, for scorers that name theirs. */
  readonly judgeFor?: ((target: string) => JudgeCall | undefined) | undefined;
  /** How verdicts combine. @default 'all' */
  readonly pass?: PassRule | undefined;
}

export async function scoreOutcome(item: WorkItem, outcome: Outcome, options: ScoreOptions): Promise<ResultRecord> {
  const base = {
    v: 1 as const,
    kind: 'result' as const,
    key: item.key,
    rowId: item.row.id,
    rowIndex: item.row.index,
    target: item.target,
    repeat: item.repeat,
    deploymentId: outcome.deploymentId,
    attempts: outcome.attempts,
    durationMs: Math.round(outcome.durationMs),
    prompt: promptText(item.input),
    ...(item.row.expected === undefined ? {} : { expected: item.row.expected }),
    ...(item.row.description === undefined ? {} : { description: item.row.description }),
    ...labelOf(item.row.fields),
    // Chat rows: `prompt` holds only the last user message, so keep the conversation for the report.
    ...(item.row.messages === undefined ? {} : { messages: item.input.messages }),
  };
  if (outcome.status === 'failed') {
    // A server may echo a header back in its message; keys never reach the journal.
    const error = { ...outcome.error, message: redactText(outcome.error.message, { keyLikeRuns: true }) };
    return { ...base, status: 'failed', reason: outcome.reason, error };
  }
  const completion = outcome.completion;
  const scored = options.scorers.length
    ? await scoreCompletion(
        options.scorers,
        { row: item.row, target: item.target, output: completion.text, expected: item.row.expected, completion },
        { signal: options.signal, ...(options.judge ? { judge: options.judge } : {}) },
        { ...(options.judgeFor ? { judgeFor: options.judgeFor } : {}), ...(options.pass ? { pass: options.pass } : {}) },
      )
    : { entries: [], passed: true, unscored: false };
  return {
    ...base,
    status: 'ok',
    output: completion.text,
    ...(completion.reasoning ? { reasoning: completion.reasoning } : {}),
    finishReason: completion.finishReason,
    usage: completion.usage,
    timing: completion.timing,
    // The tier that answered sets the price: a flex cell that fell back to the standard tier pays standard.
    cost: costOf(completion.usage, completion.serviceTier === 'default' ? options.target.price : tierPrice(options.target)),
    ...(completion.serviceTier ? { serviceTier: completion.serviceTier } : {}),
    scores: scored.entries,
    passed: scored.passed,
    ...(scored.unscored ? { scoring: 'unscored' as const } : {}),
  };
}

/** USD for one completion: uncached input + cached input + output (reasoning is billed as output). */
export function costOf(usage: TokenUsage, price: Price | undefined): number | null {
  if (!price) return null;
  const cached = Math.min(usage.cachedTokens, usage.promptTokens);
  const usd =
    ((usage.promptTokens - cached) * price.input + cached * (price.cachedInput ?? price.input) + usage.completionTokens * price.output) /
    1e6;
  return Math.round(usd * 1e9) / 1e9;
}

/** Columns naming a row's group for the report's "accuracy by label" table, first non-empty wins. */
const LABEL_COLUMNS = ['__label', 'category'] as const;

function labelOf(fields: Readonly<Record<string, string>>): { label?: string } {
  const label = LABEL_COLUMNS.map((c) => fields[c]?.trim()).find((v) => v !== undefined && v !== '');
  return label === undefined ? {} : { label };
}
