import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { UsageError } from '../../src/errors.ts';
import { mergeRuns } from '../../src/run/merge-runs.ts';
import { thresholdsFromJournal } from '../../src/run/merge-thresholds.ts';
import { shardOf } from '../../src/run/shard.ts';
import type { JournalRecord, ResultRecord, RunEndRecord, RunStartRecord } from '../../src/types.ts';
import { createJournalFixture, parseJsonl, writeJournalFixture } from '../support/journal-fixture.ts';

const ROWS = 24;
const COUNT = 3;
let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'bb-merge-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Splits a whole-run journal into shard journals exactly as `eval --shard i/n` would write them. */
function splitIntoShards(records: readonly JournalRecord[], count: number): JournalRecord[][] {
  const start = records[0] as RunStartRecord;
  const end = records.at(-1) as RunEndRecord;
  const rowOf = (key: string) => key.slice(0, key.indexOf('|'));
  return Array.from({ length: count }, (_, i) => {
    const index = i + 1;
    const body = records.filter((r) => (r.kind === 'attempt' || r.kind === 'result') && shardOf(rowOf(r.key), count) === index);
    const rows = new Set(body.map((r) => rowOf((r as ResultRecord).key))).size;
    const shardStart: RunStartRecord = {
      ...start,
      runId: `run-shard${index}`,
      startedAt: new Date(Date.parse(start.startedAt) + index * 1000).toISOString(),
      rows,
      datasetRows: start.rows!,
      shard: { index, count },
    };
    const results = body.filter((r) => r.kind === 'result').length;
    const attempts = body.filter((r) => r.kind === 'attempt').length;
    const shardEnd: RunEndRecord = {
      ...end,
      endedAt: new Date(Date.parse(end.endedAt) + index * 1000).toISOString(),
      stats: { ...end.stats, items: results, attempts, quota429: index, pausedMs: 10 * index, peakInFlight: 4 + index },
    };
    return [shardStart, ...body, shardEnd];
  });
}

async function writeRun(name: string, records: readonly JournalRecord[]): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  await writeJournalFixture(join(dir, 'journal.jsonl'), records);
  return dir;
}

/** Writes the shards of a fixture run as `shard-1` … `shard-N` under root and returns the names. */
async function writeShards(shards: readonly JournalRecord[][]): Promise<string[]> {
  const names: string[] = [];
  for (const [i, shard] of shards.entries()) {
    names.push(`shard-${i + 1}`);
    await writeRun(`shard-${i + 1}`, shard);
  }
  return names;
}

const fixture = () => createJournalFixture({ rows: ROWS, seed: 11 });
const merge = (dirs: readonly string[], out = 'merged', env: Record<string, string> = {}) => mergeRuns(dirs, out, { cwd: root, env });
const mergedJournal = async (out = 'merged') => parseJsonl(await readFile(join(root, out, 'journal.jsonl'), 'utf8'));

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  const message = (error as Error).message;
  expect(message).not.toContain('\n');
  return message;
}

