/**
 * Counts of final records as the run goes, and which targets could not be completed (and why): what
 * decides exit code 3 and the "could not be completed" lines.
 */
import type { Outcome, ResultRecord } from '../types.ts';

export interface RunTally {
  ok: number;
  failed: number;
  byReason: Record<string, number>;
  /** Target → failure categories that make the run incomplete (auth, not_found, …). */
  blocked: Map<string, Set<string>>;
}

export function countResult(tally: RunTally, record: ResultRecord, outcome: Outcome): void {
  if (record.status === 'ok') {
    tally.ok++;
    return;
  }
  tally.failed++;
  tally.byReason[record.reason] = (tally.byReason[record.reason] ?? 0) + 1;
  if (outcome.status === 'failed' && outcome.reason !== 'fatal') {
    const set = tally.blocked.get(record.target) ?? new Set<string>();
    set.add(`${outcome.reason}${outcome.error.category ? ` (${outcome.error.category})` : ''}`);
    tally.blocked.set(record.target, set);
  } else if (record.error.category === 'auth' || record.error.category === 'not_found') {
    const set = tally.blocked.get(record.target) ?? new Set<string>();
    set.add(record.error.category);
    tally.blocked.set(record.target, set);
  }
}
