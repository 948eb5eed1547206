/**
 * The rules that make a set of shard runs one run: same config and dataset, every shard exactly once,
 * no result in two places, every shard finished and complete. Each broken rule is one line that names
 * the directories involved and says what to do, because a wrong merge would silently skew every number.
 */
import { UsageError } from '../errors.ts';
import type { RunStartRecord } from '../types.ts';
import { shardLabel, type RunScan } from './merge-scan.ts';

/**
 * Checks that `scans` form one complete run and returns them in shard order.
 * A single unsharded run is accepted on its own (the merge is then a copy), never mixed with shards.
 * @throws UsageError naming the first broken rule
 */
export function checkMergeable(scans: readonly RunScan[]): RunScan[] {
  if (scans.length === 0) throw new UsageError('merge: name at least one run directory');
  const unsharded = scans.filter((scan) => !scan.start.shard);
  if (unsharded.length > 0 && scans.length > 1) {
    throw new UsageError(
      `${unsharded[0]!.label} is not a shard run (it was not run with --shard i/n); merge combines the shards of one run`,
    );
  }
  checkSameRun(scans);
  const ordered = [...scans].sort((a, b) => (a.start.shard?.index ?? 1) - (b.start.shard?.index ?? 1));
  if (unsharded.length === 0) checkShardSet(ordered);
  checkNoOverlap(ordered);
  for (const scan of ordered) checkFinished(scan);
  return ordered;
}

/** Expected results of a run: rows × targets × repeats (null when the journal does not say its rows). */
export function expectedResults(start: RunStartRecord): number | null {
  return start.rows === null ? null : start.rows * start.targets.length * start.repeats;
}

// --- internal ---

/** Every identity field must match the first run's; the config hash is checked first because it explains the others. */
function checkSameRun(scans: readonly RunScan[]): void {
  const first = scans[0]!;
  const identity: readonly { name: string; of: (start: RunStartRecord) => string; hint: string }[] = [
    { name: 'config', of: (s) => s.configHash.slice(0, 12), hint: 'run every shard with the same config' },
    { name: 'shard count', of: (s) => String(s.shard?.count ?? 1), hint: 'run every shard with the same --shard …/N' },
    { name: 'dataset', of: (s) => s.dataset, hint: 'run every shard on the same dataset' },
    {
      name: 'dataset size',
      of: (s) => (s.datasetRows === undefined ? 'unknown' : `${s.datasetRows} rows`),
      hint: 'the dataset changed between shards; rerun them on one version',
    },
    { name: 'targets', of: (s) => s.targets.map((t) => t.name).join(', '), hint: 'run every shard with the same targets' },
    { name: 'repeats', of: (s) => String(s.repeats), hint: 'run every shard with the same --repeats' },
    { name: 'scorers', of: (s) => s.scorers.join(', '), hint: 'run every shard with the same scorers' },
  ];
  for (const field of identity) {
    const expected = field.of(first.start);
    const other = scans.find((scan) => field.of(scan.start) !== expected);
    if (other) {
      throw new UsageError(
        `${field.name} differs between shards: ${describe(first)} has ${field.of(first.start)}, ${describe(other)} has ${field.of(other.start)}; ${field.hint}`,
      );
    }
  }
}

/** Shard indexes must be exactly 1..N, each once. `ordered` is sorted by index and shares one count. */
function checkShardSet(ordered: readonly RunScan[]): void {
  const count = ordered[0]!.start.shard!.count;
  for (let i = 1; i < ordered.length; i++) {
    const previous = ordered[i - 1]!;
    const scan = ordered[i]!;
    if (scan.start.shard!.index === previous.start.shard!.index) {
      throw new UsageError(`shard ${shardLabel(scan.start)} given twice (${previous.label}, ${scan.label})`);
    }
  }
  const have = new Set(ordered.map((scan) => scan.start.shard!.index));
  const missing: string[] = [];
  for (let index = 1; index <= count; index++) if (!have.has(index)) missing.push(`${index}/${count}`);
  if (missing.length > 0) {
    const haveList = ordered.map((scan) => shardLabel(scan.start)).join(', ');
    throw new UsageError(`missing shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (have ${haveList})`);
  }
}

/** A result key in two directories means the shards were not split the same way (or one was copied). */
function checkNoOverlap(ordered: readonly RunScan[]): void {
  const owner = new Map<string, RunScan>();
  for (const scan of ordered) {
    for (const key of scan.keys) {
      const previous = owner.get(key);
      if (previous)
        throw new UsageError(`result ${key} appears in both ${describe(previous)} and ${describe(scan)}; shards must not overlap`);
      owner.set(key, scan);
    }
  }
}

/** A shard must have ended and hold one result per (row, target, repeat) it was given. */
function checkFinished(scan: RunScan): void {
  if (scan.ends.length === 0) {
    throw new UsageError(`${describe(scan)} did not finish (no run-end record); resume or rerun that shard, then merge`);
  }
  const expected = expectedResults(scan.start);
  if (expected !== null && scan.keys.size !== expected) {
    const { rows, repeats, targets } = scan.start;
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    throw new UsageError(
      `${describe(scan)} is incomplete: ${scan.keys.size} of ${expected} results (${plural(rows ?? 0, 'row')} × ${plural(targets.length, 'target')} × ${plural(repeats, 'repeat')}); resume or rerun that shard, then merge`,
    );
  }
}

function describe(scan: RunScan): string {
  return scan.start.shard ? `shard ${shardLabel(scan.start)} (${scan.label})` : scan.label;
}
