/** Variations of the synthetic journal: what a later run that got worse (or changed) would journal. */
import type { JournalRecord, ResultOk, ResultRecord, RunStartRecord } from '../../../src/types.ts';
import { createJournalFixture } from '../../support/journal-fixture.ts';

export const TARGET = 'gpt-4o';

export function baseJournal(rows = 60): JournalRecord[] {
  return createJournalFixture({ rows, payloads: false, seed: 11 });
}

/** Maps every result record of `target` (others pass through unchanged). */
export function mapResults(
  records: readonly JournalRecord[],
  target: string,
  map: (r: ResultRecord) => ResultRecord | null,
): JournalRecord[] {
  return records.flatMap((r) => {
    if (r.kind !== 'result' || r.target !== target) return [r];
    const mapped = map(r);
    return mapped ? [mapped] : [];
  });
}

/** Turns passes into fails on rows where `pick(rowIndex)` holds. */
export function failRows(records: readonly JournalRecord[], target: string, pick: (rowIndex: number) => boolean): JournalRecord[] {
  return mapResults(records, target, (r) => (r.status === 'ok' && r.passed && pick(r.rowIndex) ? asFailed(r) : r));
}

export function asFailed(r: ResultOk): ResultOk {
  return { ...r, passed: false, scores: r.scores.map((s) => (s.status === 'ok' ? { ...s, value: 0, passed: false } : s)) };
}

/** Multiplies the final-attempt latency (and TTFT) of every successful result of `target`. */
export function slowDown(records: readonly JournalRecord[], target: string, factor: number): JournalRecord[] {
  return mapResults(records, target, (r) =>
    r.status === 'ok'
      ? {
          ...r,
          timing: {
            ...r.timing,
            endMs: r.timing.endMs * factor,
            ...(r.timing.firstTokenMs === undefined ? {} : { firstTokenMs: r.timing.firstTokenMs * factor }),
          },
        }
      : r,
  );
}

/** Raises the price of `target` in the run-start record (cost per item follows). */
export function reprice(records: readonly JournalRecord[], target: string, factor: number): JournalRecord[] {
  return records.map((r) => {
    if (r.kind !== 'run-start') return r;
    const targets = r.targets.map((t) =>
      t.name === target && t.price
        ? {
            ...t,
            price: {
              input: t.price.input * factor,
              output: t.price.output * factor,
              ...(t.price.cachedInput === undefined ? {} : { cachedInput: t.price.cachedInput * factor }),
            },
          }
        : t,
    );
    return { ...r, targets } satisfies RunStartRecord;
  });
}

/** Removes `target` from the run entirely. */
export function dropTarget(records: readonly JournalRecord[], target: string): JournalRecord[] {
  return records
    .filter((r) => !((r.kind === 'result' || r.kind === 'attempt') && r.target === target))
    .map((r) => (r.kind === 'run-start' ? { ...r, targets: r.targets.filter((t) => t.name !== target) } : r));
}

/** Results of the run, for direct inspection. */
export function results(records: readonly JournalRecord[], target: string): ResultRecord[] {
  return records.filter((r): r is ResultRecord => r.kind === 'result' && r.target === target);
}
