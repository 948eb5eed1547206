/**
 * Built-in reporters by name, their construction, and the fan-out that feeds journal records to them.
 * The live run and `batchbench report <run-dir>` both go through `runReporters`, so a re-render writes
 * exactly what the run wrote. The HTML reporter (Chart.js inlined) is loaded only when asked for.
 */
import type { JournalRecord, Reporter, RunEndRecord } from '../types.ts';
import { createConsoleReporter } from './console-reporter.ts';
import { createCsvReporter } from './csv-reporter.ts';
import { createJsonReporter } from './json-reporter.ts';
import { createJunitReporter } from './junit-reporter.ts';
import { createMarkdownReporter } from './markdown-reporter.ts';
import type { ReporterOptions } from './reporter-options.ts';
import { createSharedSummary, type SharedSummary } from './shared-summary.ts';

export type { ReporterOptions } from './reporter-options.ts';

export type ReporterFactory = (options: ReporterOptions, summary: SharedSummary) => Reporter | Promise<Reporter>;

export const reporterFactories = {
  console: createConsoleReporter,
  csv: createCsvReporter,
  json: createJsonReporter,
  markdown: createMarkdownReporter,
  junit: createJunitReporter,
  html: async (options, summary) => (await import('./html-reporter.ts')).createHtmlReporter(options, summary),
} as const satisfies Record<string, ReporterFactory>;

export type BuiltinReporterName = keyof typeof reporterFactories;

/** Every built-in reporter name, in the order outputs are written. */
export const builtinReporterNames = Object.keys(reporterFactories) as BuiltinReporterName[];

/** A reporter hook that threw; the fan-out keeps going and hands these back. */
export interface ReporterFailure {
  readonly reporter: string;
  readonly hook: 'onRunStart' | 'onAttempt' | 'onResult' | 'onRunEnd';
  readonly error: unknown;
}

/**
 * Builds reporters by name (config entries may also be ready-made Reporter instances, e.g. from
 * `defineReporter`). All built-ins of one call share one summary, so numbers agree across outputs.
 * @throws Error naming the unknown reporter and the known ones
 */
export async function createReporters(entries: readonly (string | Reporter)[], options: ReporterOptions): Promise<Reporter[]> {
  const summary = createSharedSummary(options.summary);
  const reporters: Reporter[] = [];
  for (const entry of entries) {
    if (typeof entry !== 'string') {
      reporters.push(entry);
      continue;
    }
    const factory = (reporterFactories as Record<string, ReporterFactory>)[entry];
    if (!factory) throw new Error(`unknown reporter "${entry}"; known reporters: ${builtinReporterNames.join(', ')}`);
    reporters.push(await factory(options, summary));
  }
  return reporters;
}

/**
 * Calls the hook matching `record.kind` on every reporter, in order, awaiting each (so streaming
 * reporters apply backpressure to the caller). Errors are collected, not thrown: one broken reporter
 * must not lose the others' output.
 */
export async function runReporters(reporters: readonly Reporter[], record: JournalRecord, outDir: string): Promise<ReporterFailure[]> {
  const failures: ReporterFailure[] = [];
  for (const reporter of reporters) {
    const hook = hookFor(record);
    try {
      switch (record.kind) {
        case 'run-start': await reporter.onRunStart?.(record); break;
        case 'attempt': await reporter.onAttempt?.(record); break;
        case 'result': await reporter.onResult?.(record); break;
        case 'run-end': await reporter.onRunEnd?.(record, outDir); break;
      }
    } catch (error) {
      failures.push({ reporter: reporter.name, hook, error });
    }
  }
  return failures;
}

export interface ReplayOptions {
  /**
   * Dispatch the run end after the last record. `false` feeds a resumed run's earlier records to the
   * live run's reporters, which see the new run's end later. @default true
   */
  readonly finish?: boolean;
}

/**
 * Feeds a whole journal (e.g. `readJournal(path)`) through the reporters: the `report` command's core.
 * Run-end records are held back and only the last one is dispatched, after every other record, so a
 * resumed journal (start, …, end, start, …, end) renders as one run. A journal without a run-end (the
 * process died) gets one with reason 'aborted', its time taken from the last attempt or result.
 */
export async function replayJournal(
  records: AsyncIterable<JournalRecord> | Iterable<JournalRecord>,
  reporters: readonly Reporter[],
  outDir: string,
  options: ReplayOptions = {},
): Promise<ReporterFailure[]> {
  const failures: ReporterFailure[] = [];
  const tally = { items: 0, attempts: 0, quota429: 0, capacity429: 0, lastMs: 0 };
  let end: RunEndRecord | null = null;
  for await (const record of records) {
    if (record.kind === 'run-end') {
      end = record;
      continue;
    }
    countRecord(tally, record);
    failures.push(...(await runReporters(reporters, record, outDir)));
  }
  if (options.finish === false) return failures;
  end ??= {
    v: 1, kind: 'run-end', endedAt: new Date(tally.lastMs).toISOString(), reason: 'aborted',
    stats: { items: tally.items, attempts: tally.attempts, quota429: tally.quota429, capacity429: tally.capacity429, pausedMs: 0, peakInFlight: 0 },
  };
  failures.push(...(await runReporters(reporters, end, outDir)));
  return failures;
}

// --- internal ---

function hookFor(record: JournalRecord): ReporterFailure['hook'] {
  return record.kind === 'run-start' ? 'onRunStart' : record.kind === 'attempt' ? 'onAttempt' : record.kind === 'result' ? 'onResult' : 'onRunEnd';
}

function countRecord(tally: { items: number; attempts: number; quota429: number; capacity429: number; lastMs: number }, record: JournalRecord): void {
  if (record.kind === 'attempt') {
    tally.attempts++;
    if (record.outcome === 'quota') tally.quota429++;
    if (record.outcome === 'capacity') tally.capacity429++;
    tally.lastMs = Math.max(tally.lastMs, record.timing.startedAt + record.timing.endMs);
  } else if (record.kind === 'result') {
    tally.items++;
    if (record.status === 'ok') tally.lastMs = Math.max(tally.lastMs, record.timing.startedAt + record.timing.endMs);
  }
}
