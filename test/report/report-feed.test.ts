/**
 * The fan-out feeds the shared summary once per record and reaches reporters in push order, however
 * their async hooks interleave — the double feed of issue 9 (records folded 2-3 times when the run's
 * attempt and result callbacks overlapped) cannot come back.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { builtinReporterNames, createReporters, replayJournal } from '../../src/report/registry.ts';
import { createReportFeed } from '../../src/report/report-feed.ts';
import { createSharedSummary } from '../../src/report/shared-summary.ts';
import type { JournalRecord, Reporter } from '../../src/types.ts';
import type { RunSummary } from '../../src/report/summary-types.ts';
import { attempt, ok, runEnd, runStart, target } from './records.ts';

/** Yields to the event loop a varying number of times, so concurrent pushes would interleave. */
async function jitter(n: number): Promise<void> {
  for (let i = 0; i < n % 4; i++) await new Promise((resolve) => setImmediate(resolve));
}

function journal(rows: number): JournalRecord[] {
  const records: JournalRecord[] = [runStart([target('a'), target('b')])];
  for (let i = 0; i < rows; i++) {
    for (const t of ['a', 'b']) {
      records.push(attempt(t, 'ok', 1_700_000_000_000 + i, 50, { key: `r${i}|${t}|0` }));
      records.push(ok({ target: t, row: `r${i}`, prompt: 10, completion: 5 }));
    }
  }
  return [...records, runEnd()];
}

describe('report feed', () => {
  test('records pushed concurrently reach every reporter once, in push order, through slow async hooks', async () => {
    const records = journal(20);
    const seen = new Map<string, JournalRecord[]>();
    const slow = (name: string, delay: number): Reporter => {
      const got: JournalRecord[] = [];
      seen.set(name, got);
      return {
        name,
        onRunStart: async (r) => {
          await jitter(delay);
          got.push(r);
        },
        onAttempt: async (r) => {
          await jitter(delay + 1);
          got.push(r);
        },
        onResult: async (r) => {
          await jitter(delay + 2);
          got.push(r);
        },
      };
    };
    const dir = await mkdtemp(join(tmpdir(), 'bb-feed-'));
    const builtins = await createReporters(builtinReporterNames, { outDir: dir, write: () => undefined, summary: { resamples: 50 } });
    const feed = createReportFeed([slow('x', 1), ...builtins, slow('y', 3)], dir);
    // Every push at once, like overlapping scheduler callbacks that do not await each other.
    await Promise.all(records.map((r) => feed.push(r)));
    expect(await feed.finish()).toEqual([]);
    const expected = records.filter((r) => r.kind !== 'run-end');
    expect(seen.get('x')).toEqual(expected);
    expect(seen.get('y')).toEqual(expected);
    const summary = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as RunSummary;
    expect(summary.targets.map((t) => t.results)).toEqual([20, 20]);
    expect(summary.scheduler?.attempts).toBe(40);
  });

  test('the live feed and a replay of the same journal write identical files', async () => {
    const records = journal(8);
    const live = await mkdtemp(join(tmpdir(), 'bb-feed-live-'));
    const replay = await mkdtemp(join(tmpdir(), 'bb-feed-replay-'));
    const feed = createReportFeed(await createReporters(builtinReporterNames, { outDir: live, summary: { resamples: 50 } }), live);
    await Promise.all(records.map((r) => feed.push(r)));
    await feed.finish();
    await replayJournal(records, await createReporters(builtinReporterNames, { outDir: replay, summary: { resamples: 50 } }), replay);
    for (const file of ['report.json', 'summary.md', 'results.csv', 'junit.xml', 'report.html']) {
      expect(await readFile(join(live, file), 'utf8'), file).toBe(await readFile(join(replay, file), 'utf8'));
    }
  });

  test('the shared fold refuses a result it has already folded', () => {
    const summary = createSharedSummary({ resamples: 10 });
    summary.add(runStart([target('a')]));
    const result = ok({ target: 'a', row: 'r1' });
    summary.add(result);
    expect(() => summary.add({ ...result })).toThrow('result r1|a|0 folded twice');
  });

  test('a fold fed twice by one fan-out call is reported as a failure, not a doubled count', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bb-feed-twice-'));
    const reporters = await createReporters(['json'], { outDir: dir, summary: { resamples: 10 } });
    const r = ok({ target: 'a', row: 'r1' });
    const failures = await replayJournal([runStart([target('a')]), r, r, runEnd()], reporters, dir);
    expect(failures.map((f) => `${f.reporter}:${f.hook}`)).toEqual(['summary:onResult']);
    const summary = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as RunSummary;
    expect(summary.targets[0]!.results).toBe(1);
  });

  test('with --expose-gc, a full collection runs before each reporter’s run end, and only there', async () => {
    const events: string[] = [];
    const spy = (name: string): Reporter => ({
      name,
      onResult: () => void events.push(`${name}:result`),
      onRunEnd: () => void events.push(`${name}:end`),
    });
    const global = globalThis as { gc?: unknown };
    const saved = global.gc;
    global.gc = () => events.push('gc');
    try {
      await replayJournal([runStart([target('a')]), ok({ target: 'a', row: 'r1' }), runEnd()], [spy('csv'), spy('html')], '/nonexistent');
    } finally {
      global.gc = saved;
    }
    expect(events).toEqual(['csv:result', 'html:result', 'gc', 'csv:end', 'gc', 'html:end']);
  });
});