describe('mergeRuns: happy path', () => {
  test('every shard gets rows (the fixture exercises a real split)', () => {
    const sizes = splitIntoShards(fixture(), COUNT).map((s) => (s[0] as RunStartRecord).rows);
    expect(sizes.every((n) => (n ?? 0) > 0)).toBe(true);
  });

  test('writes one journal that reads as the unsharded run: same results, same attempts', async () => {
    const whole = fixture();
    const dirs = await writeShards(splitIntoShards(whole, COUNT));
    await merge(dirs.reverse());
    const merged = await mergedJournal();
    const byKey = (records: readonly JournalRecord[]) =>
      new Map(records.filter((r): r is ResultRecord => r.kind === 'result').map((r) => [r.key, r]));
    expect(byKey(merged)).toEqual(byKey(whole));
    expect(merged.filter((r) => r.kind === 'attempt')).toHaveLength(whole.filter((r) => r.kind === 'attempt').length);
  });

  test('the merged run-start has no shard, summed rows, the earliest start and a merged run id', async () => {
    const shards = splitIntoShards(fixture(), COUNT);
    const result = await merge(await writeShards(shards));
    const merged = await mergedJournal();
    expect(merged.filter((r) => r.kind === 'run-start')).toHaveLength(1);
    const start = merged[0] as RunStartRecord;
    expect(start.kind).toBe('run-start');
    expect(start.shard).toBeUndefined();
    expect(start.rows).toBe(ROWS);
    expect(start.datasetRows).toBe(ROWS);
    expect(start.startedAt).toBe((shards[0]![0] as RunStartRecord).startedAt);
    expect(start.runId).toBe(result.runId);
    expect(result.runId).toMatch(/-fixture-merged$/);
  });

  test('the merged run-end sums the counters, keeps the latest end and the largest single peak', async () => {
    const shards = splitIntoShards(fixture(), COUNT);
    await merge(await writeShards(shards));
    const merged = await mergedJournal();
    expect(merged.filter((r) => r.kind === 'run-end')).toHaveLength(1);
    const end = merged.at(-1) as RunEndRecord;
    const ends = shards.map((s) => s.at(-1) as RunEndRecord);
    expect(end.reason).toBe('completed');
    expect(end.endedAt).toBe(ends.at(-1)!.endedAt);
    expect(end.stats.items).toBe(ROWS * 3);
    expect(end.stats.quota429).toBe(1 + 2 + 3);
    expect(end.stats.pausedMs).toBe(60);
    expect(end.stats.peakInFlight).toBe(4 + COUNT);
  });

  test('renders every report into the merged directory', async () => {
    const result = await merge(await writeShards(splitIntoShards(fixture(), COUNT)));
    expect(result.reportErrors).toEqual([]);
    const files = await readdir(join(root, 'merged'));
    expect(files.sort()).toEqual(
      expect.arrayContaining(['journal.jsonl', 'junit.xml', 'report.html', 'report.json', 'results.csv', 'summary.md']),
    );
    const report = JSON.parse(await readFile(join(root, 'merged', 'report.json'), 'utf8')) as { rows: number; endReason: string };
    expect(report.rows).toBe(ROWS);
    expect(report.endReason).toBe('completed');
  });

  test('appends the merged summary to GITHUB_STEP_SUMMARY when set', async () => {
    const stepSummary = join(root, 'step-summary.md');
    await writeFile(stepSummary, '');
    await merge(await writeShards(splitIntoShards(fixture(), COUNT)), 'merged', { GITHUB_STEP_SUMMARY: stepSummary });
    const summary = await readFile(join(root, 'merged', 'summary.md'), 'utf8');
    expect(await readFile(stepSummary, 'utf8')).toContain(summary.trim());
  });

  test('an empty existing out directory is accepted', async () => {
    await mkdir(join(root, 'merged'));
    const result = await merge(await writeShards(splitIntoShards(fixture(), COUNT)));
    expect(result.results).toBe(ROWS * 3);
  });

  test('a single unsharded run is accepted on its own (the merge is a copy)', async () => {
    const whole = fixture();
    await writeRun('whole', whole);
    const result = await merge(['whole']);
    expect(result.shards).toBe(1);
    expect((await mergedJournal()).filter((r) => r.kind === 'result')).toHaveLength(ROWS * 3);
  });

  test('the merged manifest is the first shard manifest without its shard override, under the merged run id', async () => {
    const dirs = await writeShards(splitIntoShards(fixture(), COUNT));
    const manifest = {
      version: 1,
      runId: 'run-shard1',
      configFile: '/p/eval.config.ts',
      datasetPath: '/p/qa.csv',
      overrides: { limit: 50, shard: '1/3' },
      configHash: 'c0ffee',
      config: {},
    };
    await writeFile(join(root, 'shard-1', 'manifest.json'), JSON.stringify(manifest));
    const result = await merge(dirs);
    const merged = JSON.parse(await readFile(join(root, 'merged', 'manifest.json'), 'utf8')) as typeof manifest;
    expect(merged).toEqual({ ...manifest, runId: result.runId, overrides: { limit: 50 } });
  });

  test('a resumed shard (two sessions) counts each key once and sums both sessions', async () => {
    const shards = splitIntoShards(fixture(), COUNT);
    const first = shards[0]!;
    const body = first.slice(1, -1);
    const half = Math.floor(body.length / 2);
    const end = first.at(-1) as RunEndRecord;
    const aborted: RunEndRecord = { ...end, reason: 'aborted', stats: { ...end.stats, quota429: 100 } };
    shards[0] = [first[0]!, ...body.slice(0, half), aborted, first[0]!, ...body.slice(half), end];
    const result = await merge(await writeShards(shards));
    expect(result.results).toBe(ROWS * 3);
    expect(result.reason).toBe('completed');
    const merged = await mergedJournal();
    expect(merged.filter((r) => r.kind === 'run-start')).toHaveLength(1);
    expect((merged.at(-1) as RunEndRecord).stats.quota429).toBe(100 + 1 + 2 + 3);
  });
});

