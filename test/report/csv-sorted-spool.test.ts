/** The on-disk spool behind the sorted results.csv and junit.xml. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { createRng } from '../../src/internal/rng.ts';
import { openSortedSpool, type SpoolKey } from '../../src/report/sorted-spool.ts';

test('yields every record in key order, ties in arrival order, multi-byte and large records intact', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bb-spool-'));
  try {
    const random = createRng(3);
    const added: { key: SpoolKey; text: string; seq: number }[] = [];
    const spool = await openSortedSpool(join(dir, 'spool'), 'header\n');
    for (let seq = 0; seq < 3000; seq++) {
      const key: SpoolKey = [Math.floor(random() * 50), Math.floor(random() * 3), Math.floor(random() * 2)];
      // Some records are 1.5 MB (beyond one merged read), some carry multi-byte characters.
      const text = seq % 997 === 5 ? `${'x'.repeat(1_500_000)}\n` : `${seq} café 🙂 ${key.join(',')}\n`;
      added.push({ key, text, seq });
      await spool.add(key, text);
    }
    expect(spool.size).toBe(3000);
    const out: string[] = [];
    for await (const record of spool.sorted()) out.push(record.text);
    const expected = [...added]
      .sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2] || a.seq - b.seq)
      .map((r) => r.text);
    expect(out).toEqual(expected);
    expect((await readFile(join(dir, 'spool'), 'utf8')).startsWith('header\n0 café')).toBe(true);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('keys that are not 32-bit integers (fractions, beyond 2^31) sort exactly', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bb-spool-'));
  try {
    const spool = await openSortedSpool(join(dir, 'spool'));
    const keys: SpoolKey[] = [
      [3, 0, 0],
      [2 ** 33, 0, 0],
      [2.5, 1, 0],
      [2.5, 0.5, 0],
      [0, 0, 0],
      [2 ** 32, 0, 0],
    ];
    for (const [i, key] of keys.entries()) await spool.add(key, `${i}\n`);
    const out: string[] = [];
    for await (const record of spool.sorted()) out.push(record.text.trim());
    expect(out).toEqual(['4', '3', '2', '0', '5', '1']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
