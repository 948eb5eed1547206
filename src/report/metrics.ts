/**
 * Per-result metrics derived from the journal, as defined in azure-v1-behaviour.md §14 (genai-perf and
 * guidellm definitions). Pure functions of one record; aggregation lives in target-accumulator.ts.
 */
import type { Price, ResultOk, ResultRecord, ScoreEntry, TokenUsage } from '../types.ts';

/** Latencies of one successful result. @unit milliseconds; `null` when not measurable. */
export interface ResultLatency {
  /** Final attempt, send → end. */
  readonly e2eMs: number;
  /** Logical request including retries and waits. */
  readonly logicalMs: number;
  /** Send → first non-empty content delta (streaming only). */
  readonly ttftMs: number | null;
  /** (e2e − TTFT) / (completion tokens − 1); needs TTFT and at least 2 tokens. */
  readonly itlMs: number | null;
  /** e2e / completion tokens; needs at least 1 token. */
  readonly tpotMs: number | null;
}

export function resultLatency(result: ResultOk): ResultLatency {
  const e2eMs = result.timing.endMs;
  const ttftMs = result.timing.firstTokenMs ?? null;
  const tokens = result.usage.completionTokens;
  return {
    e2eMs,
    logicalMs: result.durationMs,
    ttftMs,
    itlMs: ttftMs !== null && tokens > 1 ? (e2eMs - ttftMs) / (tokens - 1) : null,
    tpotMs: tokens > 0 ? e2eMs / tokens : null,
  };
}

/**
 * USD for one result from a price per 1M tokens: uncached prompt tokens at `input`, cached prompt tokens
 * at `cachedInput` (default: `input`, i.e. no discount known), completion tokens (reasoning included)
 * at `output`.
 */
export function costOf(usage: TokenUsage, price: Price): number {
  const cached = Math.min(usage.cachedTokens, usage.promptTokens);
  const uncached = usage.promptTokens - cached;
  const cachedPrice = price.cachedInput ?? price.input;
  return (uncached * price.input + cached * cachedPrice + usage.completionTokens * price.output) / 1_000_000;
}

/** Mean of the successful scorer values of a result; `null` when no scorer produced a value. */
export function resultScore(scores: readonly ScoreEntry[]): number | null {
  let sum = 0;
  let n = 0;
  for (const entry of scores) {
    if (entry.status !== 'ok') continue;
    sum += entry.value;
    n++;
  }
  return n === 0 ? null : sum / n;
}

/** Pass/fail of a result: `null` for failures and unscored results (no verdict the pass rule accepts). */
export function resultPassed(result: ResultRecord): boolean | null {
  if (result.status !== 'ok' || result.scoring === 'unscored') return null;
  return result.scores.some((s) => s.status === 'ok') ? result.passed : null;
}

/** Whether a result meets every configured SLO (a failure never does). */
export function meetsSlo(result: ResultRecord, slo: { readonly ttftMs?: number; readonly e2eMs?: number }): boolean {
  if (result.status !== 'ok') return false;
  if (slo.e2eMs !== undefined && result.timing.endMs > slo.e2eMs) return false;
  if (slo.ttftMs !== undefined) {
    const ttft = result.timing.firstTokenMs;
    if (ttft === undefined || ttft > slo.ttftMs) return false;
  }
  return true;
}

/** Key pairing results of different targets: same row, same repeat. */
export function pairKey(result: { readonly rowId: string; readonly repeat: number }): string {
  return `${result.rowId}|${result.repeat}`;
}
