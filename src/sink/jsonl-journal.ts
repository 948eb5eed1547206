/**
 * The append-only run journal: one JSON object per line, appended as soon as it is known.
 *
 * What is guaranteed: each record is handed to the kernel synchronously before `write` resolves (a
 * write(2) loop), so once a record is written a SIGKILL of the process cannot lose it (the kernel owns
 * the bytes; only a power loss or OS crash can, and fsync every `syncEvery` records bounds that). What
 * is not: a kill during the write loop (or a short write on a full disk) can leave the last line torn.
 * The reader skips a torn last line, and opening for append (--resume) first cuts that fragment off, so
 * the next record starts on a line of its own and the journal stays readable. A final line that is
 * complete JSON but lost only its newline is kept and terminated instead.
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
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
    fd = openSync(path, options.append ? 'a+' : 'wx');
    if (options.append) repairTail(fd);
  } catch (error) {
    throw new JournalError(`cannot open journal ${path}: ${(error as Error).message}`, { cause: error });
  }
  return new JsonlJournal(fd, path, options.syncEvery ?? 500);
}

// --- internal ---

/** Makes the file end at a line boundary: cuts a torn (unparseable) last line, or terminates a whole one. */
function repairTail(fd: number): void {
  const size = fstatSync(fd).size;
  if (size === 0) return;
  // Read backwards until the last newline: everything after it is the unterminated tail.
  const chunk = 64 * 1024;
  const parts: Buffer[] = [];
  let end = size;
  let newlineAt = -1;
  while (end > 0 && newlineAt < 0) {
    const start = Math.max(0, end - chunk);
    const buf = Buffer.alloc(end - start);
    readSync(fd, buf, 0, buf.length, start);
    const i = buf.lastIndexOf(0x0a);
    if (i >= 0) {
      newlineAt = start + i;
      parts.unshift(buf.subarray(i + 1));
    } else parts.unshift(buf);
    end = start;
  }
  const tail = Buffer.concat(parts);
  if (tail.length === 0) return;
  if (isRecord(tail.toString('utf8'))) {
    writeSync(fd, '\n');
    return;
  }
  ftruncateSync(fd, newlineAt + 1);
}

function isRecord(text: string): boolean {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string';
  } catch {
    return false;
  }
}

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
