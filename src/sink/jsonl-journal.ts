/**
 * The append-only run journal: one JSON object per line, written as soon as it is known. Writes honour
 * stream backpressure and are fsynced in batches, so a crash (even kill -9) loses at most the last
 * unsynced lines and never corrupts earlier ones; a torn last line is tolerated by the reader.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { promisify } from 'node:util';
import fs from 'node:fs';
import { JournalError } from '../errors.ts';
import type { JournalRecord, ResultSink } from '../types.ts';

const fsyncFd = promisify(fs.fsync);

export interface JournalSinkOptions {
  /** Append to an existing journal (resume) instead of failing when it exists. @default false */
  readonly append?: boolean;
  /** fsync after this many records. @default 200 */
  readonly syncEvery?: number;
}

export async function openJournal(path: string, options: JournalSinkOptions = {}): Promise<ResultSink> {
  const stream = createWriteStream(path, { flags: options.append ? 'a' : 'wx' });
  try {
    await once(stream, 'open');
  } catch (error) {
    throw new JournalError(`cannot open journal ${path}: ${(error as Error).message}`, { cause: error });
  }
  return new JsonlJournal(stream, options.syncEvery ?? 200);
}

// --- internal ---

class JsonlJournal implements ResultSink {
  #stream: WriteStream;
  #syncEvery: number;
  #sinceSync = 0;
  #closed: Promise<void> | undefined;
  #failure: Error | undefined;

  constructor(stream: WriteStream, syncEvery: number) {
    this.#stream = stream;
    this.#syncEvery = syncEvery;
    stream.on('error', (error) => {
      this.#failure = new JournalError(`journal write failed: ${error.message}`, { cause: error });
    });
  }

  async write(record: JournalRecord): Promise<void> {
    if (this.#failure) throw this.#failure;
    if (this.#closed) throw new JournalError('journal is closed');
    const ok = this.#stream.write(`${JSON.stringify(record)}\n`);
    if (!ok) await once(this.#stream, 'drain');
    if (++this.#sinceSync >= this.#syncEvery) {
      this.#sinceSync = 0;
      await this.#sync();
    }
  }

  close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.#sync();
      await new Promise<void>((resolve, reject) => this.#stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
      if (this.#failure) throw this.#failure;
    })();
    return this.#closed;
  }

  async #sync(): Promise<void> {
    const fd = (this.#stream as unknown as { fd: number | null }).fd;
    if (typeof fd !== 'number') return;
    // An empty write's callback fires once everything queued before it has reached the fd.
    await new Promise<void>((resolve) => this.#stream.write('', () => resolve()));
    await fsyncFd(fd).catch(() => undefined);
  }
}

