/**
 * The run-start and run-end records of a merged run: one run, as if it had not been sharded, with the
 * shards' time span and their scheduler statistics combined.
 */
import type { RunEndRecord, RunStartRecord, SchedulerStats } from '../types.ts';
import type { RunScan } from './merge-scan.ts';

/**
 * The merged run-start: the first shard's description without `shard`, rows summed, the earliest
 * start time. Targets (with their base URLs) come from the first shard; the config hash already
 * guarantees the shards agree on everything else.
 */
export function mergedRunStart(ordered: readonly RunScan[], runId: string): RunStartRecord {
  const first = ordered[0]!.start;
  const { shard: _shard, ...rest } = first;
  const rows = ordered.some((scan) => scan.start.rows === null) ? null : ordered.reduce((sum, scan) => sum + scan.start.rows!, 0);
  return {
    ...rest,
    runId,
    startedAt: earliest(ordered.map((scan) => scan.start.startedAt)),
    rows,
    emulator: ordered.every((scan) => scan.start.emulator),
  };
}

/**
 * The merged run-end: the latest end time, every session's counters summed (a resumed shard has one
 * run-end per session), and the worst reason of any shard's final session.
 */
export function mergedRunEnd(ordered: readonly RunScan[]): RunEndRecord {
  const ends = ordered.flatMap((scan) => scan.ends);
  const finals = ordered.map((scan) => scan.ends.at(-1)!);
  const stats: SchedulerStats = {
    items: sum(ends, (s) => s.items),
    attempts: sum(ends, (s) => s.attempts),
    quota429: sum(ends, (s) => s.quota429),
    capacity429: sum(ends, (s) => s.capacity429),
    pausedMs: sum(ends, (s) => s.pausedMs),
    // Shards usually run at the same time on separate machines, so no one process saw the combined
    // peak; the largest single peak is the figure that was actually observed.
    peakInFlight: Math.max(0, ...ends.map((end) => end.stats.peakInFlight)),
  };
  const reasons = finals.map((end) => end.reason);
  const reason: RunEndRecord['reason'] = reasons.includes('failed')
    ? 'failed'
    : reasons.includes('aborted')
      ? 'aborted'
      : reasons.includes('incomplete')
        ? 'incomplete'
        : 'completed';
  return { v: 1, kind: 'run-end', endedAt: latest(finals.map((end) => end.endedAt)), reason, stats };
}

// --- internal ---

function sum(ends: readonly RunEndRecord[], pick: (stats: SchedulerStats) => number): number {
  return ends.reduce((total, end) => total + pick(end.stats), 0);
}

function earliest(isoTimes: readonly string[]): string {
  return isoTimes.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
}

function latest(isoTimes: readonly string[]): string {
  return isoTimes.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
}