describe('mergeRuns: thresholds of the merged run', () => {
  const withThresholds = (thresholds: Record<string, number>) =>
    splitIntoShards(fixture(), COUNT).map((shard) => [{ ...(shard[0] as RunStartRecord), thresholds }, ...shard.slice(1)]);

  test('the flat thresholds of a journal read back per target, dotted target names included', () => {
    expect(
      thresholdsFromJournal({
        accuracy: 0.8,
        maxErrorRate: 0.02,
        'gpt-4.1-mini.accuracy': 0.9,
        'gpt-4.1-mini.p95LatencyMs': 900,
        'o4.p95LatencyMs': 5000,
      }),
    ).toEqual({
      accuracy: 0.8,
      maxErrorRate: 0.02,
      perTarget: { 'gpt-4.1-mini': { accuracy: 0.9, p95LatencyMs: 900 }, o4: { p95LatencyMs: 5000 } },
    });
  });

  test('are checked on the whole run and reported one line per failing target', async () => {
    const result = await merge(await writeShards(withThresholds({ accuracy: 0.99 })));
    expect(result.thresholdFailures).toHaveLength(3);
    expect(result.thresholdFailures[0]).toMatch(/^gpt-4o: accuracy \d+\.\d% is below the threshold 99\.0%$/);
  });

  test('pass silently when the merged run meets them', async () => {
    const result = await merge(await writeShards(withThresholds({ accuracy: 0.01, maxErrorRate: 0.5 })));
    expect(result.thresholdFailures).toEqual([]);
  });
});

