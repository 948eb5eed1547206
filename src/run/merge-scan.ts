/**
 * First pass of `merge`: reads one run directory's journal just far enough to check it against its
 * siblings (identity, shard, whether it ended, which result keys it holds), without keeping records.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BenchError, UsageError } from '../errors.ts';
import { readJournal } from '../sink/read-journal.ts';
import type { JournalRecord, RunEndRecord, RunStartRecord } from '../types.ts';

/** What merge needs to know about one input run directory. */
export interface RunScan {
  /** The directory as the user gave it (for messages). */
  readonly label: string;
  /** Absolute path of the directory. */
  readonly dir: string;
  /** The first run-start record (a resumed journal appends more; the first describes the run). */
  readonly start: RunStartRecord;
  /** Every run-end record, in journal order (one per session of a resumed run). */
  readonly ends: readonly RunEndRecord[];
  /** Distinct result keys (`rowId|target|repeat`): a key re-run on resume counts once. */
  readonly keys: ReadonlySet<string>;
}

/**
 * Scans `dir/journal.jsonl`.
 * @param label how the user named the directory, used in every message
 * @throws UsageError when the directory has no journal, the journal is corrupt or has no run-start
 */
export async function scanRun(dir: string, label: string): Promise<RunScan> {
  const path = join(dir, 'journal.jsonl');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${label}: no such run directory`);
  if (!existsSync(path)) throw new UsageError(`${label}: not a run directory (no journal.jsonl)`);
  let start: RunStartRecord | undefined;
  const ends: RunEndRecord[] = [];
  const keys = new Set<string>();
  for await (const record of readRecords(path, label)) {
    if (record.kind === 'run-start') start ??= record;
    else if (record.kind === 'run-end') ends.push(record);
    else if (record.kind === 'result') keys.add(record.key);
  }
  if (!start) throw new UsageError(`${label}: journal.jsonl has no run-start record`);
  return { label, dir, start, ends, keys };
}

/** Journal records with read failures (corruption) re-raised as one-line usage errors naming the input. */
export async function* readRecords(path: string, label: string): AsyncGenerator<JournalRecord> {
  try {
    yield* readJournal(path);
  } catch (error) {
    if (error instanceof BenchError) throw new UsageError(`${label}: ${error.message}`);
    throw error;
  }
}

/** `2/4` for a sharded run, `unsharded` otherwise. */
export function shardLabel(start: RunStartRecord): string {
  return start.shard ? `${start.shard.index}/${start.shard.count}` : 'unsharded';
}
