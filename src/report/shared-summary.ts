/**
 * One summary fold shared by every built-in reporter of a run, so the bootstrap work is done once and the
 * console, markdown, JSON and HTML outputs show the same numbers.
 *
 * The fold is fed by the fan-out (`runReporters`), exactly once per record and before any reporter hook
 * sees that record — never by the reporters themselves. A reporter built on the fold is linked to it with
 * `linkSummary`; the fan-out feeds each distinct linked fold once. The fold also refuses a result key
 * it has already folded, so a double feed fails loudly (a reporter error, exit 3) instead of doubling
 * every count in the reports.
 */
import type { JournalRecord, Reporter } from '../types.ts';
import { createSummaryBuilder, type SummaryBuilder, type SummaryOptions } from './summarize.ts';

export type SharedSummary = SummaryBuilder;

export function createSharedSummary(options?: SummaryOptions): SharedSummary {
  const builder = createSummaryBuilder(options);
  return {
    add(record) {
      // A cell has one final record in a journal (resume skips finished keys; --retry-errors drops the
      // old one). Asked of the fold itself, which holds its cells compactly, not a set of key strings.
      if (record.kind === 'result' && builder.hasResult(record)) {
        throw new Error(`summary fold: result ${record.key} folded twice (a record was fed more than once)`);
      }
      builder.add(record);
    },
    finish: () => builder.finish(),
    rows: () => builder.rows(),
    cellsSeen: () => builder.cellsSeen(),
    cellNumber: (result) => builder.cellNumber(result),
    hasResult: (result) => builder.hasResult(result),
  };
}

const links = new WeakMap<Reporter, SharedSummary>();

/** Marks `reporter` as rendering from `summary`: the fan-out will feed that summary once per record. */
export function linkSummary<R extends Reporter>(reporter: R, summary: SharedSummary): R {
  links.set(reporter, summary);
  return reporter;
}

/** The distinct folds linked to these reporters, in first-seen order. */
export function linkedSummaries(reporters: readonly Reporter[]): SharedSummary[] {
  const seen = new Set<SharedSummary>();
  for (const reporter of reporters) {
    const summary = links.get(reporter);
    if (summary) seen.add(summary);
  }
  return [...seen];
}

/** Feeds one record to each fold (the fan-out's first step). */
export function feedSummaries(summaries: readonly SharedSummary[], record: JournalRecord): void {
  for (const summary of summaries) summary.add(record);
}
