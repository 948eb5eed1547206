/** The journal: appends survive as whole lines, a torn last line is tolerated, corruption is named. */
import { appendFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { JournalError, UsageError } from '../../src/errors.ts';
import { openJournal } from '../../src/sink/jsonl-journal.ts';
import { readJournal } from '../../src/sink/read-journal.ts';
import { loadResumeState } from '../../src/run/resume-state.ts';
import type { JournalRecord, RunEndRecord } from '../../src/types.ts';

const end = (n: number): RunEndRecord => ({
  v: 1,
  kind: 'run-end',
  endedAt: new Date(0).toISOString(),
  reason: 'completed',
  stats: { items: n, attempts: n, quota429: 0, capacity429: 0, pausedMs: 0, peakInFlight: 1 },
});

async function collect(path: string): Promise<JournalRecord[]> {
  const records: JournalRecord[] = [];
  for await (const record of readJournal(path)) records.push(record);
  return records;
}

describe('journal', () => {
  test('writes one JSON line per record and reads them back in order', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'bb-journal-')), 'journal.jsonl');
    const sink = await openJournal(path);
    for (let i = 0; i < 5; i++) await sink.write(end(i));
    await sink.close();
    await sink.close(); // idempotent
    expect((await readFile(path, 'utf8')).split('\n')).toHaveLength(6);
    expect((await collect(path)).map((r) => (r as RunEndRecord).stats.items)).toEqual([0, 1, 2, 3, 4]);
  });

  test('refuses to overwrite an existing journal unless appending', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'bb-journal-')), 'journal.jsonl');
    await writeFile(path, `${JSON.stringify(end(1))}\n`);
    await expect(openJournal(path)).rejects.toBeInstanceOf(JournalError);
    const sink = await openJournal(path, { append: true });
    await sink.write(end(2));
    await sink.close();
    expect(await collect(path)).toHaveLength(2);
  });

  test('a torn last line (a killed writer) is skipped', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'bb-journal-')), 'journal.jsonl');
    await writeFile(path, `${JSON.stringify(end(1))}\n${JSON.stringify(end(2)).slice(0, 25)}`);
    expect(await collect(path)).toHaveLength(1);
  });

  test('a bad line followed by more lines is corruption, named by line number', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'bb-journal-')), 'journal.jsonl');
    await writeFile(path, `${JSON.stringify(end(1))}\n{not json\n`);
    await appendFile(path, `${JSON.stringify(end(3))}\n`);
    await expect(collect(path)).rejects.toThrow(/journal\.jsonl:2: corrupt journal line/);
  });

  test('a missing journal is a usage error naming the path', async () => {
    await expect(collect('/nonexistent/journal.jsonl')).rejects.toBeInstanceOf(UsageError);
  });

  test('resume state: completed keys, latest status per key, answers received but not scored', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'bb-journal-')), 'journal.jsonl');
    const result = (key: string, status: 'ok' | 'failed') => ({ v: 1, kind: 'result', key, status });
    const okAttempt = (key: string) => ({ v: 1, kind: 'attempt', key, outcome: 'ok', output: 'Paris', attempt: 1 });
    const lines = [result('a', 'ok'), result('b', 'failed'), result('b', 'ok'), result('c', 'failed'), okAttempt('a'), okAttempt('d')];
    await writeFile(path, lines.map((r) => JSON.stringify(r)).join('\n'));
    const state = await loadResumeState(path);
    expect([...state.completed].sort()).toEqual(['a', 'b', 'c']);
    expect([...state.failed]).toEqual(['c']);
    expect([...state.recovered.keys()]).toEqual(['d']);
  });
});
