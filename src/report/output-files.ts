/**
 * File output for reporters: a line writer that respects stream backpressure (so a fast run cannot
 * buffer a whole CSV in memory) and an atomic whole-file write (temp file + rename, so a reader never
 * sees half a report).
 */
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';

export interface TextWriter {
  /** Resolves once the text is accepted; waits for 'drain' when the stream's buffer is full. */
  write(text: string): Promise<void>;
  close(): Promise<void>;
}

export async function openTextWriter(path: string): Promise<TextWriter> {
  await mkdir(dirname(path), { recursive: true });
  const stream = createWriteStream(path, { encoding: 'utf8' });
  let failure: Error | null = null;
  let drained: Promise<void> | null = null;
  stream.on('error', (error) => {
    failure = error;
  });
  await once(stream, 'open');
  return {
    async write(text) {
      if (failure) throw failure;
      // Concurrent writers share one wait, so a full buffer adds one 'drain' (and one 'error') listener
      // however many results arrive meanwhile; events.once rejects on 'error' and removes both.
      if (!stream.write(text)) {
        drained ??= once(stream, 'drain').then(
          () => {
            drained = null;
          },
          (error: unknown) => {
            drained = null;
            throw error;
          },
        );
        await drained;
      }
      if (failure) throw failure;
    },
    async close() {
      if (stream.closed) return;
      await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
      if (failure) throw failure;
    },
  };
}

/**
 * @param content the file's text or bytes, or its text in parts written one after another (a large
 * report then never exists as one string and one buffer of its bytes as well)
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array | readonly string[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  if (typeof content === 'string' || content instanceof Uint8Array) await writeFile(temp, content);
  else {
    const file = await open(temp, 'w');
    try {
      // writeFile loops until every byte is written, from the current position (after the last part)
      for (const part of content) await file.writeFile(part);
    } finally {
      await file.close();
    }
  }
  await rename(temp, path);
}
