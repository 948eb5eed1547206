/**
 * The computed aggregates of one run: what `createSummaryBuilder().finish()` returns, what report.json
 * contains, and what every human-facing reporter renders. Times are milliseconds, rates are per second
 * unless the name says otherwise, money is USD, fractions are in [0, 1]. `null` means "not measurable
 * in this run" (no successful results, no prices, no SLO), never zero.
 */
import type { ApiKind, FailureReason, Price, SchedulerStats } from '../types.ts';
import type { Interval } from './stats/wilson.ts';

export type { Interval } from './stats/wilson.ts';

export const SUMMARY_VERSION = 1;

/** A point estimate with its 95% confidence interval (`null` when the sample is too small). */
export interface Estimate {
  readonly value: number;
  readonly ci: Interval | null;
}

/** p50/p90/p95/p99 (R-7 interpolation), each with a percentile-bootstrap 95% CI. */
export interface Percentiles {
  readonly p50: Estimate;
  readonly p90: Estimate;
  readonly p95: Estimate;
  readonly p99: Estimate;
}

/** Distribution of one latency metric over a target's successful, non-cached results. @unit milliseconds */
export interface LatencyStats {
  readonly count: number;
  readonly mean: number;
  readonly stddev: number;
  readonly min: number;
  readonly max: number;
  readonly percentiles: Percentiles;
}

export interface LatencySummary {
  /** Service time: the final attempt, send → stream end (`timing.endMs`). */
  readonly e2e: LatencyStats | null;
  /** Time in system: queue wait + retries (failed attempts and the waits between them) + final attempt (`durationMs`). */
  readonly logical: LatencyStats | null;
  /** Queue wait: from the moment a cell was queued to its first send (attempt 1's `waitedBeforeMs`). */
  readonly queue?: LatencyStats | null;
  /** Retry wait: summed waits between a cell's attempts (0 for cells answered at the first attempt). */
  readonly retryWait?: LatencyStats | null;
  /** Send → first non-empty content delta. */
  readonly ttft: LatencyStats | null;
  /** (e2e − TTFT) / (completion tokens − 1). */
  readonly itl: LatencyStats | null;
  /** e2e / completion tokens. */
  readonly tpot: LatencyStats | null;
}

export interface AccuracySummary {
  /** Results that passed every scorer. */
  readonly passed: number;
  /** Successful results with at least one scorer verdict (the denominator; errors are not counted). */
  readonly scored: number;
  /** Accuracy over scored cells: passed / scored (failed requests and unscored answers left out). */
  readonly rate: number;
  /** Every cell (row × repeat) of the target: failed requests and unscored answers included. */
  readonly cells?: number;
  /**
   * Accuracy over all cells: passed / cells, a failed request or an unscored answer counting as not
   * passed, so a target whose requests mostly failed never reads as accurate.
   */
  readonly rateOverAllCells?: number;
  /**
   * 95% interval. Without repeats: Wilson. With repeats, the samples of one row are correlated, so
   * Wilson is computed on the effective sample size scored / designEffect (Kish), with the design
   * effect from the row-clustered SE; at 0% or 100% the effective size is the number of rows.
   * Never a zero-width interval.
   */
  readonly ci: Interval | null;
  /** `wilson` (independent cells) or `wilson-clustered` (effective sample size, rows as clusters). */
  readonly method?: 'wilson' | 'wilson-clustered';
  /** Variance inflation from clustering by row (≥ 1); `null` without repeats. */
  readonly designEffect?: number | null;
}

export interface ScoreSummary {
  /** Mean over scored results of each result's mean scorer value. */
  readonly mean: number;
  /** Bootstrap CI resampling dataset rows (clusters of repeats). */
  readonly ci: Interval | null;
  /** Standard error of `mean` clustered by row (Miller 2024); equals the usual SE without repeats. */
  readonly clusteredSe: number | null;
  /** Mean within-row variance of the score across repeats; `null` without repeats. */
  readonly itemVariance: number | null;
}

