import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { failed, runEnd, runStart, target } from './records.ts';
import { renderJournal, type Rendered } from './render-journal.ts';

const rendered: Rendered[] = [];
afterAll(() => Promise.all(rendered.map((r) => r.cleanup())));

test('a run with no results still writes every output', async () => {
  const r = await renderJournal([runStart([target('a'), target('b')]), runEnd()]);
  rendered.push(r);
  expect(r.failures).toEqual([]);
  const csv = await readFile(join(r.dir, 'results.csv'), 'utf8');
  expect(csv.trim().split('\n')).toHaveLength(1); // header only
  expect(await readFile(join(r.dir, 'report.html'), 'utf8')).toContain('id="report-data"');
});

test('a run where every request failed reports errors and no statistics', async () => {
  const r = await renderJournal(
    [runStart([target('a')]), failed('a', 'r1', 'timeout'), failed('a', 'r2', 'timeout'), runEnd()],
    ['json', 'markdown', 'junit'],
  );
  rendered.push(r);
  expect(r.failures).toEqual([]);
  const json = JSON.parse(await readFile(join(r.dir, 'report.json'), 'utf8'));
  expect(json.targets[0]).toMatchObject({ failed: 2, accuracy: null, score: null, errorsByCategory: { timeout: 2 } });
  expect(json.targets[0].latency.e2e).toBeNull();
  expect(await readFile(join(r.dir, 'junit.xml'), 'utf8')).toContain('errors="2"');
});
