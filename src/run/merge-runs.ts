/**
 * `batchbench merge`: combines the run directories of `eval --shard i/n` into one run directory whose
 * journal reads as a single unsharded run, then renders every report from it. Nothing is written
 * until every input has been checked, so a refused merge leaves no half-made run behind.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, parse, resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { openJournal } from '../sink/jsonl-journal.ts';
import type { RunEndRecord } from '../types.ts';
import { checkMergeable } from './merge-checks.ts';
import { writeMergedManifest } from './merge-manifest.ts';
import { mergedRunEnd, mergedRunStart } from './merge-records.ts';
import { mergedThresholdFailures } from './merge-thresholds.ts';
import { readRecords, scanRun, type RunScan } from './merge-scan.ts';
import { rerenderRun } from './replay-journal.ts';
import { newRunId } from './run-directory.ts';

export interface MergeOptions {
  /** Directory the inputs and `outDir` are resolved against. @default process.cwd() */
  readonly cwd?: string;
  /** Environment for the reporters (e.g. GITHUB_STEP_SUMMARY, which the markdown reporter appends to). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Terminal output for the console summary; omitted = no console summary. */
  readonly write?: (line: string) => void;
  /** Run id of the merged run. @default `<earliest start>-<dataset>-merged` */
  readonly runId?: string;
}

export interface MergeResult {
  /** Absolute path of the merged run directory. */
  readonly runDir: string;
  readonly runId: string;
  /** Number of input runs merged. */
  readonly shards: number;
  /** Rows of the merged run (sum over shards); null when a journal did not record its rows. */
  readonly rows: number | null;
  /** Distinct result records (one per row × target × repeat). */
  readonly results: number;
  /** `completed` only when every shard's final session completed. */
  readonly reason: RunEndRecord['reason'];
  /** Reporters that failed while rendering (the journal is written regardless). */
  readonly reportErrors: readonly string[];
  /** The config's thresholds (as recorded in the journal) that the merged run fails, one line each. */
  readonly thresholdFailures: readonly string[];
}

/**
 * Merges shard run directories into `outDir`.
 * @param dirs the shard run directories, in any order
 * @param outDir must not exist or be empty
 * @throws UsageError (one line) for overlaps, gaps, mismatched configs, unfinished or incomplete shards, a non-empty outDir
 */
export async function mergeRuns(dirs: readonly string[], outDir: string, options: MergeOptions): Promise<MergeResult> {
  const cwd = options.cwd ?? process.cwd();
  const runDir = resolve(cwd, outDir);
  checkOutDir(runDir, outDir);
  const scans: RunScan[] = [];
  for (const dir of dirs) scans.push(await scanRun(resolve(cwd, dir), dir));
  const ordered = checkMergeable(scans);

  const start = mergedRunStart(ordered, options.runId ?? defaultRunId(ordered));
  const end = mergedRunEnd(ordered);
  await mkdir(runDir, { recursive: true });
  const journal = await openJournal(join(runDir, 'journal.jsonl'), { syncEvery: 5_000 });
  try {
    await journal.write(start);
    // Shard by shard, each in its own journal order, so a resumed shard's re-run of a key still comes
    // after the result it replaces, exactly as when that shard is rendered on its own.
    for (const scan of ordered) {
      for await (const record of readRecords(join(scan.dir, 'journal.jsonl'), scan.label)) {
        if (record.kind === 'attempt' || record.kind === 'result') await journal.write(record);
      }
    }
    await journal.write(end);
  } finally {
    await journal.close();
  }
  await writeMergedManifest(ordered[0]!.dir, runDir, start.runId);

  const { errors } = await rerenderRun({ runDir, env: options.env, ...(options.write ? { write: options.write } : {}) });
  return {
    runDir,
    runId: start.runId,
    shards: ordered.length,
    rows: start.rows,
    results: ordered.reduce((sum, scan) => sum + scan.keys.size, 0),
    reason: end.reason,
    reportErrors: errors,
    thresholdFailures: await mergedThresholdFailures(runDir, start),
  };
}

// --- internal ---

function checkOutDir(runDir: string, given: string): void {
  if (!existsSync(runDir)) return;
  if (!statSync(runDir).isDirectory()) throw new UsageError(`--out ${given}: exists and is not a directory`);
  if (readdirSync(runDir).length > 0)
    throw new UsageError(`--out ${given}: directory is not empty; merge writes a new run directory (choose another or remove it)`);
}

/** Named after the earliest shard start, like a run started then, and marked as a merge. */
function defaultRunId(ordered: readonly RunScan[]): string {
  const startedAt = Math.min(...ordered.map((scan) => Date.parse(scan.start.startedAt)));
  const dataset = parse(ordered[0]!.start.dataset).name;
  return newRunId(new Date(Number.isFinite(startedAt) ? startedAt : 0), `${dataset}-merged`);
}
