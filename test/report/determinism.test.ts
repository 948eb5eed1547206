import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { createJournalFixture, parseJsonl, toJsonl } from '../support/journal-fixture.ts';
import { renderJournal, type Rendered } from './render-journal.ts';

const rendered: Rendered[] = [];
afterAll(() => Promise.all(rendered.map((r) => r.cleanup())));

async function filesOf(records: Parameters<typeof renderJournal>[0]): Promise<Map<string, Buffer>> {
  const r = await renderJournal(records);
  rendered.push(r);
  expect(r.failures).toEqual([]);
  const names = (await readdir(r.dir)).sort();
  return new Map(await Promise.all(names.map(async (n) => [n, await readFile(join(r.dir, n))] as const)));
}

test('a re-render from journal.jsonl is byte-identical to the live run’s output', async () => {
  const live = createJournalFixture({ rows: 50, repeats: 2 });
  const replayed = parseJsonl(toJsonl(live)); // fresh objects, as `batchbench report` reads them
  const first = await filesOf(live);
  const second = await filesOf(replayed);
  expect([...first.keys()]).toEqual(['junit.xml', 'report.html', 'report.json', 'results.csv', 'summary.md']);
  for (const [name, bytes] of first) expect(second.get(name)!.equals(bytes), name).toBe(true);
});

test('the stored fixture journal renders identically twice', async () => {
  const path = fileURLToPath(new URL('../fixtures/journals/small.jsonl', import.meta.url));
  const records = parseJsonl(await readFile(path, 'utf8'));
  const first = await filesOf(records);
  const second = await filesOf(records);
  for (const [name, bytes] of first) expect(second.get(name)!.equals(bytes), name).toBe(true);
});
