/**
 * A dead endpoint fails in seconds, naming the URL (issue 10 §3): the real CLI and SDK against a
 * loopback port that was just closed, so every connection is refused by the OS. The target stops after
 * the bounded first-contact probe, its cells are recorded with the reason, and the run exits 3.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { firstContactTuning } from '../../src/scheduler/first-contact.ts';
import { configSource, qaCsv, tempProject } from '../support/cli-harness.ts';

/** A port nothing listens on: bind an ephemeral port on 127.0.0.1, then close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}

test('a run against a closed port exits 3 within 30 s; every cell names the deployment and ECONNREFUSED', async () => {
  const port = await closedPort();
  const baseURL = `http://127.0.0.1:${port}/v1`;
  const project = await tempProject();
  await project.write(
    'eval.config.ts',
    configSource(`{
      scorers: ['exact-match'],
      targets: [{ name: 'gpt-4o', api: 'chat', maxOutputTokens: 16, deployments: [{ baseURL: ${JSON.stringify(baseURL)}, deployment: 'gpt-4o', id: 'eastus', auth: { apiKeyEnv: 'DEAD_KEY' } }] }],
    }`),
  );
  await project.write('qa.csv', qaCsv(30));
  const started = performance.now();
  const result = await project.run(['eval', '--dataset', 'qa.csv'], { env: { DEAD_KEY: 'k' } });
  const elapsedMs = performance.now() - started;

  expect(result.code).toBe(3);
  // a generous ceiling: the probe itself waits 1 s + 3 s; 30 s is the promise
  expect(elapsedMs).toBeLessThan(30_000);
  expect(result.stdout + result.stderr).toMatch(/target gpt-4o could not be completed/);

  // every cell says why: the deployment, the attempts and the OS error; the run-start record maps the
  // deployment to its URL (how the summary line is worded is the CLI's business, not tested here)
  const journal = (await readFile(join(result.runDir as string, 'journal.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(JSON.stringify(journal[0])).toContain(`"baseURL":"${baseURL}/"`);
  const results = journal.filter((record) => record.kind === 'result');
  expect(results).toHaveLength(30);
  for (const record of results) {
    expect(record).toMatchObject({ status: 'failed', error: { category: 'connection', code: 'ECONNREFUSED' } });
    expect((record.error as { message: string }).message).toMatch(
      new RegExp(
        `deployment eastus unreachable after 3 connection attempts: connection failed: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}`,
      ),
    );
  }
  expect(results.some((record) => record.deploymentId === 'eastus')).toBe(true); // the cells that were sent
  const attempts = results.reduce((sum, record) => sum + Number(record.attempts ?? 0), 0);
  expect(attempts).toBeLessThanOrEqual(firstContactTuning.maxProbes);

  // The progress line said what it was waiting for while the probe ran, and counted every failed
  // attempt as an error (it once showed `errors 0` while every attempt failed).
  const progress = result.stderr.split('\n').filter((line) => line.startsWith('progress:'));
  expect(progress.some((line) => /· waiting: eastus unreachable \(ECONNREFUSED\), probing; next try in [1-4] s$/.test(line))).toBe(true);
  const failedAttempts = journal.filter((record) => record.kind === 'attempt' && record.outcome === 'connection').length;
  expect(failedAttempts).toBeGreaterThan(0);
  expect(progress.at(-1)).toContain(`errors ${failedAttempts} · attempts ${failedAttempts}`);
}, 60_000);
