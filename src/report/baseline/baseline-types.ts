/**
 * The baseline file format (a compact, committed record of one run's per-item outcomes and per-target
 * aggregates), the regression thresholds, and the result of comparing two baselines. Types and
 * defaults only. Times are milliseconds, money is USD, rates are fractions in [0, 1].
 */
import type { RegressionThresholds } from '../../types.ts';

export const BASELINE_VERSION = 1;
export const BASELINE_KIND = 'batchbench-baseline';

/**
 * One (row, repeat) outcome: `[passed, meanScore]` for a scored result (passed 1 or 0, score rounded
 * to 4 decimals), `[null, null]` for a success no scorer could judge, `[null, null, category]` for a
 * failed result. Arrays, not objects: about 15–30 bytes per item in the file.
 */
export type BaselineItem = readonly [passed: 0 | 1 | null, score: number | null, errorCategory?: string];

/** Per-target numbers, taken from the same summary fold as report.json so they match the reports. */
export interface BaselineAggregates {
  readonly results: number;
  readonly ok: number;
  readonly failed: number;
  /** Pass rate over scored results; `null` when nothing was scored. */
  readonly accuracy: { readonly rate: number; readonly passed: number; readonly scored: number } | null;
  /** Mean scorer value over scored results. */
  readonly meanScore: number | null;
  /** Final-attempt e2e latency percentiles. @unit milliseconds */
  readonly p50LatencyMs: number | null;
  readonly p95LatencyMs: number | null;
  /** @unit milliseconds */
  readonly p95TtftMs: number | null;
  /** USD per successful, non-cached result; `null` without a price. */
  readonly costPerItem: number | null;
  /** Failed results by error category (or error code), keys sorted. */
  readonly errorsByCategory: Readonly<Record<string, number>>;
}

export interface BaselineTarget {
  readonly aggregates: BaselineAggregates;
  /** Keyed `rowId|repeat`, in dataset order. */
  readonly items: Readonly<Record<string, BaselineItem>>;
}

export interface Baseline {
  readonly version: typeof BASELINE_VERSION;
  readonly kind: typeof BASELINE_KIND;
  readonly createdFrom: {
    readonly runId: string | null;
    readonly dataset: string | null;
    readonly startedAt: string | null;
    /** Every endpoint was the embedded emulator. */
    readonly emulator: boolean;
  };
  /** Hash of the resolved config of the run (without secrets). */
  readonly configHash: string | null;
  /** Targets by name, sorted. */
  readonly targets: Readonly<Record<string, BaselineTarget>>;
}

export type { RegressionThresholds };
/** Missing limits in a comparison take these (the same object config/ resolves against). */
export { REGRESSION_DEFAULTS as DEFAULT_REGRESSION_THRESHOLDS } from '../../types.ts';

export type ComparedMetric = 'accuracy' | 'p95-latency' | 'p95-ttft' | 'cost-per-item' | 'failure-rate' | 'error-categories';

export interface MetricComparison {
  readonly metric: ComparedMetric;
  /** Baseline value (fraction for accuracy and failure rate, ms for latency, USD for cost, category count for errors). */
  readonly baseline: number | null;
  readonly current: number | null;
  /** current − baseline, in the metric's unit; `null` when either side is missing. */
  readonly delta: number | null;
  /** Relative change in percent (latency, cost); `null` where it does not apply. */
  readonly deltaPct: number | null;
  /** The configured limit, in the unit the config uses (pp for accuracy and failure rate, % for latency and cost). */
  readonly limit: number | null;
  readonly regressed: boolean;
  /** One plain sentence, e.g. "accuracy 72.1% → 61.3% (−10.8 pp, 95% CI …; limit 2 pp)". */
  readonly detail: string;
}

export interface ItemFlips {
  /** Row ids (with `#repeat` when the repeat is not 0), in dataset order, at most `listLimit`. */
  readonly passToFail: readonly string[];
  readonly failToPass: readonly string[];
  readonly counts: { readonly passToFail: number; readonly failToPass: number; readonly paired: number };
}

export interface TargetComparison {
  readonly target: string;
  /** `missing`: in the baseline, not in this run. `new`: in this run only. */
  readonly status: 'ok' | 'regressed' | 'missing' | 'new';
  readonly metrics: readonly MetricComparison[];
  readonly flips: ItemFlips;
  /** Items (row × repeat) in this run but not the baseline, and the reverse. */
  readonly added: { readonly count: number; readonly ids: readonly string[] };
  readonly removed: { readonly count: number; readonly ids: readonly string[] };
}

export interface Comparison {
  readonly regressed: boolean;
  readonly baseline: Baseline['createdFrom'] & { readonly configHash: string | null };
  readonly current: Baseline['createdFrom'] & { readonly configHash: string | null };
  readonly thresholds: RegressionThresholds;
  readonly targets: readonly TargetComparison[];
  /** Plain sentences: one per regression first, then notes (config changed, rows added, targets missing). */
  readonly sentences: readonly string[];
}
