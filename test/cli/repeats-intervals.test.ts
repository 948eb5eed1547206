/**
 * --repeats 3 through the real CLI: the emulator answers a prompt the same way every time (like a
 * model at temperature 0), so the three samples of a row are perfectly correlated and carry the
 * information of one. The reported interval must be the per-row one, wider than a naive Wilson
 * interval over all samples.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { wilsonInterval } from '../../src/report/stats/wilson.ts';
import { configSource, qaCsv, tempProject } from '../support/cli-harness.ts';

test("--repeats 3: accuracy intervals are wider than the naive Wilson interval, because a row's repeats agree", async () => {
  const project = await tempProject('bb-repeats-');
  await project.write('qa.csv', qaCsv(30));
  await project.write(
    'eval.config.ts',
    configSource(`{
    scorers: ['exact-match'],
    emulator: { seed: 11, latencyScale: 0.01, deployments: [{ name: 'm', model: 'gpt-4.1-mini', capacity: 1000, accuracy: 0.6, heavyTail: false }] },
    targets: [{ name: 'm', api: 'responses', maxOutputTokens: 16, deployments: [{ baseURL: 'emulator', deployment: 'm' }] }],
  }`),
  );
  const run = await project.run(['eval', '--dataset', 'qa.csv', '--repeats', '3', '--quiet']);
  expect(run.code).toBe(0);
  const records = (await readFile(join(run.runDir!, 'journal.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { kind: string; rowId: string; passed: boolean });
  const byRow = new Map<string, boolean[]>();
  for (const r of records.filter((x) => x.kind === 'result')) byRow.set(r.rowId, [...(byRow.get(r.rowId) ?? []), r.passed]);
  // Why the interval widens: every row's three verdicts agree.
  expect([...byRow.values()].every((v) => v.length === 3 && v.every((p) => p === v[0]))).toBe(true);
  const rowsPassed = [...byRow.values()].filter((v) => v[0]).length;

  // Rendered from the journal alone (the live path's agreement with it is tested by the path matrix).
  expect((await project.run(['report', run.runDir!])).code).toBe(0);
  const report = JSON.parse(await readFile(join(run.runDir!, 'report.json'), 'utf8'));
  const accuracy = report.targets[0].accuracy;
  expect(accuracy).toMatchObject({ passed: rowsPassed * 3, scored: 90, method: 'wilson-clustered' });
  expect(accuracy.designEffect).toBeCloseTo(3, 9);
  const naive = wilsonInterval(rowsPassed * 3, 90)!;
  expect(accuracy.ci.high - accuracy.ci.low).toBeGreaterThan(naive.high - naive.low);
  // It is the interval of the 30 rows, the real amount of evidence.
  const perRow = wilsonInterval(rowsPassed, 30)!;
  expect(accuracy.ci.low).toBeCloseTo(perRow.low, 9);
  expect(accuracy.ci.high).toBeCloseTo(perRow.high, 9);
});
