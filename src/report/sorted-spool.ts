/**
 * Records written to a file as they arrive, then read back in key order. results.csv and junit.xml are
 * sorted by (row, target, repeat) so two runs diff cleanly, yet results arrive in completion order and
 * may be many: memory holds only a compact index (the key's three numbers and the text's byte length,
 * 4 bytes each while they are 32-bit integers — columns.ts), never the text; file offsets are the
 * running sum of the lengths, computed when reading back. The sorted copy is read back from disk with
 * one positional read per run of adjacent records.
 */
import { open } from 'node:fs/promises';
import { NumberColumn } from './columns.ts';
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
  const keys = [new NumberColumn(), new NumberColumn(), new NumberColumn()] as const;
  const lengths = new NumberColumn();
  let count = 0;

  return {
    get size() {
      return count;
    },
    async add(key, text) {
      // Recorded before awaiting: writes land in call order, so the running sum of lengths is the offset.
      for (let field = 0; field < 3; field++) keys[field]!.push(key[field]!);
      lengths.push(Buffer.byteLength(text));
      count++;
      await writer.write(text);
    },
    async *sorted() {
      await writer.close();
      const k = keys.map((column) => column.view());
      const bytes = lengths.view();
      const offsets = new Float64Array(count);
      for (let i = 0, at = offset; i < count; i++) {
        offsets[i] = at;
        at += bytes[i]!;
      }
      const index: SpoolIndex = { k0: k[0]!, k1: k[1]!, k2: k[2]!, offsets, bytes };
      const order = Uint32Array.from({ length: count }, (_, i) => i);
      order.sort((a, b) => compare(index, a, b));
      const file = await open(path, 'r');
      try {
        let i = 0;
        while (i < order.length) {
          // Extend the read over records that also follow each other in the file.
          let j = i + 1;
          let end = offsets[order[i]!]! + bytes[order[i]!]!;
          while (j < order.length && offsets[order[j]!] === end && end - offsets[order[i]!]! < READ_CHUNK_BYTES) {
            end += bytes[order[j]!]!;
            j++;
          }
          const start = offsets[order[i]!]!;
          const buffer = Buffer.alloc(end - start);
          await file.read(buffer, 0, buffer.length, start);
          let cursor = 0;
          for (let k = i; k < j; k++) {
            const record = order[k]!;
            const length = bytes[record]!;
            const key: SpoolKey = [index.k0[record]!, index.k1[record]!, index.k2[record]!];
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

interface SpoolIndex {
  readonly k0: ArrayLike<number>;
  readonly k1: ArrayLike<number>;
  readonly k2: ArrayLike<number>;
  readonly offsets: Float64Array;
  readonly bytes: ArrayLike<number>;
}

function compare(index: SpoolIndex, a: number, b: number): number {
  for (const field of [index.k0, index.k1, index.k2]) {
    const d = (field[a] as number) - (field[b] as number);
    if (d !== 0) return d;
  }
  return a - b; // arrival order
}
