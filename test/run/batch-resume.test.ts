/**
 * kill -9 after a batch was submitted, then --resume: the run re-attaches to the job its journal names
 * (the emulator, which outlives the child, counts 0 extra uploads and 0 extra batches) and records one
 * result per cell from the job's output.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/server.ts';
import { VirtualClock } from '../../src/internal/clock.ts';
import { REPO, configSource, qaCsv, tempProject, type TempProject } from '../support/cli-harness.ts';

const ROWS = 10;
let emulator: EmulatorHandle;
let project: TempProject;

beforeAll(async () => {
  // A virtual clock: the job stays `validating` until the test moves time, so the kill always lands
  // after the submit and before any result.
  emulator = await startEmulator(
    {
      seed: 5,
      apiKeys: ['k'],
      zeroLatency: true,
      deployments: [{ name: 'mini-batch', model: 'gpt-4.1-mini', capacity: 1000, sku: 'globalBatch' }],
    },
    { clock: new VirtualClock(1_800_000_000_000) },
  );
  project = await tempProject('bb-batch-resume-');
  await project.write('qa.csv', qaCsv(ROWS));
  await project.write(
    'eval.config.ts',
    configSource(`{
    scorers: ['exact-match'],
    targets: [{ name: 'offline', api: 'responses', maxOutputTokens: 16, mode: 'batch', batch: { pollIntervalMs: 20 },
      deployments: [{ baseURL: '${emulator.baseURL}', deployment: 'mini-batch', auth: { apiKeyEnv: 'BB_KEY' } }] }],
  }`),
  );
});

afterAll(async () => {
  await emulator?.close();
});

async function journal(dir: string): Promise<Array<Record<string, any>>> {
  if (!existsSync(join(dir, 'journal.jsonl'))) return [];
  return (await readFile(join(dir, 'journal.jsonl'), 'utf8'))
    .split('\n')
    .filter((l) => l.trim().startsWith('{') && l.trim().endsWith('}'))
    .map((l) => JSON.parse(l));
}

function startChild(out: string) {
  const child = spawn(
    process.execPath,
    [
      join(REPO, 'src/cli/main.ts'),
      'eval',
      '--config',
      join(project.dir, 'eval.config.ts'),
      '--dataset',
      join(project.dir, 'qa.csv'),
      '--out',
      out,
      '--quiet',
    ],
    {
      cwd: project.dir,
      env: { PATH: process.env.PATH, BB_KEY: 'k', CI: 'true' },
      stdio: 'ignore',
    },
  );
  return { child, exited: new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal))) };
}

/** Waits (by polling the journal, not by time) until the job is journaled, then kills the child hard. */
async function killAfterSubmit(out: string): Promise<void> {
  const { child, exited } = startChild(out);
  while (!(await journal(out)).some((r) => r.kind === 'batch-job')) await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
}

const env = { BB_KEY: 'k' };

test('kill -9 after submit, then --resume re-attaches without uploading or submitting again', async () => {
  const out = join(project.dir, 'run1');
  await killAfterSubmit(out);
  const status = await project.run(['batch', 'status', out], { env });
  expect(status.stdout).toMatch(/offline {2}batch_\S+ {2}validating/);
  expect(emulator.stats().batch).toMatchObject({ uploads: 1, batchesCreated: 1 });
  expect((await journal(out)).filter((r) => r.kind === 'result')).toHaveLength(0);

  emulator.clock.advance(5 * 60_000); // the job finishes on the emulator while no client runs
  const r = await project.run(['eval', '--config', 'eval.config.ts', '--resume', out], { env: { BB_KEY: 'k' } });
  expect(r.code).toBe(0);
  expect(emulator.stats().batch).toMatchObject({ uploads: 1, batchesCreated: 1 }); // 0 extra uploads, 0 extra batches
  const results = (await journal(out)).filter((x) => x.kind === 'result');
  expect(results).toHaveLength(ROWS);
  expect(new Set(results.map((x) => x.key)).size).toBe(ROWS);
  expect(results.every((x) => x.status === 'ok')).toBe(true);
  expect((await project.run(['batch', 'status', out], { env })).stdout).toMatch(/completed {2}10\/10 \(0 failed\) \(results recorded\)/);
});

test('batch cancel, then --resume collects the cancelled job (its lines stay unrecorded); the next --resume resubmits only them', async () => {
  const out = join(project.dir, 'run2');
  const before = emulator.stats().batch!;
  await killAfterSubmit(out);
  const cancel = await project.run(['batch', 'cancel', out], { env });
  expect(cancel.stdout).toMatch(/cancelling/);
  emulator.clock.advance(2 * 60_000);
  const collected = await project.run(['eval', '--config', 'eval.config.ts', '--resume', out], { env });
  expect(collected.stderr).toMatch(/10 cell\(s\) not run \(cancelled\); --resume sends only them again/);
  // Unrecorded cells: the run does not claim completion (exit 3 like other incomplete runs) and says how to go on.
  expect(collected.code).toBe(3);
  expect(collected.stderr).toContain(
    `incomplete: 10 batch cell(s) of expired or cancelled jobs were not run; resume with: batchbench eval --resume ${out}`,
  );
  expect((await journal(out)).filter((x) => x.kind === 'run-end').at(-1)!.reason).toBe('incomplete');
  expect(await readFile(join(out, 'summary.md'), 'utf8')).toMatch(/ended incomplete/);
  expect((await journal(out)).filter((x) => x.kind === 'result')).toHaveLength(0);
  expect((await journal(out)).some((x) => x.kind === 'batch-status' && x.status === 'cancelled')).toBe(true);
  // The next resume plans the unrecorded cells into a new file; the emulator's clock is moved until it ends.
  const resumed = project.run(['eval', '--config', 'eval.config.ts', '--resume', out], { env });
  let done = false;
  void resumed.finally(() => (done = true));
  while (!done) {
    emulator.clock.advance(60_000);
    await new Promise((r) => setTimeout(r, 20));
  }
  expect((await resumed).code).toBe(0);
  expect((await journal(out)).filter((x) => x.kind === 'result')).toHaveLength(ROWS);
  expect(emulator.stats().batch).toMatchObject({ uploads: before.uploads + 2, batchesCreated: before.batchesCreated + 2 });
});
