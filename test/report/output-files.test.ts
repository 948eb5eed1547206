import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTextWriter, writeFileAtomic } from '../../src/report/output-files.ts';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('openTextWriter', () => {
  it('many concurrent writes against a full buffer add no listener per write (no MaxListenersExceededWarning)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bb-writer-'));
    const path = join(dir, 'out.txt');
    const warnings: string[] = [];
    const onWarning = (warning: Error) => void warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      const writer = await openTextWriter(path);
      const chunk = 'x'.repeat(20_000); // above the stream's 16 KiB high-water mark: every write fills it
      // Sequential full-buffer writes (the old code left an 'error' listener per wait) …
      for (let i = 0; i < 30; i++) await writer.write(chunk);
      // … and concurrent ones (one 'drain' listener each before).
      await Promise.all(Array.from({ length: 50 }, () => writer.write(chunk)));
      await writer.close();
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on a later tick
      expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
      expect((await readFile(path, 'utf8')).length).toBe(80 * 20_000);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('writeFileAtomic', () => {
  it('writes text given in parts one after another, exactly as their concatenation, and leaves no temp file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bb-atomic-'));
    const path = join(dir, 'report.html');
    await writeFileAtomic(path, 'old content that is longer than the new one'.repeat(100_000));
    const parts = ['<head>café 🙂', 'x'.repeat(3_000_000), '', '</script>\n€'];
    await writeFileAtomic(path, parts);
    expect(await readFile(path, 'utf8')).toBe(parts.join(''));
    expect(await readdir(dir)).toEqual(['report.html']);
  });
});
