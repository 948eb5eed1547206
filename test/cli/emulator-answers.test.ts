/**
 * A standalone emulator that knows the user's own data: `batchbench emulator --answers my.csv` (or the
 * config's `answers`) with a fixed `--key`, started as its own process, and an eval config pointing at
 * it by URL — the README's end-to-end recipe. The known answers must score as correct; without the
 * answer key the same run scores nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, test } from 'vitest';
import { REPO, tempProject, type TempProject } from '../support/cli-harness.ts';

const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode !== null) continue;
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});

/** Starts the real CLI's emulator command; resolves with its base URL once it printed the key line. */
async function startEmulator(
  cwd: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ baseURL: string; key: string; output: string[] }> {
  const child = spawn(process.execPath, [join(REPO, 'src/cli/main.ts'), 'emulator', '--port', '0', ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const output: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  for await (const line of createInterface({ input: child.stdout! })) {
    output.push(line);
    if (line.startsWith('admin:')) break;
  }
  const baseURL = output
    .find((line) => line.startsWith('base URL:'))
    ?.slice('base URL:'.length)
    .trim();
  const key = output
    .find((line) => line.startsWith('api key:'))
    ?.slice('api key:'.length)
    .trim();
  if (!baseURL || !key) throw new Error(`emulator did not start: ${output.join('\n')}\n${stderr}`);
  return { baseURL, key, output };
}

const QUESTIONS = [
  ['c1', 'Which river flows through Vienna and Budapest?', 'Danube'],
  ['c2', 'What is the internal code name of project Bluebird?', 'Kestrel-7'],
  ['c3', 'How many moons does the planet Zorblax have?', '41'],
  ['c4', 'Who maintains the billing service at Contoso?', 'Priya Raman'],
];

async function project(): Promise<TempProject> {
  const p = await tempProject('bb-emu-answers-');
  await p.write('my.csv', `id,question,answer\n${QUESTIONS.map((row) => row.join(',')).join('\n')}\n`);
  await p.write(
    'emulator.json',
    JSON.stringify({ seed: 3, latencyScale: 0, deployments: [{ name: 'my-gpt', model: 'gpt-4.1-mini', capacity: 100, accuracy: 1 }] }),
  );
  await p.write(
    'emulator-with-answers.json',
    JSON.stringify({
      seed: 3,
      latencyScale: 0,
      answers: 'my.csv',
      deployments: [{ name: 'my-gpt', model: 'gpt-4.1-mini', capacity: 100, accuracy: 1 }],
    }),
  );
  return p;
}

/** An eval config that points at a running emulator by URL, its key in MY_EMULATOR_KEY. */
function evalConfig(baseURL: string): string {
  return `import { defineConfig } from ${JSON.stringify(join(REPO, 'src/index.ts'))};
export default defineConfig({
  scorers: ['exact-match'],
  targets: [{ name: 'my-gpt', api: 'chat', maxOutputTokens: 32, deployments: [{ baseURL: ${JSON.stringify(baseURL)}, deployment: 'my-gpt', auth: { apiKeyEnv: 'MY_EMULATOR_KEY' } }] }],
});
`;
}

/** Runs the eval against the emulator; counts the rows results.csv marks as passed. */
async function passes(p: TempProject, baseURL: string, key: string): Promise<{ code: number; passed: number; stderr: string }> {
  await p.write('eval.config.ts', evalConfig(baseURL));
  const result = await p.run(['eval', '--dataset', 'my.csv', '--quiet'], { env: { MY_EMULATOR_KEY: key } });
  if (result.runDir === undefined) throw new Error(`no run directory: ${result.stdout}\n${result.stderr}`);
  const rows = parse(await readFile(join(result.runDir, 'results.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>;
  expect(rows).toHaveLength(QUESTIONS.length);
  return { code: result.code, passed: rows.filter((row) => row['pass'] === 'true').length, stderr: result.stderr };
}

describe('batchbench emulator --answers', () => {
  test('--answers my.csv with --key: a config pointing at it scores every known answer as correct', async () => {
    const p = await project();
    const emulator = await startEmulator(p.dir, ['--config', 'emulator.json', '--answers', 'my.csv', '--key', 'local-test-key']);
    expect(emulator.key).toBe('local-test-key');
    expect(emulator.output).toContain('answer key:  4 questions (4 from my.csv)');
    const result = await passes(p, emulator.baseURL, 'local-test-key');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.passed).toBe(QUESTIONS.length);
  });

  test("the config's answers field does the same, and BATCHBENCH_EMULATOR_KEY fixes the key", async () => {
    const p = await project();
    const emulator = await startEmulator(p.dir, ['--config', 'emulator-with-answers.json'], { BATCHBENCH_EMULATOR_KEY: 'key-from-env' });
    expect(emulator.key).toBe('key-from-env');
    const result = await passes(p, emulator.baseURL, 'key-from-env');
    expect(result.code).toBe(0);
    expect(result.passed).toBe(QUESTIONS.length);
  });

  test('without an answer key the same questions are not answered correctly', async () => {
    const p = await project();
    const emulator = await startEmulator(p.dir, ['--config', 'emulator.json', '--key', 'k']);
    const result = await passes(p, emulator.baseURL, 'k');
    expect(result.passed).toBe(0);
  });
});