describe('mergeRuns: refusals', () => {
  test('a missing shard names it and the shards given', async () => {
    const dirs = await writeShards(splitIntoShards(fixture(), COUNT));
    expect(await refusal(merge([dirs[0]!, dirs[2]!]))).toBe('missing shard 2/3 (have 1/3, 3/3)');
  });

  test('a shard given twice names both directories', async () => {
    const dirs = await writeShards(splitIntoShards(fixture(), COUNT));
    await cp(join(root, 'shard-2'), join(root, 'shard-2-copy'), { recursive: true });
    expect(await refusal(merge([...dirs, 'shard-2-copy']))).toBe('shard 2/3 given twice (shard-2, shard-2-copy)');
  });

  test('a result present in two shards names the key and both directories', async () => {
    const shards = splitIntoShards(fixture(), COUNT);
    const stray = shards[0]!.find((r): r is ResultRecord => r.kind === 'result')!;
    shards[1]!.splice(1, 0, stray);
    const message = await refusal(merge(await writeShards(shards)));
    expect(message).toBe(`result ${stray.key} appears in both shard 1/3 (shard-1) and shard 2/3 (shard-2); shards must not overlap`);
  });

  test('mismatched config hashes are refused, naming both shards', async () => {
    const shards = splitIntoShards(fixture(), COUNT);
    shards[2]![0] = { ...(shards[2]![0] as RunStartRecord), configHash: 'ffffffffffffffff' };
    const message = await refusal(merge(await writeShards(shards)));
    expect(message).toMatch(
      /^config differs between shards: shard 1\/3 \(shard-1\) has c0ffee, shard 3\/3 \(shard-3\) has ffffffffffff; run every shard with the same config$/,
    );
  });

  test('mismatched shard counts are refused', async () => {
    const shards = splitIntoShards(fixture(), COUNT);
    shards[1]![0] = { ...(shards[1]![0] as RunStartRecord), shard: { index: 2, count: 4 } };
    expect(await refusal(merge(await writeShards(shards)))).toMatch(
      /^shard count differs between shards: shard 1\/3 \(shard-1\) has 3, shard 2\/4 \(shard-2\) has 4/,
    );
  });

  test('a changed dataset size between shards is refused', async () => {
    const shards = splitIntoShards(fixture(), COUNT);
    shards[1]![0] = { ...(shards[1]![0] as RunStartRecord), datasetRows: ROWS + 1 };
    expect(await refusal(merge(await writeShards(shards)))).toMatch(/^dataset size differs between shards: .* has 24 rows, .* has 25 rows/);
  });

  test('an incomplete shard is named with its counts', async () => {
    const shards = splitIntoShards(fixture(), COUNT);
    const shard = shards[1]!;
    const rows = (shard[0] as RunStartRecord).rows!;
    shard.splice(
      shard.findIndex((r) => r.kind === 'result'),
      1,
    );
    expect(await refusal(merge(await writeShards(shards)))).toBe(
      `shard 2/3 (shard-2) is incomplete: ${rows * 3 - 1} of ${rows * 3} results (${rows} rows × 3 targets × 1 repeat); resume or rerun that shard, then merge`,
    );
  });

  test('a shard without a run-end is refused as unfinished', async () => {
    const shards = splitIntoShards(fixture(), COUNT);
    shards[0]!.pop();
    expect(await refusal(merge(await writeShards(shards)))).toBe(
      'shard 1/3 (shard-1) did not finish (no run-end record); resume or rerun that shard, then merge',
    );
  });

  test('an unsharded run mixed with shards is refused', async () => {
    const dirs = await writeShards(splitIntoShards(fixture(), COUNT));
    await writeRun('whole', fixture());
    expect(await refusal(merge([...dirs, 'whole']))).toMatch(/^whole is not a shard run/);
  });

  test('a non-empty out directory is refused before anything is read', async () => {
    const dirs = await writeShards(splitIntoShards(fixture(), COUNT));
    await mkdir(join(root, 'merged'));
    await writeFile(join(root, 'merged', 'notes.txt'), 'keep me');
    expect(await refusal(merge(dirs))).toMatch(/^--out merged: directory is not empty/);
    expect(await readdir(join(root, 'merged'))).toEqual(['notes.txt']);
  });

  test('a directory without a journal is refused by name', async () => {
    await mkdir(join(root, 'empty'));
    expect(await refusal(merge(['empty']))).toBe('empty: not a run directory (no journal.jsonl)');
  });

  test('a corrupt journal is refused by name and line', async () => {
    const dirs = await writeShards(splitIntoShards(fixture(), COUNT));
    const path = join(root, 'shard-2', 'journal.jsonl');
    const lines = (await readFile(path, 'utf8')).split('\n');
    lines.splice(2, 0, '{not json');
    await writeFile(path, lines.join('\n'));
    expect(await refusal(merge(dirs))).toMatch(/^shard-2: .*journal\.jsonl:3: corrupt journal line/);
  });

  test('a refused merge writes nothing', async () => {
    const dirs = await writeShards(splitIntoShards(fixture(), COUNT));
    await refusal(merge([dirs[0]!]));
    expect(existsSync(join(root, 'merged'))).toBe(false);
  });
});
