/**
 * Records written to a file as they arrive, then read back in key order. results.csv and junit.xml are
 * sorted by (row, target, repeat) so two runs diff cleanly, yet results arrive in completion order and
 * may be many: memory holds only a compact index (five numbers per record in one typed array), never
 * the text, and the sorted copy is read back from disk with one positional read per run of
 * adjacent records.
 */
import { open } from 'node:fs/promises';
import { openTextWriter, type TextWriter } from './output-files.ts';

/** Sort key of one record: compared element by element; ties keep arrival order. */
export type SpoolKey = readonly [number, number, number];

export interface SpooledRecord {
  readonly key: SpoolKey;
  readonly text: string;
}

export interface SortedSpool {
  /** Appends one record (its text is written at once; only its key and position stay in memory). */
  add(key: SpoolKey, text: string): Promise<void>;
  /** Records added so far. */
  readonly size: number;
  /** Closes the file and yields every record in key order. */
  sorted(): AsyncGenerator<SpooledRecord>;
}

/** Reads of adjacent records are merged up to this many bytes. */
const READ_CHUNK_BYTES = 1 << 20;
const STRIDE = 5;

/**
 * @param path file the records are written to (created or truncated)
 * @param preamble text written before the first record and never yielded (e.g. a CSV header)
 */
export async function openSortedSpool(path: string, preamble = ''): Promise<SortedSpool> {
  const writer: TextWriter = await openTextWriter(path);
  let offset = 0;
  if (preamble) {
    offset = Buffer.byteLength(preamble);
    await writer.write(preamble);
  }
  let index = new Float64Array(STRIDE * 256);
  let count = 0;

  return {
    get size() {
      return count;
    },
    async add(key, text) {
      if ((count + 1) * STRIDE > index.length) {
        const grown = new Float64Array(index.length * 2);
        grown.set(index);
        index = grown;
      }
      const bytes = Buffer.byteLength(text);
      // Position is taken before awaiting: writes land in call order, so offsets match the file.
      index.set([key[0], key[1], key[2], offset, bytes], count * STRIDE);
      offset += bytes;
      count++;
      await writer.write(text);
    },
    async *sorted() {
      await writer.close();
      const order = Uint32Array.from({ length: count }, (_, i) => i);
      order.sort((a, b) => compare(index, a, b));
      const file = await open(path, 'r');
      try {
        let i = 0;
        while (i < order.length) {
          // Extend the read over records that also follow each other in the file.
          let j = i + 1;
          let end = at(index, order[i]!, 3) + at(index, order[i]!, 4);
          while (j < order.length && at(index, order[j]!, 3) === end && end - at(index, order[i]!, 3) < READ_CHUNK_BYTES) {
            end += at(index, order[j]!, 4);
            j++;
          }
          const start = at(index, order[i]!, 3);
          const buffer = Buffer.alloc(end - start);
          await file.read(buffer, 0, buffer.length, start);
          let cursor = 0;
          for (let k = i; k < j; k++) {
            const record = order[k]!;
            const length = at(index, record, 4);
            const key: SpoolKey = [at(index, record, 0), at(index, record, 1), at(index, record, 2)];
            yield { key, text: buffer.toString('utf8', cursor, cursor + length) };
            cursor += length;
          }
          i = j;
        }
      } finally {
        await file.close();
      }
    },
  };
}

// --- internal ---

function at(index: Float64Array, record: number, field: number): number {
  return index[record * STRIDE + field]!;
}

function compare(index: Float64Array, a: number, b: number): number {
  for (let field = 0; field < 3; field++) {
    const d = at(index, a, field) - at(index, b, field);
    if (d !== 0) return d;
  }
  return a - b; // arrival order
}
