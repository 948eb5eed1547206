/**
 * Records written to a file as they arrive, then read back in key order. results.csv and junit.xml are
 * sorted by (row, target, repeat) so two runs diff cleanly, yet results arrive in completion order and
 * may be many: memory holds only a compact index (the key's three numbers and the text's byte length,
 * 4 bytes each while they are 32-bit integers — columns.ts), never the text; file offsets are the
 * running sum of the lengths, computed when reading back. The sorted copy is read back through a few
 * 256 KB windows: records arrive in nearly key order (out of order only by the requests in flight), so
 * a record's neighbours in key order are near it in the file. One positional read per record, as
 * adjacent-only merging came to when targets interleave, cost ~78 µs a record (7 s for 90k cells).
 */
import { type FileHandle, open } from 'node:fs/promises';
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

/** Bytes read at once when a record is not in memory yet (256 KB: the spread in the file of one row's records is about the requests in flight times a record, tens of KB). */
const WINDOW_BYTES = 1 << 18;
/** Windows kept: records arrive close to key order (within the requests in flight), so a few suffice. */
const MAX_WINDOWS = 4;

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
        const windows = new ReadWindows(file);
        for (const record of order) {
          const start = offsets[record]!;
          const length = bytes[record]!;
          const key: SpoolKey = [index.k0[record]!, index.k1[record]!, index.k2[record]!];
          yield { key, text: await windows.text(start, length) };
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

/**
 * The last few windows of the spool file read, each a Buffer and the file offset it starts at. The
 * buffer of the window dropped is reused for the next read: a 100k × 3 run reads results.csv through
 * hundreds of windows, and a fresh 256 KB buffer per read left tens of MB of garbage outside the heap
 * for the collector to find at the end of the run, when the report's peak is set.
 */
class ReadWindows {
  readonly #file: FileHandle;
  readonly #windows: { start: number; buffer: Buffer; storage: Buffer }[] = [];

  constructor(file: FileHandle) {
    this.#file = file;
  }

  /** The UTF-8 text of `length` bytes at `start`, reading a new window only when no kept one holds it. */
  async text(start: number, length: number): Promise<string> {
    let window = this.#windows.find((w) => w.start <= start && start + length <= w.start + w.buffer.length);
    if (!window) {
      // Start a little before the record: its key-order neighbours may sit slightly earlier in the file.
      const from = Math.max(0, start - (WINDOW_BYTES >> 2));
      const size = Math.max(WINDOW_BYTES, start + length - from);
      const dropped = this.#windows.length >= MAX_WINDOWS ? this.#windows.shift() : undefined;
      const storage = dropped && dropped.storage.length >= size ? dropped.storage : Buffer.allocUnsafe(size);
      const { bytesRead } = await this.#file.read(storage, 0, size, from);
      window = { start: from, buffer: storage.subarray(0, bytesRead), storage };
      this.#windows.push(window);
    }
    return window.buffer.toString('utf8', start - window.start, start - window.start + length);
  }
}
