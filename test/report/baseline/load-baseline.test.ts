import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { UsageError } from '../../../src/errors.ts';
import { stringifyBaseline } from '../../../src/report/baseline/baseline-json.ts';
import { buildBaseline } from '../../../src/report/baseline/build-baseline.ts';
import { baselineSavePath, knownBaselines, loadBaseline, saveBaseline } from '../../../src/report/baseline/load-baseline.ts';
import { readJournal } from '../../../src/sink/read-journal.ts';
import { writeJournalFixture } from '../../support/journal-fixture.ts';
import { baseJournal } from './journal-variants.ts';

let cwd: string;
const records = baseJournal(12);
const expected = await buildBaseline(records);

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'bb-baseline-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('loadBaseline', () => {
  test('a NAME reads reports/baselines/NAME.json', async () => {
    await saveBaseline(expected, join(cwd, 'reports', 'baselines', 'nightly.json'));
    expect(await loadBaseline('nightly', { cwd })).toEqual(expected);
  });

  test('a path reads that baseline file', async () => {
    await saveBaseline(expected, join(cwd, 'ci', 'main.json'));
    expect(await loadBaseline('ci/main.json', { cwd })).toEqual(expected);
  });

  test('a run directory is built from its journal with the injected reader', async () => {
    await mkdir(join(cwd, 'run1'));
    await writeJournalFixture(join(cwd, 'run1', 'journal.jsonl'), records);
    expect(await loadBaseline('run1', { cwd, readJournal })).toEqual(expected);
    expect(await loadBaseline('run1/journal.jsonl', { cwd, readJournal })).toEqual(expected);
  });

  test('an unknown NAME says where it looked and which names exist', async () => {
    await saveBaseline(expected, join(cwd, 'reports', 'baselines', 'main.json'));
    await saveBaseline(expected, join(cwd, 'reports', 'baselines', 'release.json'));
    const error = await loadBaseline('nightly', { cwd, flag: '--baseline' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      '--baseline nightly: no baseline named "nightly" (looked in reports/baselines/nightly.json); known: main, release',
    );
  });

  test('with no baselines yet, the message says how to save one', async () => {
    await expect(loadBaseline('nightly', { cwd })).rejects.toThrow('no baselines saved yet (save one with --save-baseline nightly)');
  });

  test('a directory without a journal is not a run directory', async () => {
    await mkdir(join(cwd, 'empty'));
    await expect(loadBaseline('empty', { cwd, readJournal })).rejects.toThrow('empty: not a run directory (no journal.jsonl in it)');
  });

  test('a report.json is refused with a hint', async () => {
    await writeFile(join(cwd, 'report.json'), JSON.stringify({ version: 1, runId: 'r' }));
    await expect(loadBaseline('report.json', { cwd })).rejects.toThrow(/not a batchbench baseline.*pass its run directory instead/);
  });

  test('a missing path is one line naming it', async () => {
    await expect(loadBaseline('nope/base.json', { cwd })).rejects.toThrow('nope/base.json: no such file or directory (nope/base.json)');
  });

  test('baselinesDir moves where names are looked up', async () => {
    await saveBaseline(expected, join(cwd, 'out', 'baselines', 'a.json'));
    expect(await loadBaseline('a', { cwd, baselinesDir: 'out/baselines' })).toEqual(expected);
  });
});

describe('saveBaseline', () => {
  test('writes the deterministic text and leaves no temp file', async () => {
    const path = join(cwd, 'reports', 'baselines', 'x.json');
    await saveBaseline(expected, path);
    expect(await readFile(path, 'utf8')).toBe(stringifyBaseline(expected));
    expect(await readdir(join(cwd, 'reports', 'baselines'))).toEqual(['x.json']);
    expect(await knownBaselines(join(cwd, 'reports', 'baselines'))).toEqual(['x']);
  });

  test('baselineSavePath takes a NAME or a .json path and refuses anything else', () => {
    expect(baselineSavePath('nightly', { cwd })).toBe(join(cwd, 'reports', 'baselines', 'nightly.json'));
    expect(baselineSavePath('ci/b.json', { cwd })).toBe(join(cwd, 'ci', 'b.json'));
    expect(() => baselineSavePath('../escape', { cwd })).toThrow(UsageError);
  });
});
