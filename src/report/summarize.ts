/**
 * The pure, streaming fold from journal records to a RunSummary: feed every record in journal order
 * with `add`, then call `finish` once. Output depends on the records alone (seeded bootstraps, sorted
 * keys, no clock), so a re-render from the journal is byte-identical to the live run's.
 */
import { collectGarbage } from '../internal/collect-garbage.ts';
import type { JournalRecord, RunEndRecord, RunStartRecord, TargetInfo } from '../types.ts';
import { chartSeries } from './chart-series.ts';
import { comparePair } from './pairwise.ts';
import { createRowSampler, DEFAULT_SAMPLE_ROWS, type SampledRow } from './row-sample.ts';
import { DEFAULT_RESAMPLES } from './stats/bootstrap.ts';
import { SUMMARY_VERSION, type RunSummary } from './summary-types.ts';
import { TargetAccumulator } from './target-accumulator.ts';
import { CellIndex } from './cell-index.ts';
import { JudgingAccumulator } from './judging-accumulator.ts';
import { EXACT_LIMIT } from './latency-column.ts';
import { SKETCH_RELATIVE_ERROR } from './stats/quantile-sketch.ts';
import { runWarnings } from './run-warnings.ts';
import { BatchTimelineFold, isBatchTimelineRecord } from './batch-timeline.ts';
import { FlexTierFold } from './flex-tiers.ts';

export interface SummaryOptions {
  /** Cells (row × repeat) kept for the HTML row explorer. @default 2000 */
  readonly sampleRows?: number;
  /** Bootstrap resamples per interval (reduced automatically for very large samples). @default 1000 */
  readonly resamples?: number;
}

export interface SummaryBuilder {
  /** Folds one record in. Records must arrive in journal order (run-start first). */
  add(record: JournalRecord): void;
  /** Computes every aggregate. Memoised: later calls return the same object. */
  finish(): RunSummary;
  /** The sampled rows for the row explorer, in (row index, repeat) order. */
  rows(): readonly SampledRow[];
  /** Distinct (row, repeat) cells seen, sampled or not. */
  cellsSeen(): number;
  /** The fold's number for this (row, repeat) cell, once a result of it was folded (any target). */
  cellNumber(result: { readonly rowId: string; readonly repeat: number }): number | undefined;
  /** Whether a result of this target's (row, repeat) was folded already. */
  hasResult(result: { readonly target: string; readonly rowId: string; readonly repeat: number }): boolean;
}

export function createSummaryBuilder(options: SummaryOptions = {}): SummaryBuilder {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const sampler = createRowSampler(options.sampleRows ?? DEFAULT_SAMPLE_ROWS);
  const targets = new Map<string, TargetAccumulator>();
  const cells = new CellIndex();
  const infos = new Map<string, TargetInfo>();
  const judging = new JudgingAccumulator();
  const batchJobs = new BatchTimelineFold();
  const flexTiers = new FlexTierFold();
  let start: RunStartRecord | null = null;
  let end: RunEndRecord | null = null;
  let summary: RunSummary | null = null;
  let sampledRows: SampledRow[] | null = null;

  const accumulator = (target: string): TargetAccumulator => {
    let acc = targets.get(target);
    if (!acc) {
      acc = new TargetAccumulator(target, infos.get(target), start?.slo, cells);
      targets.set(target, acc);
    }
    return acc;
  };

  return {
    add(record) {
      if (summary) throw new Error('createSummaryBuilder: add() after finish()');
      const any: { readonly kind: string } = record;
      if (isBatchTimelineRecord(any)) return batchJobs.add(any);
      switch (record.kind) {
        case 'run-start':
          // A resumed run appends a second run-start; the first describes the run.
          if (start) return;
          start = record;
          judging.setJudges(record.judges);
          flexTiers.start(record.targets);
          for (const info of record.targets) {
            infos.set(info.name, info);
            accumulator(info.name);
          }
          return;
        case 'attempt':
          // A judge's calls are the judge's: never the graded candidate's attempts, tokens or cost.
          if (record.role === 'judge') return judging.add(record);
          return accumulator(record.target).addAttempt(record);
        case 'result':
          accumulator(record.target).addResult(record);
          flexTiers.add(record);
          return sampler.add(record);
        case 'run-end':
          end = record;
          return;
      }
    },
    finish() {
      summary ??= build(start, end, [...targets.values()], judging, cells.size, resamples, batchJobs, flexTiers);
      return summary;
    },
    rows() {
      sampledRows ??= sampler.rows();
      return sampledRows;
    },
    // Every result numbers its cell (PairTable.set), so the index's size is the distinct cells with a result.
    cellsSeen: () => cells.size,
    cellNumber: (result) => cells.find(result),
    hasResult: (result) => targets.get(result.target)?.hasResult(result) ?? false,
  };
}

