/**
 * `batchbench load --dataset FILE` end to end: the real CLI (in-process), the real SDK over HTTP to an
 * emulator this test owns (so its logs can be read after the CLI has finished), real files. The run
 * directory is checked against the server's own records: every answered request in results.csv is one
 * the emulator completed (same request ids, nothing more), each step's requests in report.json are the
 * admissions the emulator logged in that step's window, at the same rate (±1 % unless the step is
 * flagged client-bound), the dataset's prompts were cycled in order (each body completed equally often),
 * and `batchbench report DIR` re-renders every file byte for byte.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulatorInWorker, type RemoteEmulatorHandle } from '../../src/emulator/server.ts';
import { rateOfTimes } from '../../src/report/load/step-stats.ts';
import { configSource, tempProject } from '../support/cli-harness.ts';

const PROMPTS = [
  'What is the capital of France?',
  'Name a primary colour.',
  'How many legs has a spider?',
  'What is 7 times 6?',
  'Which planet is largest?',
];

let emulator: RemoteEmulatorHandle;
beforeAll(async () => {
  emulator = await startEmulatorInWorker({
    seed: 5,
    latencyScale: 0.05,
    deployments: [{ name: 'mini', model: 'gpt-4.1-mini', capacity: 1_000_000, heavyTail: false }],
  });
});
afterAll(() => emulator.close());

async function emulatorGet<T>(path: string): Promise<T> {
  const res = await fetch(`${emulator.url}${path}`, { headers: { 'api-key': emulator.apiKey } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

describe('batchbench load --dataset', () => {
  test("a dataset workload cycles its prompts; results.csv and report.json agree with the emulator's logs; report DIR re-renders byte for byte", async () => {
    const project = await tempProject('bb-load-ds-');
    await project.write(
      'eval.config.ts',
      configSource(`{
      targets: [{ name: 'mini', api: 'chat', maxOutputTokens: 32, deployments: [{ baseURL: ${JSON.stringify(emulator.baseURL)}, deployment: 'mini', auth: { apiKeyEnv: 'EMU_KEY' } }] }],
    }`),
    );
    await project.write('prompts.csv', `id,question\n${PROMPTS.map((q, i) => `p${i},${q}`).join('\n')}\n`);
    const result = await project.run(
      ['load', '--dataset', 'prompts.csv', '--profile', 'rate 10,20', '--duration', '2s', '--out', 'run', '--quiet'],
      { env: { EMU_KEY: emulator.apiKey } },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const dir = join(project.dir, 'run');

    const journal = (await readFile(join(dir, 'journal.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, any>);
    expect(journal[0]).toMatchObject({ kind: 'load-start', emulator: false, workload: { source: expect.stringContaining('prompts.csv') } });
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    const steps = report.targets[0].steps as Array<Record<string, any>>;
    expect(steps.map((s) => [s.offeredRate, s.requests, s.ok])).toEqual([
      [10, 20, 20],
      [20, 40, 40],
    ]);

    // results.csv: one row per request, all answered, and exactly the requests the emulator completed.
    const rows = parse(await readFile(join(dir, 'results.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(60);
    expect(rows.every((r) => r.outcome === 'ok' && r.status === '200' && r.scheduled_at !== '' && Number(r.output_tokens) > 0)).toBe(true);
    const completions = await emulatorGet<{ requestIds: string[]; byFingerprint: Record<string, number> }>(
      '/_emulator/stats?deployment=mini&log=1',
    ).then((s: any) => s.completions as { requestIds: string[]; byFingerprint: Record<string, number> });
    expect(rows.map((r) => r.request_id).sort()).toEqual([...completions.requestIds].sort());
    // The prompts were cycled: 60 requests over 5 prompts, each request body completed exactly 12 times.
    expect(Object.values(completions.byFingerprint)).toEqual([12, 12, 12, 12, 12]);
    // …in dataset order: request seq i of a step carries prompt i mod 5 (same prompt → same token count).
    const promptTokens = new Map<number, string>();
    for (const r of rows) {
      const k = Number(r.seq) % 5;
      expect(promptTokens.get(k) ?? r.prompt_tokens).toBe(r.prompt_tokens);
      promptTokens.set(k, r.prompt_tokens!);
    }

    // report.json against the admission log: each step's window holds exactly its requests, at its rate.
    const admissions = (await emulatorGet<Array<{ t: number }>>('/_emulator/admissions?deployment=mini')).map((a) => a.t);
    expect(admissions).toHaveLength(60);
    for (const step of steps) {
      const start = journal.find((r) => r.kind === 'load-step' && r.step === step.step)!.startedAt as number;
      const end = journal.find((r) => r.kind === 'load-step-end' && r.step === step.step)!.endedAt as number;
      const inStep = admissions.filter((t) => t >= start && t <= end);
      expect(inStep).toHaveLength(step.requests);
      const serverRate = rateOfTimes(inStep)!;
      if (!step.clientBound) expect(Math.abs(serverRate / step.achievedRate - 1)).toBeLessThanOrEqual(0.01);
      const csvSends = rows.filter((r) => Number(r.step) === step.step).map((r) => Date.parse(r.sent_at!));
      expect(csvSends).toHaveLength(step.requests);
    }

    // Re-rendering from the journal reproduces every file byte for byte.
    const files = ['results.csv', 'steps.csv', 'report.json', 'summary.md', 'report.html'];
    const before = await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')));
    const again = await project.run(['report', 'run']);
    expect(again.code).toBe(0);
    expect(await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')))).toEqual(before);
  });
});
