/**
 * Reads a journal back as records. A torn last line (the process died mid-write) is skipped; a bad
 * line anywhere else is corruption and names its line number.
 */
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { JournalError, UsageError } from '../errors.ts';
import type { JournalRecord } from '../types.ts';

export async function* readJournal(path: string): AsyncGenerator<JournalRecord> {
  try {
    await access(path);
  } catch {
    throw new UsageError(`no journal at ${path} (expected a run directory containing journal.jsonl)`);
  }
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let lineNo = 0;
  let pending: { line: string; no: number } | undefined;
  for await (const line of lines) {
    lineNo++;
    if (pending) {
      // A bad line followed by more lines is not a torn tail: it is corruption.
      throw new JournalError(`${path}:${pending.no}: corrupt journal line (not JSON)`);
    }
    if (line.trim() === '') continue;
    let record: JournalRecord;
    try {
      record = JSON.parse(line) as JournalRecord;
    } catch {
      pending = { line, no: lineNo };
      continue;
    }
    if (typeof record !== 'object' || record === null || typeof (record as { kind?: unknown }).kind !== 'string') {
      throw new JournalError(`${path}:${lineNo}: not a journal record`);
    }
    yield record;
  }
}
