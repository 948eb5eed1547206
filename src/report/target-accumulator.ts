/**
 * Streaming fold of one target's journal records. Holds numeric columns (latencies, attempts for the
 * timeline and rates) and a few bytes per (row, repeat) for pairing (pair-table.ts); never the prompt or
 * output text, and no object per cell (columns.ts says why).
 */
import { createRng, hashString } from '../internal/rng.ts';
import type { AttemptRecord, ResultFailed, ResultOk, ResultRecord, RunStartRecord, TargetInfo } from '../types.ts';
import { answerFlag } from './answer-flags.ts';
import type { CellIndex } from './cell-index.ts';
import type { TimelineColumns } from './chart-series.ts';
import { NumberColumn } from './columns.ts';
import { DeploymentAccumulator } from './deployment-accumulator.ts';
import { unionMs } from './pause-intervals.ts';
import { LatencyColumn } from './latency-column.ts';
import { answeredPrice } from './answer-price.ts';
import { costOf, meetsSlo, resultLatency, resultPassed, resultScore } from './metrics.ts';
import { PairTable } from './pair-table.ts';
import { rateSummaryOf } from './rate-window.ts';
import { qualitySummary } from './quality-summary.ts';
import type { ScorerSummary, TargetSummary, TokenTotals } from './summary-types.ts';

export type { PairEntry } from './pair-table.ts';

type Slo = RunStartRecord['slo'];

