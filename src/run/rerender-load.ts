/**
 * Re-renders a load run's reports from its journal (`batchbench report DIR` on a load run, and the end
 * of every live run), sending nothing.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadJournalRecord } from '../report/load/load-records.ts';
import type { LoadSummary } from '../report/load/load-summary.ts';
import { writeLoadReports } from '../report/load/write-load-reports.ts';
import { readJournal } from '../sink/read-journal.ts';

export async function rerenderLoadRun(runDir: string): Promise<{ summary: LoadSummary; errors: string[] }> {
  const records: LoadJournalRecord[] = [];
  for await (const record of readJournal(join(runDir, 'journal.jsonl'))) records.push(record as unknown as LoadJournalRecord);
  return { summary: await writeLoadReports(records, runDir), errors: [] };
}

/** True when the run directory's journal starts with a load-start record (a `batchbench load` run). */
export async function isLoadRun(runDir: string): Promise<boolean> {
  let handle: FileHandle;
  try {
    handle = await open(join(runDir, 'journal.jsonl'), 'r');
  } catch {
    return false;
  }
  try {
    const buffer = Buffer.alloc(256);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return /^\{"v":1,"kind":"load-start"/.test(buffer.subarray(0, bytesRead).toString('utf8'));
  } finally {
    await handle.close();
  }
}
