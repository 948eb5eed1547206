/**
 * The Judging line: LLM-judge attempts (journal attempts with `role: 'judge'`) folded apart from every
 * candidate, so a judge's tokens, failures and cost never inflate or fail the model being graded.
 */
import type { AttemptRecord, TargetInfo } from '../types.ts';
import { costOf } from './metrics.ts';
import type { JudgingSummary, JudgingTargetSummary, TokenTotals } from './summary-types.ts';

interface Tally {
  attempts: number;
  ok: number;
  failed: number;
  cached: number;
  tokens: { prompt: number; completion: number; reasoning: number; cached: number };
  cost: number;
}

export class JudgingAccumulator {
  readonly #byTarget = new Map<string, Tally>();
  #infos = new Map<string, TargetInfo>();

  /** Judge targets as the run-start record lists them (their prices). */
  setJudges(judges: readonly TargetInfo[] | undefined): void {
    this.#infos = new Map((judges ?? []).map((j) => [j.name, j]));
  }

  add(record: AttemptRecord): void {
    let t = this.#byTarget.get(record.target);
    if (!t) {
      t = { attempts: 0, ok: 0, failed: 0, cached: 0, tokens: { prompt: 0, completion: 0, reasoning: 0, cached: 0 }, cost: 0 };
      this.#byTarget.set(record.target, t);
    }
    // A cached verdict cost nothing and sent nothing: counted, but not as an attempt or tokens.
    if (record.cached) {
      t.cached++;
      return;
    }
    t.attempts++;
    if (record.outcome !== 'ok') {
      t.failed++;
      return;
    }
    t.ok++;
    const usage = record.usage;
    if (!usage) return;
    t.tokens.prompt += usage.promptTokens;
    t.tokens.completion += usage.completionTokens;
    t.tokens.reasoning += usage.reasoningTokens;
    t.tokens.cached += usage.cachedTokens;
    const price = this.#infos.get(record.target)?.price;
    if (price) t.cost += costOf(usage, price);
  }

  /** `null` when no judge attempt was journaled. */
  finish(): JudgingSummary | null {
    if (this.#byTarget.size === 0) return null;
    const targets: JudgingTargetSummary[] = [...this.#byTarget.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([target, t]) => ({
        target,
        attempts: t.attempts,
        ok: t.ok,
        failed: t.failed,
        cached: t.cached,
        tokens: { ...t.tokens },
        cost: this.#infos.get(target)?.price ? t.cost : null,
      }));
    const tokens: TokenTotals = {
      prompt: sum(targets, (t) => t.tokens.prompt),
      completion: sum(targets, (t) => t.tokens.completion),
      reasoning: sum(targets, (t) => t.tokens.reasoning),
      cached: sum(targets, (t) => t.tokens.cached),
    };
    const priced = targets.filter((t) => t.cost !== null);
    return {
      targets,
      attempts: sum(targets, (t) => t.attempts),
      cached: sum(targets, (t) => t.cached),
      tokens,
      cost: priced.length ? sum(priced, (t) => t.cost!) : null,
    };
  }
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  return items.reduce((total, item) => total + of(item), 0);
}