export class TargetAccumulator {
  readonly target: string;
  /** Results by `rowId|repeat` (last record wins on duplicates). */
  readonly pairs: PairTable;
  /** Final-attempt e2e latencies of successful, non-cached results (also the CDF chart's). */
  readonly #e2e = new LatencyColumn();
  readonly #ttft = new LatencyColumn();
  /** Every attempt, in journal order: end (epoch ms), output and reasoning tokens, flags (THROTTLED, OK), rate tokens. */
  readonly #attempts = {
    endMs: new NumberColumn(),
    completion: new NumberColumn(),
    reasoning: new NumberColumn(),
    flags: new NumberColumn(),
    tokens: new NumberColumn(),
  };
  #okAttempts = 0;

  readonly #info: TargetInfo | undefined;
  readonly #turnaround = new LatencyColumn();
  readonly #slo: Slo;
  readonly #latency = {
    logical: new LatencyColumn(),
    itl: new LatencyColumn(),
    tpot: new LatencyColumn(),
    queue: new LatencyColumn(),
    retryWait: new LatencyColumn(),
  };
  /** Waits of cells whose result has not arrived yet, by key: queue (attempt 1) and between attempts. */
  readonly #waits = new Map<string, { queue: number; retry: number }>();
  /**
   * Results as rate events, for a target without a successful attempt in the journal (rates then come
   * from results); dropped at the first successful attempt, after which they are never read.
   */
  #resultEvents: { atMs: NumberColumn; tokens: NumberColumn } | null = { atMs: new NumberColumn(), tokens: new NumberColumn() };
  readonly #tokens = { prompt: 0, completion: 0, reasoning: 0, cached: 0 };
  readonly #retries = { attempts: 0, quota429: 0, capacity429: 0, otherErrors: 0, waitedMs: 0, queueWaitMs: 0, retryWaitMs: 0 };
  readonly #counts = { results: 0, ok: 0, failed: 0, cached: 0, billable: 0, sloMet: 0, sloTotal: 0, unscored: 0, truncated: 0, empty: 0 };
  readonly #errorsByCategory: Record<string, number> = {};
  readonly #errorsByReason: Record<string, number> = {};
  readonly #scorers = new Map<string, { scored: number; errors: number; sum: number; passed: number }>();
  readonly #deployments: Set<string>;
  readonly #byDeployment = new Map<string, DeploymentAccumulator>();
  #cost = 0;
  #startMs = Number.POSITIVE_INFINITY;
  #endMs = Number.NEGATIVE_INFINITY;

  /**
   * @param info the target as the run-start record describes it (price, api, deployments), if known
   * @param slo goodput thresholds from the run-start record, if any
   * @param cells the run's cell numbering, shared by every target of the fold
   */
  constructor(target: string, info: TargetInfo | undefined, slo: Slo, cells: CellIndex) {
    this.target = target;
    this.pairs = new PairTable(cells);
    this.#info = info;
    this.#slo = slo;
    this.#deployments = new Set(info?.deployments.map((d) => d.id));
  }

  addAttempt(record: AttemptRecord): void {
    const r = this.#retries;
    r.attempts++;
    r.waitedMs += record.waitedBeforeMs;
    const waits = this.#waits.get(record.key) ?? { queue: 0, retry: 0 };
    this.#waits.set(record.key, waits);
    if (record.attempt <= 1) {
      waits.queue += record.waitedBeforeMs;
      r.queueWaitMs += record.waitedBeforeMs;
    } else {
      waits.retry += record.waitedBeforeMs;
      r.retryWaitMs += record.waitedBeforeMs;
    }
    if (record.outcome === 'quota') r.quota429++;
    else if (record.outcome === 'capacity') r.capacity429++;
    else if (record.outcome !== 'ok') r.otherErrors++;
    this.#deployment(record.deploymentId).addAttempt(record);
    const finishedAt = this.#widenSpan(record.timing.startedAt, record.timing.endMs);
    const usage = record.outcome === 'ok' ? record.usage : undefined;
    const a = this.#attempts;
    a.endMs.push(finishedAt);
    a.completion.push(usage?.completionTokens ?? 0);
    a.reasoning.push(usage?.reasoningTokens ?? 0);
    a.flags.push((record.outcome === 'quota' || record.outcome === 'capacity' ? THROTTLED : 0) | (record.outcome === 'ok' ? OK : 0));
    a.tokens.push(usage ? usage.promptTokens + usage.completionTokens : 0);
    if (record.outcome === 'ok' && this.#okAttempts++ === 0) this.#resultEvents = null;
  }

  /** Whether a result of this (row, repeat) was folded. */
  hasResult(result: { readonly rowId: string; readonly repeat: number }): boolean {
    return this.pairs.has(result);
  }

  /** Final-attempt e2e latencies of successful, non-cached results (for the CDF chart). */
  get e2e(): LatencyColumn {
    return this.#e2e;
  }

  get ttft(): LatencyColumn {
    return this.#ttft;
  }

  /** Whether any latency metric of this target outgrew its exact storage (its percentiles come from a sketch). */
  get sketched(): boolean {
    const l = this.#latency;
    return [this.#e2e, this.#ttft, this.#turnaround, l.logical, l.itl, l.tpot, l.queue, l.retryWait].some((c) => !c.exact);
  }

  /** Every attempt, for the timeline chart. */
  get timeline(): TimelineColumns {
    const a = this.#attempts;
    return {
      endMs: a.endMs.view(),
      completionTokens: a.completion.view(),
      reasoningTokens: a.reasoning.view(),
      throttled: a.flags.view().map((f) => f & THROTTLED),
    };
  }

  addResult(record: ResultRecord): void {
    this.#counts.results++;
    const waits = this.#waits.get(record.key);
    this.#waits.delete(record.key);
    if (waits && record.status === 'ok' && !record.cached) {
      this.#latency.queue.push(waits.queue);
      this.#latency.retryWait.push(waits.retry);
    }
    if (record.status === 'ok' && record.scoring === 'unscored') this.#counts.unscored++;
    const flag = answerFlag(record);
    if (flag === 'length') this.#counts.truncated++;
    else if (flag === 'empty') this.#counts.empty++;
    if (record.deploymentId !== null) this.#deployment(record.deploymentId).addResult(record);
    this.pairs.set(record, resultPassed(record), record.status === 'ok' ? resultScore(record.scores) : null);
    if (!record.cached && this.#slo) {
      this.#counts.sloTotal++;
      if (meetsSlo(record, this.#slo)) this.#counts.sloMet++;
    }
    if (record.status === 'ok') this.#addOk(record);
    else this.#addFailed(record);
  }

  /** Earliest send and latest end seen, epoch ms; `null` before any timing. */
  span(): { readonly startMs: number; readonly endMs: number } | null {
    return Number.isFinite(this.#startMs) ? { startMs: this.#startMs, endMs: this.#endMs } : null;
  }

  finish(start: RunStartRecord | null, resamples: number): TargetSummary {
    const seed = (metric: string) => createRng(hashString(`${this.target}|${metric}`));
    const spanMs = Number.isFinite(this.#startMs) ? Math.max(0, this.#endMs - this.#startMs) : 0;
    const c = this.#counts;
    return {
      target: this.target,
      api: this.#info?.api ?? null,
      deployments: [...this.#deployments].sort(compareText),
      byDeployment: [...this.#byDeployment.values()].sort((a, b) => compareText(a.id, b.id)).map((d) => d.finish()),
      results: c.results,
      ok: c.ok,
      failed: c.failed,
      cached: c.cached,
      unscored: c.unscored,
      truncated: c.truncated,
      empty: c.empty,
      pausedMs: unionMs([...this.#byDeployment.values()].flatMap((d) => d.pauses)),
      ...qualitySummary(this.pairs.values(), seed('score'), resamples),
      scorers: this.#scorerSummaries(),
      latency: {
        e2e: this.#e2e.stats(seed('e2e'), resamples),
        logical: this.#latency.logical.stats(seed('logical'), resamples),
        queue: this.#latency.queue.stats(seed('queue'), resamples),
        retryWait: this.#latency.retryWait.stats(seed('retry-wait'), resamples),
        ttft: this.#ttft.stats(seed('ttft'), resamples),
        itl: this.#latency.itl.stats(seed('itl'), resamples),
        tpot: this.#latency.tpot.stats(seed('tpot'), resamples),
      },
      ...(this.#info?.mode === 'batch'
        ? { mode: 'batch' as const, turnaround: this.#turnaround.stats(seed('turnaround'), resamples) }
        : {}),
      throughput:
        spanMs > 0
          ? { spanMs, outputTokensPerSec: (this.#tokens.completion * 1000) / spanMs, requestsPerSec: (c.billable * 1000) / spanMs }
          : null,
      rate: this.#rate(spanMs),
      goodput:
        this.#slo && c.sloTotal > 0
          ? {
              slo: this.#slo,
              met: c.sloMet,
              total: c.sloTotal,
              share: c.sloMet / c.sloTotal,
              perSec: spanMs > 0 ? (c.sloMet * 1000) / spanMs : 0,
            }
          : null,
      retries: { ...this.#retries },
      tokens: { total: { ...this.#tokens }, perItem: c.billable ? divide(this.#tokens, c.billable) : null },
      cost: this.#costSummary(start?.repeats ?? 1),
      errorsByCategory: sortKeys(this.#errorsByCategory),
      errorsByReason: sortKeys(this.#errorsByReason),
    };
  }

  // --- internal ---

  #addOk(record: ResultOk): void {
    this.#counts.ok++;
    this.#addScores(record);
    // Cached results cost nothing and took no time: they count for quality only.
    if (record.cached) {
      this.#counts.cached++;
      return;
    }
    // A batch cell's time is its job's turnaround, not a request latency: it never enters latency stats.
    if (this.#info?.mode === 'batch') this.#turnaround.push(record.timing.endMs);
    const latency = resultLatency(record);
    if (this.#info?.mode !== 'batch') this.#e2e.push(latency.e2eMs);
    if (this.#info?.mode !== 'batch') {
      this.#latency.logical.push(latency.logicalMs);
      if (latency.ttftMs !== null) this.#ttft.push(latency.ttftMs);
      if (latency.itlMs !== null) this.#latency.itl.push(latency.itlMs);
      if (latency.tpotMs !== null) this.#latency.tpot.push(latency.tpotMs);
    }
    const usage = record.usage;
    this.#counts.billable++;
    this.#tokens.prompt += usage.promptTokens;
    this.#tokens.completion += usage.completionTokens;
    this.#tokens.reasoning += usage.reasoningTokens;
    this.#tokens.cached += usage.cachedTokens;
    const price = answeredPrice(this.#info, record.serviceTier);
    if (price) this.#cost += costOf(usage, price);
    const finishedAt = this.#widenSpan(record.timing.startedAt, record.timing.endMs);
    this.#resultEvents?.atMs.push(finishedAt);
    this.#resultEvents?.tokens.push(usage.promptTokens + usage.completionTokens);
  }

  /** Rates from the successful attempts, or from the results when the journal has no successful attempt. */
  #rate(spanMs: number): TargetSummary['rate'] {
    if (this.#resultEvents) return rateSummaryOf(this.#resultEvents.atMs.view(), this.#resultEvents.tokens.view(), spanMs);
    const a = this.#attempts;
    const atMs = new NumberColumn();
    const tokens = new NumberColumn();
    const flags = a.flags.view();
    for (let i = 0; i < flags.length; i++) {
      if (!(flags[i]! & OK)) continue;
      atMs.push(a.endMs.at(i));
      tokens.push(a.tokens.at(i));
    }
    return rateSummaryOf(atMs.view(), tokens.view(), spanMs);
  }

  #addFailed(record: ResultFailed): void {
    this.#counts.failed++;
    const category = record.error.category ?? record.error.code;
    this.#errorsByCategory[category] = (this.#errorsByCategory[category] ?? 0) + 1;
    this.#errorsByReason[record.reason] = (this.#errorsByReason[record.reason] ?? 0) + 1;
  }

  #addScores(record: ResultOk): void {
    for (const entry of record.scores) {
      const stats = this.#scorers.get(entry.scorer) ?? { scored: 0, errors: 0, sum: 0, passed: 0 };
      this.#scorers.set(entry.scorer, stats);
      if (entry.status === 'error') {
        stats.errors++;
        continue;
      }
      stats.scored++;
      stats.sum += entry.value;
      if (entry.passed) stats.passed++;
    }
  }

  #deployment(id: string): DeploymentAccumulator {
    this.#deployments.add(id);
    let deployment = this.#byDeployment.get(id);
    if (!deployment) {
      deployment = new DeploymentAccumulator(id);
      this.#byDeployment.set(id, deployment);
    }
    return deployment;
  }

  /** Extends the target's time span; returns the epoch ms at which the attempt ended. */
  #widenSpan(startedAt: number, endMs: number): number {
    const finishedAt = startedAt + endMs;
    this.#startMs = Math.min(this.#startMs, startedAt);
    this.#endMs = Math.max(this.#endMs, finishedAt);
    return finishedAt;
  }

  #scorerSummaries(): ScorerSummary[] {
    return [...this.#scorers.entries()]
      .sort(([a], [b]) => compareText(a, b))
      .map(([name, s]) => ({
        name,
        scored: s.scored,
        errors: s.errors,
        mean: s.scored ? s.sum / s.scored : null,
        passRate: s.scored ? s.passed / s.scored : null,
      }));
  }

  #costSummary(repeats: number): TargetSummary['cost'] {
    const price = this.#info?.price;
    if (!price) return null;
    const n = this.#counts.billable;
    return { price, total: this.#cost, perItem: n ? this.#cost / n : null, per1kRows: n ? (this.#cost / n) * repeats * 1000 : null };
  }
}

// --- internal ---

const THROTTLED = 1;
const OK = 2;

function divide(t: TokenTotals, n: number): TokenTotals {
  return { prompt: t.prompt / n, completion: t.completion / n, reasoning: t.reasoning / n, cached: t.cached / n };
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareText(a, b)));
}

/** Code-unit order: unlike localeCompare, the same on every machine (byte-identical re-renders). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
