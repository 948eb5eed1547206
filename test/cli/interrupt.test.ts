/**
 * Ctrl-C: the first interrupt stops dispatching, lets requests in flight finish, writes partial
 * reports and prints how to resume (exit 130); --resume then finishes the run with exactly one final
 * record per cell. --retry-errors re-runs only failed cells into a new directory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Interrupt } from '../../src/cli/io.ts';
import { configSource, qaCsv, tempProject } from '../support/cli-harness.ts';

const CONFIG = configSource(`{
  scorers: ['exact-match'],
  emulator: { seed: 3, latencyScale: 0.5, deployments: [{ name: 'mini', model: 'gpt-4.1-mini', capacity: 1000, accuracy: 0.9, heavyTail: false }] },
  targets: [{ name: 'mini', api: 'responses', maxOutputTokens: 16, deployments: [{ baseURL: 'emulator', deployment: 'mini', maxConcurrency: 4 }] }],
}`);

async function results(runDir: string): Promise<Array<{ key: string; status: string }>> {
  return (await readFile(join(runDir, 'journal.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { kind: string; key: string; status: string })
    .filter((record) => record.kind === 'result');
}

/** An interrupt that fires on its own once the journal holds `results` final records (not on a timer, so load cannot race it). */
function interruptAfterResults(journal: string, results: number): () => Interrupt {
  return () => {
    const soft = new AbortController();
    const hard = new AbortController();
    const poll = setInterval(() => {
      if (!existsSync(journal)) return;
      const done = readFileSync(journal, 'utf8').split('"kind":"result"').length - 1;
      if (done >= results) {
        clearInterval(poll);
        soft.abort(new Error('SIGINT'));
      }
    }, 10);
    return { signal: soft.signal, hardSignal: hard.signal, dispose: () => clearInterval(poll) };
  };
}

describe('interrupt and resume', () => {
  test('Ctrl-C writes partial reports and exits 130; --resume completes with one record per cell', async () => {
    const project = await tempProject();
    await project.write('eval.config.ts', CONFIG);
    await project.write('qa.csv', qaCsv(60));
    const interrupted = await project.run(['eval', '--dataset', 'qa.csv', '--out', 'run', '--quiet'], {
      interrupt: interruptAfterResults(join(project.dir, 'run', 'journal.jsonl'), 5),
    });
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toMatch(/batchbench eval --resume /);
    const runDir = interrupted.runDir!;
    for (const name of ['report.html', 'summary.md', 'results.csv', 'report.json']) expect(existsSync(join(runDir, name)), name).toBe(true);
    const partial = await results(runDir);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(60);
    expect(partial.every((r) => r.status === 'ok')).toBe(true); // interrupted cells get no final record

    const resumed = await project.run(['eval', '--resume', runDir, '--quiet']);
    expect(resumed.code).toBe(0);
    const all = await results(runDir);
    expect(all).toHaveLength(60);
    expect(new Set(all.map((r) => r.key)).size).toBe(60);
    const csv = (await readFile(join(runDir, 'results.csv'), 'utf8')).trim().split('\n');
    expect(csv).toHaveLength(61); // header + every cell, including those from before the interrupt
  });

  test('--resume refuses matrix flags, and a directory that is not a run', async () => {
    const project = await tempProject();
    expect((await project.run(['eval', '--resume', project.dir])).stderr).toMatch(/not a batchbench run directory/);
    expect((await project.run(['eval', '--resume', project.dir, '--limit', '3'])).code).toBe(2);
  });

  test('--retry-errors re-runs only failed cells, into a new run directory', async () => {
    const project = await tempProject();
    const config = (key: string) =>
      configSource(`{
        scorers: ['exact-match'],
        emulator: { seed: 3, latencyScale: 0.02, deployments: [{ name: 'mini', model: 'gpt-4.1-mini', capacity: 1000 }] },
        targets: [
          { name: 'ok', api: 'responses', maxOutputTokens: 16, deployments: [{ baseURL: 'emulator', deployment: 'mini' }] },
          { name: 'flaky', api: 'responses', maxOutputTokens: 16, deployments: [{ baseURL: 'emulator', deployment: 'mini', id: 'flaky', auth: { apiKeyEnv: '${key}' } }] },
        ],
      }`);
    await project.write('eval.config.ts', config('FLAKY_KEY'));
    await project.write('qa.csv', qaCsv(10));
    // The embedded emulator accepts the key in BATCHBENCH_EMULATOR_KEY; "flaky" first has a wrong one.
    const first = await project.run(['eval', '--dataset', 'qa.csv', '--quiet'], {
      env: { BATCHBENCH_EMULATOR_KEY: 'right', FLAKY_KEY: 'wrong' },
    });
    expect(first.code).toBe(3);
    const retry = await project.run(['eval', '--retry-errors', first.runDir!, '--quiet'], {
      env: { BATCHBENCH_EMULATOR_KEY: 'right', FLAKY_KEY: 'right' },
    });
    expect(retry.stderr).toBe('');
    expect(retry.code).toBe(0);
    expect(retry.runDir).not.toBe(first.runDir);
    const journal = (await readFile(join(retry.runDir!, 'journal.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; target: string; status: string });
    const okResults = journal.filter((r) => r.kind === 'result' && r.target === 'ok');
    expect(okResults).toHaveLength(10); // copied, not re-sent
    expect(journal.filter((r) => r.kind === 'attempt' && r.target === 'ok')).toHaveLength(10);
    const flaky = journal.filter((r) => r.kind === 'result' && r.target === 'flaky');
    expect(flaky).toHaveLength(10); // one record per cell: the old failures were dropped
  });
});