export interface ScorerSummary {
  readonly name: string;
  readonly scored: number;
  /** Scorer failures (the scorer threw); not counted in `scored`. */
  readonly errors: number;
  readonly mean: number | null;
  readonly passRate: number | null;
}

export interface TokenTotals {
  readonly prompt: number;
  readonly completion: number;
  readonly reasoning: number;
  readonly cached: number;
}

export interface TokenSummary {
  /** Sums over successful, non-cached results. */
  readonly total: TokenTotals;
  /** `total` divided by the number of those results; `null` when there are none. */
  readonly perItem: TokenTotals | null;
}

export interface CostSummary {
  readonly price: Price;
  /** USD over successful, non-cached results. */
  readonly total: number;
  readonly perItem: number | null;
  /** USD to evaluate 1,000 dataset rows with this run's repeats: perItem × repeats × 1000. */
  readonly per1kRows: number | null;
}

export interface RateSummary {
  /** Highest number of tokens (prompt + completion) finished in any 60 s window. */
  readonly tpmPeak: number;
  /** Tokens per minute over the whole span (spans under a minute are not extrapolated). */
  readonly tpmMean: number;
  readonly rpmPeak: number;
  readonly rpmMean: number;
}

export interface ThroughputSummary {
  /** First send → last end over the target's attempts. */
  readonly spanMs: number;
  /** Σ completion tokens / span. @unit tokens per second */
  readonly outputTokensPerSec: number;
  /** Successful results per second over the span. */
  readonly requestsPerSec: number;
}

export interface GoodputSummary {
  readonly slo: { readonly ttftMs?: number; readonly e2eMs?: number };
  /** Non-cached results meeting every SLO (failures never do). */
  readonly met: number;
  readonly total: number;
  readonly share: number;
  readonly perSec: number;
}

export interface RetrySummary {
  /** HTTP attempts, including retries. */
  readonly attempts: number;
  readonly quota429: number;
  readonly capacity429: number;
  /** Other failed attempts (server, timeout, connection, …). */
  readonly otherErrors: number;
  /** Σ time items waited before attempts: queue wait + retry wait (kept for older readers). */
  readonly waitedMs: number;
  /** Σ time cells waited in the queue before their first send. */
  readonly queueWaitMs?: number;
  /** Σ time cells waited between attempts (backoff and 429 pauses). */
  readonly retryWaitMs?: number;
}

/** One deployment of a target (several when the target is a pool). Latencies without CIs. */
export interface DeploymentSummary {
  readonly id: string;
  readonly results: number;
  readonly ok: number;
  readonly failed: number;
  readonly attempts: number;
  readonly quota429: number;
  readonly capacity429: number;
  readonly e2eP50Ms: number | null;
  readonly e2eP95Ms: number | null;
  readonly ttftP50Ms: number | null;
  /** Time this deployment was paused after quota 429s: union of [429 end, + retry-after] from the journal. */
  readonly pausedMs?: number;
}