// --- internal ---

/** Runs at least this big collect garbage between the summary's steps (collectBetweenSteps). */
const COLLECT_FROM_CELLS = 20_000;

/**
 * Each pair's comparison and each target's summary allocate typed arrays of one value per row (clusters,
 * sums, sort orders: ~4 MB a target at 100k rows) that die when the step returns. V8 frees array
 * buffers only when it collects, so at 100k × 3 the steps stacked up 18 MB outside the heap and the
 * summary added 25 MB to the run's peak RSS (9 MB with a collection after each step). Below
 * COLLECT_FROM_CELLS the garbage is small and a collection would only cost time.
 */
function collectBetweenSteps(cells: number): void {
  if (cells >= COLLECT_FROM_CELLS) collectGarbage();
}

function build(
  start: RunStartRecord | null,
  end: RunEndRecord | null,
  targets: TargetAccumulator[],
  judgingFold: JudgingAccumulator,
  cellsSeen: number,
  resamples: number,
  batchFold: BatchTimelineFold,
  flexFold: FlexTierFold,
): RunSummary {
  const repeats = start?.repeats ?? 1;
  const pairwise = [];
  for (let i = 0; i < targets.length; i++) {
    for (let j = i + 1; j < targets.length; j++) pairwise.push(comparePair(targets[i]!, targets[j]!, resamples));
  }
  collectBetweenSteps(cellsSeen);
  const spans = targets.map((t) => t.span()).filter((s) => s !== null);
  const runStartMs = spans.length ? Math.min(...spans.map((s) => s.startMs)) : null;
  const runEndMs = spans.length ? Math.max(...spans.map((s) => s.endMs)) : null;
  const summaries = targets.map((t) => {
    const summary = t.finish(start, resamples);
    collectBetweenSteps(cellsSeen);
    return summary;
  });
  const judging = judgingFold.finish();
  // A total with an unpriced part would understate the run: unknown unless every part has a price.
  const parts = [...summaries.map((t) => t.cost?.total ?? null), ...(judging ? [judging.cost] : [])];
  const costs = parts.every((c) => c !== null) ? parts : [];
  const repeated = repeats > 1;
  const sketched = targets.some((t) => t.sketched);
  const batchJobs = batchFold.finish();
  const flexTiers = flexFold.finish();
  return {
    version: SUMMARY_VERSION,
    runId: start?.runId ?? null,
    dataset: start?.dataset ?? null,
    startedAt: start?.startedAt ?? null,
    endedAt: end?.endedAt ?? null,
    endReason: end?.reason ?? null,
    emulator: start?.emulator ?? false,
    configHash: start?.configHash ?? null,
    repeats,
    rows: start?.rows ?? Math.ceil(cellsSeen / repeats),
    scorers: start?.scorers ?? [],
    slo: start?.slo ?? null,
    thresholds: start?.thresholds ?? null,
    targets: summaries,
    pairwise,
    scheduler: end?.stats ?? null,
    pass: start?.pass ?? 'all',
    judging,
    totalCost: costs.length ? costs.reduce((a, b) => a + b, 0) : null,
    warnings: runWarnings(summaries, start?.targets ?? [], judging),
    series: chartSeries(targets, runStartMs, runEndMs),
    ...(flexTiers.length ? { flexTiers } : {}),
    ...(batchJobs.length ? { batchJobs } : {}),
    methods: {
      percentiles: `R-7 linear interpolation (Hyndman & Fan type 7)${
        sketched
          ? `; a metric of more than ${EXACT_LIMIT.toLocaleString('en-US')} values is read from a log-bucket sketch within ${SKETCH_RELATIVE_ERROR * 100}% relative error (DDSketch), with exact count, mean, stddev, min and max`
          : ''
      }`,
      intervals: `${
        repeated
          ? 'accuracy: Wilson score 95% on the effective sample size (design effect from the row-clustered SE; repeats of a row are not independent)'
          : 'accuracy: Wilson score 95%'
      }; means, percentiles and paired differences: seeded percentile bootstrap 95%, resampling rows${sketched ? '; percentiles of a sketched metric: distribution-free order-statistic 95%' : ''}`,
      bootstrapResamples: resamples,
    },
  };
}
