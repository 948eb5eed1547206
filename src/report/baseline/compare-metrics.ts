/**
 * The per-metric regression rules of a baseline comparison: paired accuracy (drop beyond the limit and,
 * optionally, significant at 95%), relative increases of p95 latency, p95 TTFT and cost per item, the
 * rise of the failed-result share, and failure categories new since the baseline. Each rule yields a MetricComparison with a plain sentence.
 */
import { formatMs, formatPercent, formatPoints, formatPValue, formatUsd } from '../format.ts';
import type { PassRateComparison } from '../summary-types.ts';
import type { BaselineAggregates, MetricComparison, RegressionThresholds } from './baseline-types.ts';

/** Paired pass rates of the items both runs scored, with the paired test behind the verdict. */
export interface PairedAccuracy {
  readonly baselineRate: number;
  readonly currentRate: number;
  /** current − baseline with its CI and verdict (`worse` = current significantly worse at 95%). */
  readonly test: PassRateComparison;
}

/**
 * Regressed when the paired pass rate dropped by more than `maxAccuracyDropPts` and, with
 * `requireSignificant`, the paired test calls the drop significant at 95%. Without paired items the
 * aggregate rates are shown and nothing is judged.
 */
export function accuracyMetric(
  paired: PairedAccuracy | null,
  base: BaselineAggregates,
  current: BaselineAggregates,
  t: RegressionThresholds,
): MetricComparison {
  const limit = t.maxAccuracyDropPts;
  if (!paired) {
    const b = base.accuracy?.rate ?? null;
    const c = current.accuracy?.rate ?? null;
    return {
      metric: 'accuracy',
      baseline: b,
      current: c,
      delta: b !== null && c !== null ? c - b : null,
      deltaPct: null,
      limit,
      regressed: false,
      detail: `accuracy ${formatPercent(b)} → ${formatPercent(c)} (no paired scored rows to compare)`,
    };
  }
  const { baselineRate, currentRate, test } = paired;
  const delta = test.diff.value;
  const drop = -delta * 100;
  const significant = test.verdict === 'worse';
  const regressed = drop > limit && (!t.requireSignificant || significant);
  const ci = test.diff.ci ? `, 95% CI ${formatPoints(test.diff.ci.low)} to ${formatPoints(test.diff.ci.high)}` : '';
  const testName = test.test === 'mcnemar-exact' ? 'McNemar' : 'row permutation';
  const why = regressed ? ' — regression' : drop > limit && !significant ? ' — within noise (not significant at 95%)' : '';
  const detail = `accuracy ${formatPercent(baselineRate)} → ${formatPercent(currentRate)} (${formatPoints(delta)}${ci}; ${testName} p ${formatPValue(test.pValue)}; ${test.pairs} paired; limit ${limit} pp)${why}`;
  return { metric: 'accuracy', baseline: baselineRate, current: currentRate, delta, deltaPct: null, limit, regressed, detail };
}

/** Regressed when the value rose by more than `limitPct` percent of the baseline value. */
export function increaseMetric(
  metric: 'p95-latency' | 'p95-ttft' | 'cost-per-item',
  base: number | null,
  current: number | null,
  limitPct: number,
): MetricComparison {
  const label = metric === 'p95-latency' ? 'p95 latency' : metric === 'p95-ttft' ? 'p95 TTFT' : 'cost per item';
  const format = metric === 'cost-per-item' ? formatUsd : formatMs;
  if (base === null || current === null) {
    return {
      metric,
      baseline: base,
      current,
      delta: null,
      deltaPct: null,
      limit: limitPct,
      regressed: false,
      detail: `${label} ${format(base)} → ${format(current)} (not measured in both runs)`,
    };
  }
  const delta = current - base;
  const deltaPct = base > 0 ? (delta / base) * 100 : null;
  const regressed = deltaPct !== null && deltaPct > limitPct;
  const change = deltaPct === null ? 'baseline was 0' : `${deltaPct >= 0 ? '+' : ''}${deltaPct.toFixed(1)}%`;
  return {
    metric,
    baseline: base,
    current,
    delta,
    deltaPct,
    limit: limitPct,
    regressed,
    detail: `${label} ${format(base)} → ${format(current)} (${change}; limit +${limitPct}%)${regressed ? ' — regression' : ''}`,
  };
}

/** Share of results that failed (errors such as timeouts or filters, not wrong answers); regressed above `maxFailureRateIncreasePts`. */
export function failureRateMetric(base: BaselineAggregates, current: BaselineAggregates, t: RegressionThresholds): MetricComparison {
  const limit = t.maxFailureRateIncreasePts;
  const b = base.results ? base.failed / base.results : null;
  const c = current.results ? current.failed / current.results : null;
  if (b === null || c === null)
    return {
      metric: 'failure-rate',
      baseline: b,
      current: c,
      delta: null,
      deltaPct: null,
      limit,
      regressed: false,
      detail: `failure rate ${formatPercent(b)} → ${formatPercent(c)}`,
    };
  const delta = c - b;
  const regressed = delta * 100 > limit;
  const detail = `failure rate ${formatPercent(b)} → ${formatPercent(c)} (${formatPoints(delta)}, ${base.failed} → ${current.failed} failed; limit ${limit} pp)${regressed ? ' — regression' : ''}`;
  return { metric: 'failure-rate', baseline: b, current: c, delta, deltaPct: null, limit, regressed, detail };
}

/** Failure categories present now and absent from the baseline. */
export function errorCategoriesMetric(base: BaselineAggregates, current: BaselineAggregates, t: RegressionThresholds): MetricComparison {
  const known = new Set(Object.keys(base.errorsByCategory));
  const fresh = Object.entries(current.errorsByCategory).filter(([category]) => !known.has(category));
  const regressed = t.failOnNewErrorCategories && fresh.length > 0;
  const b = known.size;
  const c = Object.keys(current.errorsByCategory).length;
  const detail = fresh.length
    ? `new failure categories: ${fresh.map(([category, n]) => `${category} (${n})`).join(', ')}${regressed ? ' — regression' : ''}`
    : 'no new failure categories';
  return { metric: 'error-categories', baseline: b, current: c, delta: c - b, deltaPct: null, limit: null, regressed, detail };
}
