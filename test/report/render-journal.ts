/** Renders a journal through the real reporters into a fresh temp directory (a test helper). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinReporterNames, createReporters, replayJournal, type ReporterFailure } from '../../src/report/registry.ts';
import type { ReporterOptions } from '../../src/report/reporter-options.ts';
import type { JournalRecord, Reporter } from '../../src/types.ts';

export interface Rendered {
  readonly dir: string;
  readonly lines: string[];
  readonly failures: ReporterFailure[];
  cleanup(): Promise<void>;
}

export async function renderJournal(
  records: Iterable<JournalRecord> | AsyncIterable<JournalRecord>,
  names: readonly (string | Reporter)[] = builtinReporterNames,
  options: Partial<ReporterOptions> = {},
): Promise<Rendered> {
  const dir = options.outDir ?? (await mkdtemp(join(tmpdir(), 'batchbench-report-')));
  const lines: string[] = [];
  const reporters = await createReporters(names, { outDir: dir, write: (l) => lines.push(l), summary: { resamples: 200 }, ...options });
  const failures = await replayJournal(records, reporters, dir);
  return { dir, lines, failures, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
