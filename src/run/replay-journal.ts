/**
 * `batchbench report <run-dir>`: feeds an existing journal through the same reporters the live run
 * used, so every output is re-created byte for byte without sending a request.
 */
import { join } from 'node:path';
import { readJournal } from '../sink/read-journal.ts';
import { replayJournal } from '../report/registry.ts';
import { createRunReporters } from './run-reporters.ts';
import { storedBaselineTracker } from './baseline-input.ts';

export interface ReplayOptions {
  readonly runDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly write?: (line: string) => void;
}

export async function rerenderRun(options: ReplayOptions): Promise<{ errors: string[] }> {
  const tracker = await storedBaselineTracker(options.runDir);
  const set = await createRunReporters({
    outDir: options.runDir,
    env: options.env,
    write: options.write,
    ...(tracker ? { baseline: tracker.section, extra: [tracker] } : {}),
  });
  const failures = await replayJournal(readJournal(join(options.runDir, 'journal.jsonl')), set.reporters, options.runDir);
  return { errors: failures.map((f) => `reporter ${f.reporter} failed in ${f.hook}: ${(f.error as Error)?.message ?? String(f.error)}`) };
}