export interface TargetSummary {
  readonly target: string;
  readonly api: ApiKind | null;
  /** Deployment ids, from the run-start record and every record seen. */
  readonly deployments: readonly string[];
  /** Per-deployment breakdown, in id order (deployments that served nothing are omitted). */
  readonly byDeployment: readonly DeploymentSummary[];
  /** Result records (one per row × repeat). */
  readonly results: number;
  readonly ok: number;
  readonly failed: number;
  /** Served from the response cache; excluded from latency, throughput, tokens and cost. */
  readonly cached: number;
  /** Answers with no verdict: a scorer or judge the pass rule needs errored (not in `accuracy`). */
  readonly unscored?: number;
  /** Answers cut off by the token limit (finish reason `length` / incomplete `max_output_tokens`). */
  readonly truncated?: number;
  /** Answers with no text at all (not counted in `truncated`). */
  readonly empty?: number;
  /** Union of this target's deployments' 429 pauses (see DeploymentSummary.pausedMs). */
  readonly pausedMs?: number;
  readonly accuracy: AccuracySummary | null;
  readonly score: ScoreSummary | null;
  readonly scorers: readonly ScorerSummary[];
  readonly latency: LatencySummary;
  /** `'batch'`: cells ran through Global Batch; latency stays empty and `turnaround` holds submit → result. */
  readonly mode?: 'batch';
  /** Batch turnaround (submit → results collected) of successful cells; never mixed into latency. @unit milliseconds */
  readonly turnaround?: LatencyStats | null;
  readonly throughput: ThroughputSummary | null;
  readonly rate: RateSummary | null;
  readonly goodput: GoodputSummary | null;
  readonly retries: RetrySummary;
  readonly tokens: TokenSummary;
  readonly cost: CostSummary | null;
  /** Failed results by error category (or error code when uncategorised). */
  readonly errorsByCategory: Readonly<Record<string, number>>;
  readonly errorsByReason: Readonly<Partial<Record<FailureReason, number>>>;
}

/** Tokens and cost of LLM-judge calls: measured apart, never part of a candidate's figures. */
export interface JudgingTargetSummary {
  readonly target: string;
  /** Judge HTTP attempts (retries included); cached verdicts are not attempts. */
  readonly attempts: number;
  readonly ok: number;
  readonly failed: number;
  /** Verdicts served from the response cache. */
  readonly cached: number;
  readonly tokens: TokenTotals;
  /** USD over successful, non-cached judge attempts; `null` without a price. */
  readonly cost: number | null;
}

export interface JudgingSummary {
  readonly targets: readonly JudgingTargetSummary[];
  readonly attempts: number;
  readonly cached: number;
  readonly tokens: TokenTotals;
  readonly cost: number | null;
}

export type Verdict = 'better' | 'worse' | 'no-difference';

export interface PairedDifference {
  /** Paired rows (same row id and repeat, both scored). */
  readonly pairs: number;
  /** Mean of (a − b); pass rates as fractions. */
  readonly diff: Estimate;
  /** How `a` compares with `b` at 95%. */
  readonly verdict: Verdict;
}

export interface PassRateComparison extends PairedDifference {
  /** Pairs where only `a` passed. */
  readonly aOnly: number;
  /** Pairs where only `b` passed. */
  readonly bOnly: number;
  /** McNemar's exact two-sided p-value on the discordant pairs (repeats treated as independent). */
  readonly mcnemarP: number;
  /** The p-value behind `verdict`: McNemar's without repeats, a row sign-flip test with repeats. */
  readonly pValue: number;
  /**
   * `mcnemar-exact`: CI is the exact conditional interval (Clopper–Pearson on discordant pairs).
   * `row-sign-flip`: CI is a row-clustered paired bootstrap.
   */
  readonly test: 'mcnemar-exact' | 'row-sign-flip';
}

export interface PairwiseComparison {
  readonly a: string;
  readonly b: string;
  /** Pass/fail: difference of pass rates, McNemar's exact test and the verdict's test. */
  readonly accuracy: PassRateComparison | null;
  /**
   * Scores: mean paired difference with a paired (row-clustered) bootstrap CI; the verdict comes from a
   * paired sign-flip permutation test over rows (`pValue`), which for 0/1 scores is McNemar's test.
   */
  readonly score: (PairedDifference & { readonly pValue: number }) | null;
  /** One plain sentence, e.g. "gpt-a is better than gpt-b on pass rate (…)". */
  readonly sentence: string;
}

export interface TimelineSeries {
  /** Bin width. @unit milliseconds */
  readonly binMs: number;
  /** Bin start, ms since the first send of the run. */
  readonly startsMs: readonly number[];
  /** Per target: output tokens per second in each bin (reasoning included). */
  readonly outputTokensPerSec: Readonly<Record<string, readonly number[]>>;
  /** Per target: the reasoning part of `outputTokensPerSec` (answer tokens are the difference). */
  readonly reasoningTokensPerSec: Readonly<Record<string, readonly number[]>>;
  /** Per target: quota and capacity 429s in each bin. */
  readonly throttled: Readonly<Record<string, readonly number[]>>;
}

