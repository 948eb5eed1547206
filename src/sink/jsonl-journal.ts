/**
 * The append-only run journal: one JSON object per line, appended as soon as it is known. Each line is
 * handed to the kernel synchronously (one write(2) per record), so the moment a response is received
 * and recorded are as close as they can be: a process killed with SIGKILL right after loses nothing it
 * had recorded, which is what lets --resume avoid sending a completed request again. fsync runs in
 * batches (for power loss); a torn last line is tolerated by the reader.
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { JournalError } from '../errors.ts';
import type { JournalRecord, ResultSink } from '../types.ts';

export interface JournalSinkOptions {
  /** Append to an existing journal (resume) instead of failing when it exists. @default false */
  readonly append?: boolean;
  /** fsync after this many records. @default 500 */
  readonly syncEvery?: number;
}

export async function openJournal(path: string, options: JournalSinkOptions = {}): Promise<ResultSink> {
  let fd: number;
  try {
    fd = openSync(path, options.append ? 'a' : 'wx');
  } catch (error) {
    throw new JournalError(`cannot open journal ${path}: ${(error as Error).message}`, { cause: error });
  }
  return new JsonlJournal(fd, path, options.syncEvery ?? 500);
}

// --- internal ---

class JsonlJournal implements ResultSink {
  #fd: number | undefined;
  readonly #path: string;
  readonly #syncEvery: number;
  #sinceSync = 0;

  constructor(fd: number, path: string, syncEvery: number) {
    this.#fd = fd;
    this.#path = path;
    this.#syncEvery = syncEvery;
  }

  async write(record: JournalRecord): Promise<void> {
    const fd = this.#fd;
    if (fd === undefined) throw new JournalError(`journal ${this.#path} is closed`);
    const bytes = Buffer.from(`${JSON.stringify(record)}\n`);
    try {
      // writeSync may write less than asked (rare, e.g. on a full disk): loop until all is written.
      for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset);
      if (++this.#sinceSync >= this.#syncEvery) {
        this.#sinceSync = 0;
        fsyncSync(fd);
      }
    } catch (error) {
      throw new JournalError(`cannot write journal ${this.#path}: ${(error as Error).message}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    const fd = this.#fd;
    if (fd === undefined) return;
    this.#fd = undefined;
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
