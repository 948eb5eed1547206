/**
 * The merge command on real shard runs: `eval --shard i/n` through the real CLI against the embedded
 * emulator, then `mergeCommand`, then the merged directory used like any run directory.
 */
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mergeCommand } from '../../src/cli/commands/merge.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { describeFailure } from '../../src/cli/main.ts';
import { REPO, configSource, noInterrupt, qaCsv, tempProject, type TempProject } from '../support/cli-harness.ts';

const CONFIG = configSource(`{
  system: 'Answer with only the number.',
  scorers: ['exact-match'],
  emulator: { seed: 5, latencyScale: 0.01, deployments: [{ name: 'mini', model: 'gpt-4.1-mini', capacity: 2000, accuracy: 0.8 }] },
  targets: [{ name: 'mini', api: 'responses', maxOutputTokens: 32, deployments: [{ baseURL: 'emulator', deployment: 'mini' }] }],
}`);
const ROWS = 16;

let project: TempProject;

beforeAll(async () => {
  project = await tempProject('bb-merge-cli-');
  await project.write('eval.config.ts', CONFIG);
  await project.write('qa.csv', qaCsv(ROWS));
  for (const shard of ['1/2', '2/2']) {
    const result = await project.run([
      'eval',
      '--dataset',
      'qa.csv',
      '--shard',
      shard,
      '--out',
      `shards/${shard.replace('/', '-of-')}`,
      '--quiet',
    ]);
    expect([result.code, result.stderr]).toEqual([0, '']);
  }
}, 120_000);
afterAll(async () => {
  await rm(project.dir, { recursive: true, force: true });
});

/** Runs mergeCommand as main.ts would: a thrown error becomes its one-line message and exit code. */
async function merge(dirs: readonly string[], out: string, quiet = false): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    cwd: project.dir,
    env: { PATH: process.env.PATH },
    isTTY: false,
    datasetsDir: join(REPO, 'datasets'),
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    interrupt: noInterrupt,
  };
  try {
    return { code: await mergeCommand({ dirs, out, quiet }, io), stdout, stderr };
  } catch (error) {
    const failure = describeFailure(error);
    return { code: failure.code, stdout, stderr: `${stderr}${failure.text}\n` };
  }
}

describe('batchbench merge', () => {
  test('merges real shard runs and names the merged run directory', async () => {
    const result = await merge(['shards/2-of-2', 'shards/1-of-2'], 'merged', true);
    expect(result).toEqual({
      code: 0,
      stderr: '',
      stdout: `merged 2 runs (${ROWS} rows, ${ROWS} results)\nrun directory: ${join(project.dir, 'merged')}\n`,
    });
  });

  test('prints the console summary of the merged run unless quiet', async () => {
    const result = await merge(['shards/1-of-2', 'shards/2-of-2'], 'merged-loud');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/-qa-merged/);
    expect(result.stdout).toMatch(/^\s*mini\s+\d+\.\d%/m);
  });

  test('the merged directory re-renders byte for byte with `batchbench report`', async () => {
    await merge(['shards/1-of-2', 'shards/2-of-2'], 'merged-again', true);
    const before = await readFile(join(project.dir, 'merged-again', 'report.json'), 'utf8');
    const report = await project.run(['report', 'merged-again']);
    expect(report.code).toBe(0);
    expect(await readFile(join(project.dir, 'merged-again', 'report.json'), 'utf8')).toBe(before);
    expect(JSON.parse(before)).toMatchObject({ rows: ROWS, endReason: 'completed' });
  });

  test('exits 1 naming the target when the merged run fails a threshold recorded by its shards', async () => {
    for (const name of ['1-of-2', '2-of-2']) {
      await cp(join(project.dir, 'shards', name), join(project.dir, 'strict', name), { recursive: true });
      const path = join(project.dir, 'strict', name, 'journal.jsonl');
      const [first, ...rest] = (await readFile(path, 'utf8')).split('\n');
      await writeFile(path, [JSON.stringify({ ...JSON.parse(first!), thresholds: { accuracy: 0.999 } }), ...rest].join('\n'));
    }
    const result = await merge(['strict/1-of-2', 'strict/2-of-2'], 'merged-strict', true);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^threshold failed: mini: accuracy \d+\.\d% is below the threshold 99\.9%\n$/);
  });

  test('a missing shard is a one-line usage error with exit code 2', async () => {
    const result = await merge(['shards/1-of-2'], 'merged-partial');
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'error: missing shard 2/2 (have 1/2)\n' });
  });

  test('an existing non-empty out directory is refused with exit code 2', async () => {
    const result = await merge(['shards/1-of-2', 'shards/2-of-2'], 'shards');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: --out shards: directory is not empty; .*\n$/);
  });
});
