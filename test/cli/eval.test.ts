/**
 * The eval command end to end: the real CLI, the real openai SDK, real HTTP to the embedded emulator,
 * real files. Covers the exit codes a user meets: success, a wrong key, a missing deployment, a
 * malformed CSV, a config mistake and a failed threshold.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import { configSource, qaCsv, tempProject } from '../support/cli-harness.ts';

const EMULATOR = `{
  seed: 7,
  latencyScale: 0.01,
  deployments: [
    { name: 'mini', model: 'gpt-4.1-mini', capacity: 1000, accuracy: 0.95 },
    { name: 'r1', model: 'DeepSeek-R1', capacity: 1000, accuracy: 0.6 },
  ],
}`;

function config(targets: string, extra = ''): string {
  return configSource(`{
    system: 'Answer with only the number.',
    scorers: ['exact-match'],
    ${extra}
    emulator: ${EMULATOR},
    targets: ${targets},
  }`);
}

const TWO_TARGETS = `[
  { name: 'mini', api: 'responses', maxOutputTokens: 32, deployments: [{ baseURL: 'emulator', deployment: 'mini' }] },
  { name: 'r1', api: 'chat', maxOutputTokens: 512, tokenLimitField: 'max_tokens', deployments: [{ baseURL: 'emulator', deployment: 'r1' }] },
]`;

async function readJsonl(path: string): Promise<Array<Record<string, unknown>>> {
  return (await readFile(path, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('batchbench eval', () => {
  test('compares two targets and writes journal, CSV and reports into the named run directory', async () => {
    const project = await tempProject();
    await project.write('eval.config.ts', config(TWO_TARGETS));
    await project.write('qa.csv', qaCsv(20));
    const result = await project.run(['eval', '--dataset', 'qa.csv']);

    expect(result.stderr).not.toMatch(/^(error|warning)/m);
    expect(result.code).toBe(0);
    expect(result.runDir).toBeDefined();
    const files = await readdir(result.runDir!);
    expect(files).toEqual(
      expect.arrayContaining(['journal.jsonl', 'results.csv', 'report.html', 'summary.md', 'junit.xml', 'report.json', 'manifest.json']),
    );

    const journal = await readJsonl(join(result.runDir!, 'journal.jsonl'));
    const results = journal.filter((r) => r.kind === 'result');
    expect(results).toHaveLength(40);
    expect(new Set(results.map((r) => r.key)).size).toBe(40);
    expect(results.every((r) => r.status === 'ok')).toBe(true);
    expect(journal[0]).toMatchObject({ kind: 'run-start', emulator: true, rows: 20 });
    expect(journal.at(-1)).toMatchObject({ kind: 'run-end', reason: 'completed' });

    const csv = parse(await readFile(join(result.runDir!, 'results.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>;
    expect(csv).toHaveLength(40);
    const r1 = csv.filter((row) => row.target === 'r1');
    // The reasoning model's <think> text is split off: the answer column holds only the answer.
    expect(r1.every((row) => !/<think>/.test(row.output ?? ''))).toBe(true);
    expect(result.stdout).toMatch(/mini/);
    expect(result.stdout).toMatch(/r1/);
  });

  test('a wrong key stops that target after at most 3 requests, names it and exits 3', async () => {
    const project = await tempProject();
    const targets = `[
      { name: 'mini', api: 'responses', maxOutputTokens: 32, deployments: [{ baseURL: 'emulator', deployment: 'mini' }] },
      { name: 'locked', api: 'responses', maxOutputTokens: 32, deployments: [{ baseURL: 'emulator', deployment: 'mini', id: 'locked', auth: { apiKeyEnv: 'WRONG_KEY' } }] },
    ]`;
    await project.write('eval.config.ts', config(targets));
    await project.write('qa.csv', qaCsv(30));
    const result = await project.run(['eval', '--dataset', 'qa.csv'], { env: { WRONG_KEY: 'not-the-key' } });

    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/target locked could not be completed: .*auth/);
    expect(result.stderr).not.toContain('not-the-key');
    const journal = await readJsonl(join(result.runDir!, 'journal.jsonl'));
    const lockedAttempts = journal.filter((r) => r.kind === 'attempt' && r.target === 'locked');
    expect(lockedAttempts.length).toBeGreaterThan(0);
    expect(lockedAttempts.length).toBeLessThanOrEqual(3);
    const lockedResults = journal.filter((r) => r.kind === 'result' && r.target === 'locked');
    expect(lockedResults).toHaveLength(30);
    expect(lockedResults.every((r) => r.status === 'failed')).toBe(true);
    // The healthy target is unaffected.
    expect(journal.filter((r) => r.kind === 'result' && r.target === 'mini' && r.status === 'ok')).toHaveLength(30);
  });

  test('a missing deployment is named and exits 3', async () => {
    const project = await tempProject();
    const targets = `[{ name: 'ghost', api: 'chat', maxOutputTokens: 32, deployments: [{ baseURL: 'emulator', deployment: 'no-such-deployment' }] }]`;
    await project.write('eval.config.ts', config(targets));
    await project.write('qa.csv', qaCsv(10));
    const result = await project.run(['eval', '--dataset', 'qa.csv']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/target ghost could not be completed: .*not_found/);
  });

  test('a malformed CSV is one line naming file, line and column; exit 2; nothing sent or written', async () => {
    const project = await tempProject();
    await project.write('eval.config.ts', config(TWO_TARGETS));
    await project.write('bad.csv', 'id,question,answer\nq1,"What is 1 plus 1?,2\nq2,What is 2 plus 2?,4\n');
    const result = await project.run(['eval', '--dataset', 'bad.csv']);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^error: bad\.csv:\d+(:\d+)?: /);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(join(project.dir, 'reports'))).toBe(false);
  });

  test('a config mistake lists every problem with its path; exit 2', async () => {
    const project = await tempProject();
    await project.write(
      'eval.config.ts',
      configSource(
        `{ repeats: 0, targets: [{ name: 'x', temperature: 7, deployments: [{ baseURL: 'https://x.openai.azure.com/', deployment: 'd', auth: { apiKeyEnv: 'K' } }] }] }`,
      ),
    );
    await project.write('qa.csv', qaCsv(3));
    const result = await project.run(['eval', '--dataset', 'qa.csv'], { env: { K: 'k' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/repeats/);
    expect(result.stderr).toMatch(/targets\[0\]\.temperature/);
    expect(result.stderr).toMatch(/openai\/v1/);
  });

  test('an unknown flag or a bad number is a usage error, exit 2', async () => {
    const project = await tempProject();
    expect((await project.run(['eval', '--dataset', 'qa.csv', '--limit', '0'])).code).toBe(2);
    expect((await project.run(['eval', '--no-such-flag'])).code).toBe(2);
  });

  test('a failed accuracy threshold exits 1 and names the target', async () => {
    const project = await tempProject();
    await project.write('eval.config.ts', config(TWO_TARGETS, `thresholds: { perTarget: { r1: { accuracy: 0.99 } } },`));
    await project.write('qa.csv', qaCsv(20));
    const result = await project.run(['eval', '--dataset', 'qa.csv', '--quiet']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/threshold failed: r1: accuracy/);
  });

  test('batchbench report re-renders every output byte for byte from the journal', async () => {
    const project = await tempProject();
    await project.write('eval.config.ts', config(TWO_TARGETS));
    await project.write('qa.csv', qaCsv(15));
    const run = await project.run(['eval', '--dataset', 'qa.csv', '--quiet']);
    expect(run.code).toBe(0);
    const names = ['results.csv', 'report.json', 'summary.md', 'junit.xml', 'report.html'];
    const before = await Promise.all(names.map((name) => readFile(join(run.runDir!, name))));
    const rerender = await project.run(['report', run.runDir!]);
    expect(rerender.code).toBe(0);
    const after = await Promise.all(names.map((name) => readFile(join(run.runDir!, name))));
    for (const [i, name] of names.entries()) expect(after[i]!.equals(before[i]!), name).toBe(true);
  });

  test('--cache answers a repeated run from the cache, marked as cached, without requests', async () => {
    const project = await tempProject();
    await project.write('eval.config.ts', config(TWO_TARGETS));
    await project.write('qa.csv', qaCsv(10));
    const first = await project.run(['eval', '--dataset', 'qa.csv', '--cache', '--quiet']);
    expect(first.code).toBe(0);
    const second = await project.run(['eval', '--dataset', 'qa.csv', '--cache', '--quiet']);
    expect(second.code).toBe(0);
    const journal = await readJsonl(join(second.runDir!, 'journal.jsonl'));
    expect(journal.filter((r) => r.kind === 'attempt')).toHaveLength(0);
    const results = journal.filter((r) => r.kind === 'result');
    expect(results).toHaveLength(20);
    expect(results.every((r) => r.cached === true)).toBe(true);
  });
});