export interface ChartSeries {
  /** Per target: e2e latency (ms) at cumulative fractions 0, 0.01, …, 1. */
  readonly latencyCdf: Readonly<Record<string, readonly (readonly [number, number])[]>>;
  /** TTFT histogram with shared bins; the last bin also holds values above its upper edge. */
  readonly ttftHistogram: { readonly edgesMs: readonly number[]; readonly counts: Readonly<Record<string, readonly number[]>> };
  readonly timeline: TimelineSeries | null;
}

export interface RunSummary {
  readonly version: typeof SUMMARY_VERSION;
  readonly runId: string | null;
  readonly dataset: string | null;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly endReason: 'completed' | 'incomplete' | 'aborted' | 'failed' | null;
  /** Every endpoint was the embedded emulator: numbers are synthetic. */
  readonly emulator: boolean;
  readonly configHash: string | null;
  readonly repeats: number;
  /** Rows in the dataset when known, else distinct row ids seen. */
  readonly rows: number;
  readonly scorers: readonly string[];
  readonly slo: { readonly ttftMs?: number; readonly e2eMs?: number } | null;
  readonly thresholds: Readonly<Record<string, number>> | null;
  readonly targets: readonly TargetSummary[];
  readonly pairwise: readonly PairwiseComparison[];
  /** Scheduler totals from the run-end record (pausedMs is time deployments spent paused on 429s). */
  readonly scheduler: SchedulerStats | null;
  /** How scorer verdicts combine into pass/fail: 'all', 'any' or a scorer's name. */
  readonly pass?: string;
  /** LLM-judge calls, `null` when no judge ran. */
  readonly judging?: JudgingSummary | null;
  /** USD of the whole run: every target's cost plus judging; `null` unless every target and judge has a price. */
  readonly totalCost?: number | null;
  /** Plain sentences a reader must see (e.g. a target whose answers are often cut off). */
  readonly warnings?: readonly string[];
  readonly series: ChartSeries;
  /** Flex targets: how many answers each tier gave (absent when no target asked for Flex). */
  readonly flexTiers?: readonly FlexTierSummary[];
  /** Global Batch jobs of `mode: 'batch'` targets, in submission order; absent when the run had none. */
  readonly batchJobs?: readonly BatchJobTimeline[];
  readonly methods: {
    readonly percentiles: string;
    readonly intervals: string;
    readonly bootstrapResamples: number;
  };
}

/**
 * One Global Batch job's timeline. `submittedAt` and `collectedAt` are this client's clock (their
 * difference is the job's turnaround); `createdAt` … `endedAt` are the service's own timestamps when its
 * job object carried them (then offsets are taken from `createdAt`), else when a poll first saw the status.
 * @unit epoch milliseconds
 */
export interface BatchJobTimeline {
  readonly target: string;
  readonly jobId: string;
  readonly submittedAt: number;
  readonly createdAt: number | null;
  readonly inProgressAt: number | null;
  readonly finalizingAt: number | null;
  /** The last status seen (`null` before the first poll answered). */
  readonly status: string | null;
  /** When the job reached its terminal status (completed, failed, expired, cancelled). */
  readonly endedAt: number | null;
  readonly counts: { readonly total: number; readonly completed: number; readonly failed: number } | null;
  /** The job's first error code (validation or quota), if any. */
  readonly error: string | null;
  readonly collectedAt: number | null;
}

/** A flex target's answers by the tier that gave them: Flex, or the standard tier after a flexFallback. */
export interface FlexTierSummary {
  readonly target: string;
  readonly flex: number;
  readonly standard: number;
}
