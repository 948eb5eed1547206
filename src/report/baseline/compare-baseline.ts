/**
 * Compares a run with a baseline, target by target: the metric rules of compare-metrics.ts on the
 * aggregates and on the items both runs share, the items whose verdict flipped, and the items and
 * targets that appeared or disappeared (reported, never silently dropped). Pure and deterministic.
 */
import { comparePair } from '../pairwise.ts';
import { DEFAULT_RESAMPLES } from '../stats/bootstrap.ts';
import type { PairEntry } from '../target-accumulator.ts';
import { parseItemKey } from './build-baseline.ts';
import {
  DEFAULT_REGRESSION_THRESHOLDS,
  type Baseline,
  type BaselineTarget,
  type Comparison,
  type ItemFlips,
  type RegressionThresholds,
  type TargetComparison,
} from './baseline-types.ts';
import { accuracyMetric, errorCategoriesMetric, failureRateMetric, increaseMetric, type PairedAccuracy } from './compare-metrics.ts';
import { comparisonSentences } from './comparison-sentences.ts';

export interface CompareOptions {
  /** Row ids kept per list (flips, added, removed); counts are always complete. @default 100 */
  readonly listLimit?: number;
  /** Bootstrap resamples for the paired CI when there are repeats. @default 1000 */
  readonly resamples?: number;
}

/**
 * @param thresholds missing fields take DEFAULT_REGRESSION_THRESHOLDS
 * @returns `regressed` is true when any target has a regressed metric
 */
export function compareBaselines(
  baseline: Baseline,
  current: Baseline,
  thresholds: Partial<RegressionThresholds> = {},
  options: CompareOptions = {},
): Comparison {
  const t: RegressionThresholds = { ...DEFAULT_REGRESSION_THRESHOLDS, ...definedOnly(thresholds) };
  const limit = options.listLimit ?? 100;
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const names = [...new Set([...Object.keys(baseline.targets), ...Object.keys(current.targets)])].sort(compareText);
  const targets = names.map((name) => compareTarget(name, baseline.targets[name], current.targets[name], t, limit, resamples));
  const comparison = {
    regressed: targets.some((target) => target.status === 'regressed'),
    baseline: { ...baseline.createdFrom, configHash: baseline.configHash },
    current: { ...current.createdFrom, configHash: current.configHash },
    thresholds: t,
    targets,
  };
  return { ...comparison, sentences: comparisonSentences(comparison) };
}

// --- internal ---

function compareTarget(
  name: string,
  base: BaselineTarget | undefined,
  current: BaselineTarget | undefined,
  t: RegressionThresholds,
  limit: number,
  resamples: number,
): TargetComparison {
  const noFlips: ItemFlips = { passToFail: [], failToPass: [], counts: { passToFail: 0, failToPass: 0, paired: 0 } };
  const none = { count: 0, ids: [] };
  if (!current)
    return { target: name, status: 'missing', metrics: [], flips: noFlips, added: none, removed: idList(Object.keys(base!.items), limit) };
  if (!base)
    return { target: name, status: 'new', metrics: [], flips: noFlips, added: idList(Object.keys(current.items), limit), removed: none };
  const metrics = [
    accuracyMetric(pairedAccuracy(name, base, current, resamples), base.aggregates, current.aggregates, t),
    increaseMetric('p95-latency', base.aggregates.p95LatencyMs, current.aggregates.p95LatencyMs, t.maxP95LatencyIncreasePct),
    increaseMetric('p95-ttft', base.aggregates.p95TtftMs, current.aggregates.p95TtftMs, t.maxTtftIncreasePct),
    increaseMetric('cost-per-item', base.aggregates.costPerItem, current.aggregates.costPerItem, t.maxCostIncreasePct),
    failureRateMetric(base.aggregates, current.aggregates, t),
    errorCategoriesMetric(base.aggregates, current.aggregates, t),
  ];
  return {
    target: name,
    status: metrics.some((m) => m.regressed) ? 'regressed' : 'ok',
    metrics,
    flips: flips(base, current, limit),
    added: idList(
      Object.keys(current.items).filter((key) => !(key in base.items)),
      limit,
    ),
    removed: idList(
      Object.keys(base.items).filter((key) => !(key in current.items)),
      limit,
    ),
  };
}

/** Pass rates on the items both runs scored, and McNemar's test (row permutation with repeats). */
function pairedAccuracy(name: string, base: BaselineTarget, current: BaselineTarget, resamples: number): PairedAccuracy | null {
  const left = new Map<string, PairEntry>();
  const right = new Map<string, PairEntry>();
  let passedBefore = 0;
  let passedNow = 0;
  for (const [key, before] of Object.entries(base.items)) {
    const now = current.items[key];
    if (!now || before[0] === null || now[0] === null) continue;
    const rowId = parseItemKey(key).rowId;
    passedBefore += before[0];
    passedNow += now[0];
    right.set(key, { rowId, passed: before[0] === 1, score: before[1] });
    left.set(key, { rowId, passed: now[0] === 1, score: now[1] });
  }
  if (left.size === 0) return null;
  const test = comparePair({ target: name, pairs: left }, { target: name, pairs: right }, resamples).accuracy;
  return test ? { baselineRate: passedBefore / left.size, currentRate: passedNow / left.size, test } : null;
}

/** A pass that became a fail or an error counts as pass→fail; a fail or error that now passes, as fail→pass. */
function flips(base: BaselineTarget, current: BaselineTarget, limit: number): ItemFlips {
  const passToFail: string[] = [];
  const failToPass: string[] = [];
  let paired = 0;
  for (const [key, before] of Object.entries(base.items)) {
    const now = current.items[key];
    if (!now) continue;
    paired++;
    const wasPass = before[0] === 1;
    const wasFail = before[0] === 0 || before[2] !== undefined;
    const isPass = now[0] === 1;
    const isFail = now[0] === 0 || now[2] !== undefined;
    if (wasPass && isFail) passToFail.push(key);
    else if (wasFail && isPass) failToPass.push(key);
  }
  return {
    passToFail: passToFail.slice(0, limit).map(displayId),
    failToPass: failToPass.slice(0, limit).map(displayId),
    counts: { passToFail: passToFail.length, failToPass: failToPass.length, paired },
  };
}

function idList(keys: readonly string[], limit: number): { count: number; ids: string[] } {
  return { count: keys.length, ids: keys.slice(0, limit).map(displayId) };
}

/** `q004` for the first repeat, `q004#2` for others: what a reader looks up in the dataset. */
function displayId(key: string): string {
  const { rowId, repeat } = parseItemKey(key);
  return repeat === 0 ? rowId : `${rowId}#${repeat}`;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
