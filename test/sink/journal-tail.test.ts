/** Opening a journal for append (--resume) first repairs a tail a kill left mid-line. */
import { appendFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { openJournal } from '../../src/sink/jsonl-journal.ts';
import { readJournal } from '../../src/sink/read-journal.ts';
import type { JournalRecord, RunEndRecord } from '../../src/types.ts';

const end = (n: number): RunEndRecord => ({
  v: 1,
  kind: 'run-end',
  endedAt: new Date(0).toISOString(),
  reason: 'completed',
  stats: { items: n, attempts: n, quota429: 0, capacity429: 0, pausedMs: 0, peakInFlight: 1 },
});

async function items(path: string): Promise<number[]> {
  const out: number[] = [];
  for await (const record of readJournal(path) as AsyncIterable<JournalRecord>) out.push((record as RunEndRecord).stats.items);
  return out;
}

async function journalWith(text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'bb-tail-')), 'journal.jsonl');
  await writeFile(path, text);
  return path;
}

describe('journal tail repair on append', () => {
  test('a torn last line is cut before the next record, so the journal stays readable', async () => {
    const whole = `${JSON.stringify(end(1))}\n`;
    const torn = JSON.stringify(end(2)).slice(0, 37);
    const path = await journalWith(whole + torn);
    const sink = await openJournal(path, { append: true });
    await sink.write(end(3));
    await sink.close();
    expect(await readFile(path, 'utf8')).toBe(`${whole}${JSON.stringify(end(3))}\n`);
    expect(await items(path)).toEqual([1, 3]);
  });

  test('a torn first and only line is cut to an empty file', async () => {
    const path = await journalWith('{"v":1,"kind":"run-st');
    const sink = await openJournal(path, { append: true });
    await sink.write(end(7));
    await sink.close();
    expect(await items(path)).toEqual([7]);
  });

  test('a whole last record that lost only its newline is kept and terminated', async () => {
    const path = await journalWith(`${JSON.stringify(end(1))}\n${JSON.stringify(end(2))}`);
    const sink = await openJournal(path, { append: true });
    await sink.write(end(3));
    await sink.close();
    expect(await items(path)).toEqual([1, 2, 3]);
  });

  test('a tail longer than the 64 KiB read-back chunk is found and cut', async () => {
    const whole = `${JSON.stringify(end(1))}\n`;
    const path = await journalWith(`${whole}{"kind":"attempt","output":"${'x'.repeat(200_000)}`);
    const sink = await openJournal(path, { append: true });
    await sink.write(end(2));
    await sink.close();
    expect(await items(path)).toEqual([1, 2]);
  });

  test('a well-terminated journal is left as it is', async () => {
    const text = `${JSON.stringify(end(1))}\n`;
    const path = await journalWith(text);
    const sink = await openJournal(path, { append: true });
    await sink.close();
    expect(await readFile(path, 'utf8')).toBe(text);
    await appendFile(path, '');
  });
});
