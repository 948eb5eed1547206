/**
 * Crash safety: the real CLI in a child process is killed with SIGKILL at random points of a run
 * against the emulator, then resumed, several times. The final journal must hold exactly one final
 * record per cell, and the emulator (which outlives the children) must never have completed the same
 * request twice.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/server.ts';
import { createRng } from '../../src/internal/rng.ts';
import { REPO, configSource, qaCsv, tempProject, type TempProject } from '../support/cli-harness.ts';

const ROWS = 30;
const KILLS = 3;

let emulator: EmulatorHandle;
let project: TempProject;

beforeAll(async () => {
  // Real latency (~0.4 s per request) and few requests in flight, so a run spans several seconds.
  emulator = await startEmulator({
    seed: 11,
    apiKeys: ['test-key'],
    deployments: [{ name: 'mini', model: 'gpt-4.1-mini', capacity: 1000, accuracy: 0.9, heavyTail: false }],
  });
  project = await tempProject('bb-kill-');
  await project.write('qa.csv', qaCsv(ROWS));
  await project.write(
    'eval.config.ts',
    configSource(`{
      scorers: ['exact-match'],
      targets: [{ name: 'mini', api: 'chat', maxOutputTokens: 16,
        deployments: [{ baseURL: process.env.BB_URL!, deployment: 'mini', auth: { apiKeyEnv: 'BB_KEY' }, maxConcurrency: 3 }] }],
    }`),
  );
});

afterAll(async () => {
  await emulator?.close();
});

function runChild(args: string[], killAfterMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO, 'src/cli/main.ts'), 'eval', '--config', join(project.dir, 'eval.config.ts'), '--quiet', ...args], {
      cwd: project.dir,
      env: { PATH: process.env.PATH, BB_URL: emulator.baseURL, BB_KEY: 'test-key', CI: 'true' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    // The kill clock starts once the run is under way (its manifest exists), so start-up time on a
    // loaded machine does not decide where the kill lands.
    let timer: NodeJS.Timeout | undefined;
    const poll =
      killAfterMs === undefined
        ? undefined
        : setInterval(() => {
            if (timer || !existsSync(join(project.dir, 'run', 'manifest.json'))) return;
            timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
          }, 20);
    child.on('exit', (code, signal) => {
      if (poll) clearInterval(poll);
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

describe('kill -9 and --resume', () => {
  test('every cell ends with exactly one final record and no completed request is sent twice', async () => {
    const random = createRng(2026);
    const runDir = join(project.dir, 'run');
    let killed = 0;
    // The first attempt must get far enough to write its manifest; later ones are resumes.
    let first = await runChild(['--dataset', 'qa.csv', '--out', runDir], 200 + random() * 1200);
    if (first.signal === 'SIGKILL') killed++;
    expect(first.stderr).not.toMatch(/^error/m);
    for (let i = 1; i < KILLS; i++) {
      const resumed = await runChild(['--resume', runDir], 200 + random() * 1200);
      expect(resumed.stderr).not.toMatch(/^error/m);
      if (resumed.signal === 'SIGKILL') killed++;
    }
    const final = await runChild(['--resume', runDir]);
    expect(final.stderr).not.toMatch(/^error/m);
    expect(final.code).toBe(0);
    expect(killed).toBeGreaterThanOrEqual(2);

    const journal = (await readFile(join(runDir, 'journal.jsonl'), 'utf8'))
      .split('\n')
      .filter((line) => line.trim() !== '')
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as { kind: string; key?: string; status?: string }];
        } catch {
          return []; // a line torn by SIGKILL
        }
      });
    const results = journal.filter((r) => r.kind === 'result');
    const keys = results.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(ROWS);
    expect(results.every((r) => r.status === 'ok')).toBe(true);

    const stats = emulator.stats().deployments.mini!;
    expect(stats.duplicateCompletions).toBe(0);
    expect(stats.completed).toBeGreaterThanOrEqual(ROWS);
  }, 90_000);
});
