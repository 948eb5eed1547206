/**
 * The one path from journal records to reporters, used by the live run and by `batchbench report DIR`
 * alike, so every output is the same function of journal.jsonl on every path.
 *
 * - `push` calls are serialised: records reach the summary fold and the reporters one at a time, in the
 *   order they were pushed (the run pushes in journal order, right after writing each line), never
 *   interleaved however the callers' async hooks overlap.
 * - Run-end records are held back; `finish` dispatches one run end after every other record. Its reason
 *   and time are the last session's; its counts are folded from the records themselves (attempts, 429s
 *   and results of the graded targets — judge calls have their own Judging line), its pause time summed
 *   and its peak the highest over the sessions. So a resumed run's attempts line covers the whole run,
 *   and a journal without a run-end (killed process) still renders.
 */
import type { JournalRecord, Reporter, RunEndRecord } from '../types.ts';
import { feedSummaries, linkedSummaries } from './shared-summary.ts';
import { isBatchTimelineRecord } from './batch-timeline.ts';
import { collectGarbage } from '../internal/collect-garbage.ts';

export interface ReportFeed {
  /** Folds and dispatches one record after every earlier push has been dispatched. */
  push(record: JournalRecord): Promise<void>;
  /** Dispatches the run end (see above) once every push is done; returns every reporter failure. */
  finish(): Promise<ReporterFailure[]>;
  /** Reporter failures so far. */
  readonly failures: readonly ReporterFailure[];
  /** Attempts of the graded targets fed so far (what the progress line and the summary both count). */
  attempts(): number;
}

export function createReportFeed(reporters: readonly Reporter[], outDir: string): ReportFeed {
  const failures: ReporterFailure[] = [];
  const tally = { items: 0, attempts: 0, quota429: 0, capacity429: 0, lastMs: 0, pausedMs: 0, peak: 0 };
  let lastEnd: RunEndRecord | null = null;
  let chain: Promise<void> = Promise.resolve();
  let finished = false;

  const dispatch = async (record: JournalRecord): Promise<void> => {
    if (record.kind === 'run-end') {
      lastEnd = record;
      tally.pausedMs += record.stats.pausedMs;
      tally.peak = Math.max(tally.peak, record.stats.peakInFlight);
      return;
    }
    countRecord(tally, record);
    failures.push(...(await runReporters(reporters, record, outDir)));
  };

  return {
    push(record) {
      if (finished) return Promise.reject(new Error('report feed: push() after finish()'));
      chain = chain.then(() => dispatch(record));
      return chain;
    },
    async finish() {
      finished = true;
      await chain;
      const last = lastEnd as RunEndRecord | null;
      const end: RunEndRecord = {
        v: 1,
        kind: 'run-end',
        endedAt: last?.endedAt ?? new Date(tally.lastMs).toISOString(),
        reason: last?.reason ?? 'aborted',
        stats: {
          items: tally.items,
          attempts: tally.attempts,
          quota429: tally.quota429,
          capacity429: tally.capacity429,
          pausedMs: tally.pausedMs,
          peakInFlight: tally.peak,
        },
      };
      failures.push(...(await runReporters(reporters, end, outDir)));
      return failures;
    },
    failures,
    attempts: () => tally.attempts,
  };
}

/** A reporter hook that threw; the fan-out keeps going and hands these back. */
export interface ReporterFailure {
  readonly reporter: string;
  readonly hook: 'onRunStart' | 'onAttempt' | 'onResult' | 'onRunEnd';
  readonly error: unknown;
}

/**
 * Feeds the reporters' shared summary fold once, then calls the hook matching `record.kind` on every
 * reporter, in order, awaiting each (so streaming reporters apply backpressure to the caller). Errors
 * are collected, not thrown: one broken reporter must not lose the others' output. Callers must not
 * overlap calls (the run and the re-render both go through `createReportFeed`, which serialises them).
 */
export async function runReporters(reporters: readonly Reporter[], record: JournalRecord, outDir: string): Promise<ReporterFailure[]> {
  const failures: ReporterFailure[] = [];
  try {
    // Global Batch records feed the fold's job timeline; no reporter hook sees them.
    if (
      record.kind === 'run-start' ||
      record.kind === 'attempt' ||
      record.kind === 'result' ||
      record.kind === 'run-end' ||
      isBatchTimelineRecord(record)
    )
      feedSummaries(linkedSummaries(reporters), record);
  } catch (error) {
    failures.push({ reporter: 'summary', hook: hookFor(record), error });
  }
  for (const reporter of reporters) {
    const hook = hookFor(record);
    // Each reporter's last step allocates a lot that dies when it returns: collect the run's and the
    // previous writer's garbage first, so the steps do not stack up (collect-garbage.ts says how much).
    if (record.kind === 'run-end') collectGarbage();
    try {
      switch (record.kind) {
        case 'run-start':
          await reporter.onRunStart?.(record);
          break;
        case 'attempt':
          await reporter.onAttempt?.(record);
          break;
        case 'result':
          await reporter.onResult?.(record);
          break;
        case 'run-end':
          await reporter.onRunEnd?.(record, outDir);
          break;
      }
    } catch (error) {
      failures.push({ reporter: reporter.name, hook, error });
    }
  }
  return failures;
}

export interface ReplayOptions {
  /**
   * Dispatch the run end after the last record. `false` only feeds the records (no run end). @default true
   */
  readonly finish?: boolean;
}

/**
 * Feeds a whole journal (e.g. `readJournal(path)`) through the reporters: the `report` command's core,
 * through the same feed the live run uses (report-feed.ts: run ends held back, one dispatched last).
 */
export async function replayJournal(
  records: AsyncIterable<JournalRecord> | Iterable<JournalRecord>,
  reporters: readonly Reporter[],
  outDir: string,
  options: ReplayOptions = {},
): Promise<ReporterFailure[]> {
  const feed = createReportFeed(reporters, outDir);
  for await (const record of records) await feed.push(record);
  if (options.finish === false) return [...feed.failures];
  return feed.finish();
}

function hookFor(record: JournalRecord): ReporterFailure['hook'] {
  return record.kind === 'run-start'
    ? 'onRunStart'
    : record.kind === 'attempt'
      ? 'onAttempt'
      : record.kind === 'result'
        ? 'onResult'
        : 'onRunEnd';
}

// --- internal ---

function countRecord(
  tally: { items: number; attempts: number; quota429: number; capacity429: number; lastMs: number },
  record: JournalRecord,
): void {
  if (record.kind === 'attempt') {
    tally.lastMs = Math.max(tally.lastMs, record.timing.startedAt + record.timing.endMs);
    if (record.role === 'judge') return;
    tally.attempts++;
    if (record.outcome === 'quota') tally.quota429++;
    if (record.outcome === 'capacity') tally.capacity429++;
  } else if (record.kind === 'result') {
    tally.items++;
    if (record.status === 'ok') tally.lastMs = Math.max(tally.lastMs, record.timing.startedAt + record.timing.endMs);
  }
}
