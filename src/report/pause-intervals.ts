/**
 * Paused time read from the journal: a quota 429 pauses its deployment for the server's retry-after
 * hint (the scheduler waits at least that long), so each such attempt marks [its end, end + hint].
 * Overlapping pauses count once. 429s without a hint are not counted (the scheduler's own backoff is
 * not in the journal); the run's scheduler total (`scheduler.pausedMs`) includes them.
 */
import type { AttemptRecord } from '../types.ts';

export type PauseInterval = readonly [startMs: number, endMs: number];

/** The pause a quota attempt implies, or undefined. */
export function pauseOf(record: AttemptRecord): PauseInterval | undefined {
  if (record.outcome !== 'quota') return undefined;
  const hint = record.rate?.retryAfterMs;
  if (hint === undefined || !Number.isFinite(hint) || hint <= 0) return undefined;
  const start = record.timing.startedAt + record.timing.endMs;
  return [start, start + hint];
}

/** Length of the union of intervals. @unit milliseconds */
export function unionMs(intervals: readonly PauseInterval[]): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let total = 0;
  let from = Number.NEGATIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const [start, end] of sorted) {
    if (start > to) {
      if (to > from) total += to - from;
      from = start;
      to = end;
    } else if (end > to) to = end;
  }
  if (to > from) total += to - from;
  return total;
}
