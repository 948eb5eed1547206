/**
 * One summary fold shared by every reporter of a run, so the bootstrap work is done once and the console,
 * markdown, JSON and HTML outputs show the same numbers. Each reporter forwards every record; the fan-out
 * hands the same record object to all reporters in turn, so a repeat of the last record is ignored.
 */
import type { JournalRecord } from '../types.ts';
import { createSummaryBuilder, type SummaryBuilder, type SummaryOptions } from './summarize.ts';

/** A SummaryBuilder whose `add` ignores a repeat of the record it just saw. */
export type SharedSummary = SummaryBuilder;

export function createSharedSummary(options?: SummaryOptions): SharedSummary {
  const builder = createSummaryBuilder(options);
  let last: JournalRecord | undefined;
  return {
    add(record) {
      if (record === last) return;
      last = record;
      builder.add(record);
    },
    finish: () => builder.finish(),
    rows: () => builder.rows(),
    cellsSeen: () => builder.cellsSeen(),
  };
}
