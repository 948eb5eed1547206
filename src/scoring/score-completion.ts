/**
 * Runs every scorer on one completion. A scorer that throws, times out, or returns something that is
 * not a Score becomes an entry with `status: 'error'`: scoring never crashes a run.
 *
 * Overall rule (`pass`): `all` (default) passes when every scorer passed, `any` when at least one did,
 * a scorer's name when that scorer passed. A scorer error the rule needs to decide leaves the answer
 * UNSCORED (`unscored: true`, `passed: false`): it is neither right nor wrong, and accuracy leaves it
 * out instead of counting a grader's failure as the model's. With no scorers, `passed` is true.
 */
import { toError } from '../errors.ts';
import type { JudgeCall, PassRule, ScoreContext, ScoreEntry, ScoreInput, Scorer } from '../types.ts';

/** Time one scorer may take, LLM judges included. @unit milliseconds */
export const DEFAULT_SCORER_TIMEOUT_MS = 120_000;

export interface ScoreOptions {
  /** Per-scorer time limit. @default DEFAULT_SCORER_TIMEOUT_MS @unit milliseconds */
  readonly timeoutMs?: number;
  /**
   * The judge for a named target. When given, a scorer that names its judge target (llm-judge's
   * `target` option, exposed as `scorer.target`) gets that target's judge instead of `context.judge`,
   * so several judges can serve one run.
   */
  readonly judgeFor?: (target: string) => JudgeCall | undefined;
  /** How verdicts combine. @default 'all' */
  readonly pass?: PassRule;
}

export interface ScoredCompletion {
  readonly entries: ScoreEntry[];
  readonly passed: boolean;
  /** A scorer the pass rule needed errored: no verdict for this answer. */
  readonly unscored: boolean;
}

/** Scores one completion with every scorer, concurrently; entries keep the scorers' order. */
export async function scoreCompletion(
  scorers: readonly Scorer[],
  input: ScoreInput,
  context: ScoreContext,
  options: ScoreOptions = {},
): Promise<ScoredCompletion> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SCORER_TIMEOUT_MS;
  const entries = await Promise.all(
    scorers.map((scorer) => runScorer(scorer, input, contextFor(scorer, context, options), callsJudge(scorer) ? undefined : timeoutMs)),
  );
  return { entries, ...applyPassRule(entries, options.pass ?? 'all') };
}

/** Combines scorer entries under a pass rule; see the module comment. */
export function applyPassRule(entries: readonly ScoreEntry[], rule: PassRule): { passed: boolean; unscored: boolean } {
  if (entries.length === 0) return { passed: true, unscored: false };
  const errored = entries.some((e) => e.status === 'error');
  if (rule === 'all') {
    // One known failure decides "not passed" even if another scorer errored.
    if (entries.some((e) => e.status === 'ok' && !e.passed)) return { passed: false, unscored: false };
    return errored ? { passed: false, unscored: true } : { passed: true, unscored: false };
  }
  if (rule === 'any') {
    if (entries.some((e) => e.status === 'ok' && e.passed)) return { passed: true, unscored: false };
    return errored ? { passed: false, unscored: true } : { passed: false, unscored: false };
  }
  const decider = entries.find((e) => e.scorer === rule);
  if (decider === undefined || decider.status === 'error') return { passed: false, unscored: true };
  return { passed: decider.passed, unscored: false };
}

// --- internal ---

function contextFor(scorer: Scorer, context: ScoreContext, options: ScoreOptions): ScoreContext {
  const target = (scorer as { target?: unknown }).target;
  if (options.judgeFor === undefined || typeof target !== 'string') return context;
  const judge = options.judgeFor(target) ?? context.judge;
  return judge === undefined ? { signal: context.signal } : { ...context, judge };
}

/**
 * A scorer that names a judge target (llm-judge) spends its time waiting for judge calls, which queue
 * behind the judge's quota in the scheduler and carry their own per-attempt timeout, retries and
 * deadline. A scorer clock would turn a busy judge into unscored cells, so those scorers are not timed.
 */
function callsJudge(scorer: Scorer): boolean {
  return typeof (scorer as { target?: unknown }).target === 'string';
}

/** @param timeoutMs undefined: no time limit (the run's signal still stops the scorer) */
async function runScorer(scorer: Scorer, input: ScoreInput, context: ScoreContext, timeoutMs: number | undefined): Promise<ScoreEntry> {
  const name = typeof scorer.name === 'string' ? scorer.name : 'unnamed';
  const runSignal = context.signal;
  const deadline = new AbortController();
  // Built only if the scorer reads it: synchronous scorers (most of them) cost no signal and no timer.
  let combined: AbortSignal | undefined;
  const scorerContext: ScoreContext = {
    ...context,
    get signal() {
      combined ??= AbortSignal.any([runSignal, deadline.signal]);
      return combined;
    },
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onRunAbort: (() => void) | undefined;
  try {
    const result: unknown = scorer.score(input, scorerContext);
    if (!isThenable(result)) return toEntry(name, result);
    const stopped = new Promise<never>((_, reject) => {
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          deadline.abort(new Error(`timed out after ${timeoutMs} ms`));
          reject(toError(deadline.signal.reason));
        }, timeoutMs);
      }
      onRunAbort = () => reject(toError(runSignal.reason));
      if (runSignal.aborted) onRunAbort();
      else runSignal.addEventListener('abort', onRunAbort, { once: true });
    });
    stopped.catch(() => undefined);
    return toEntry(name, await Promise.race([result, stopped]));
  } catch (error) {
    // A scorer that rejects because it saw the abort reports its own words; the abort reason says why.
    const reason = deadline.signal.aborted ? deadline.signal.reason : runSignal.aborted ? runSignal.reason : error;
    return { scorer: name, status: 'error', error: toError(reason).message };
  } finally {
    clearTimeout(timer);
    // The run's signal lives for the whole run: leave no listener behind per scored completion.
    if (onRunAbort !== undefined) runSignal.removeEventListener('abort', onRunAbort);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

function toEntry(name: string, score: unknown): ScoreEntry {
  const candidate = score as { value?: unknown; passed?: unknown; reason?: unknown } | null | undefined;
  const value = candidate?.value;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    return {
      scorer: name,
      status: 'error',
      error: `score() must return { value: number in 0..1, passed: boolean }, got value ${String(value)}`,
    };
  }
  if (typeof candidate?.passed !== 'boolean') {
    return { scorer: name, status: 'error', error: 'score() must return { value, passed: boolean }; passed is missing' };
  }
  const reason = typeof candidate.reason === 'string' ? candidate.reason : undefined;
  return { scorer: name, status: 'ok', value, passed: candidate.passed, ...(reason === undefined ? {} : { reason }) };
}
