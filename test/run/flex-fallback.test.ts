/**
 * Flex against the emulator: a flex request refused for lack of Flex capacity is a capacity 429 (an
 * attempt used, backoff, never a quota pause); with `flexFallback: 'standard'` a cell that met
 * `flexFallbackAfter` of them is answered by the standard tier, recorded as such (result, attempt,
 * results.csv, report) and priced at the standard price; without it every answer is Flex at the flex price.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/server.ts';
import { configSource, qaCsv, tempProject, type TempProject } from '../support/cli-harness.ts';

const ROWS = 12;
let emulator: EmulatorHandle;
let project: TempProject;

async function records(runDir: string): Promise<Array<Record<string, any>>> {
  return (await readFile(join(runDir, 'journal.jsonl'), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

const dep = (name: string) => `{ baseURL: '${emulator.baseURL}', deployment: '${name}', auth: { apiKeyEnv: 'BB_KEY' } }`;
const target = (name: string, deployment: string, extra: string) =>
  `{ name: '${name}', api: 'chat', maxOutputTokens: 16, price: { input: 1, output: 4 }, serviceTier: 'flex', ${extra} deployments: [${dep(deployment)}] }`;

beforeAll(async () => {
  const answerKey = Array.from({ length: ROWS }, (_, i) => ({ question: `What is ${i + 1} plus ${i + 1}?`, answer: String(2 * (i + 1)) }));
  emulator = await startEmulator({
    seed: 11,
    apiKeys: ['k'],
    zeroLatency: true,
    answerKey,
    deployments: [
      // No Flex capacity at all: every flex request is refused; the standard tier always answers.
      { name: 'flex-dry', model: 'gpt-4.1-mini', capacity: 1000, flexCapacityShortageRate: 1, flexRetryAfterMs: 5 },
      // Some shortage: a seeded 40 % of flex attempts are refused.
      { name: 'flex-some', model: 'gpt-4.1-mini', capacity: 1000, flexCapacityShortageRate: 0.4, flexRetryAfterMs: 5 },
    ],
  });
  project = await tempProject('bb-flex-');
  await project.write('qa.csv', qaCsv(ROWS));
  await project.write(
    'eval.config.ts',
    configSource(`{
    scorers: ['exact-match'],
    retry: { maxAttempts: 12, baseDelayMs: 1, maxDelayMs: 20 },
    targets: [
      ${target('fallback', 'flex-dry', "flexFallback: 'standard', flexFallbackAfter: 2,")},
      ${target('flexonly', 'flex-some', '')},
    ],
  }`),
  );
});

afterAll(async () => {
  await emulator?.close();
});

describe('Flex capacity 429s and flexFallback', () => {
  test('the standard tier answers after flexFallbackAfter refusals, at the standard price; Flex answers stay at the flex price', async () => {
    const r = await project.run(['eval', '--config', 'eval.config.ts', '--dataset', 'qa.csv', '--quiet'], { env: { BB_KEY: 'k' } });
    expect(r.stderr).not.toMatch(/error:/);
    expect(r.code).toBe(0);
    const all = await records(r.runDir!);
    const results = all.filter((x) => x.kind === 'result');
    const attempts = all.filter((x) => x.kind === 'attempt');

    // Fallback target: exactly 2 flex refusals (capacity 429s, each an attempt), then the standard tier.
    const fallback = results.filter((x) => x.target === 'fallback');
    expect(fallback).toHaveLength(ROWS);
    for (const x of fallback) {
      expect(x.status).toBe('ok');
      expect(x.serviceTier).toBe('default');
      expect(x.attempts).toBe(3);
      expect(x.cost).toBeCloseTo((x.usage.promptTokens * 1 + x.usage.completionTokens * 4) / 1e6, 12);
      const mine = attempts.filter((a) => a.key === x.key);
      expect(mine.map((a) => a.outcome)).toEqual(['capacity', 'capacity', 'ok']);
      expect(mine[2]!.serviceTier).toBe('default');
    }
    expect(emulator.stats().deployments['flex-dry']!.rejected429).toMatchObject({ capacity: 2 * ROWS, quota_tokens: 0, quota_requests: 0 });

    // Flex-only target: every answer is Flex, at half price; refusals were capacity 429s that used attempts.
    const flexonly = results.filter((x) => x.target === 'flexonly');
    expect(flexonly).toHaveLength(ROWS);
    const refusals = attempts.filter((a) => a.target === 'flexonly' && a.outcome === 'capacity').length;
    expect(refusals).toBeGreaterThan(0);
    expect(refusals).toBe(emulator.stats().deployments['flex-some']!.rejected429.capacity);
    for (const x of flexonly) {
      expect(x.status).toBe('ok');
      expect(x.serviceTier).toBe('flex');
      expect(x.cost).toBeCloseTo(((x.usage.promptTokens * 1 + x.usage.completionTokens * 4) / 1e6) * 0.5, 12);
    }
    expect(flexonly.reduce((n, x) => n + x.attempts, 0)).toBe(ROWS + refusals);

    // Not a quota pause: the run saw capacity 429s only, and no deployment was paused.
    const end = all.filter((x) => x.kind === 'run-end').at(-1)!;
    expect(end.stats).toMatchObject({ quota429: 0, capacity429: 2 * ROWS + refusals, pausedMs: 0 });

    // results.csv names the tier that answered each cell.
    const csv = (await readFile(join(r.runDir!, 'results.csv'), 'utf8')).trim().split('\n');
    const header = csv[0]!.split(',');
    expect(header.at(-1)).toBe('service_tier');
    const tierOf = (line: string) => line.split(',').at(-1);
    const targetCol = header.indexOf('target');
    for (const line of csv.slice(1)) expect(tierOf(line)).toBe(line.split(',')[targetCol] === 'fallback' ? 'default' : 'flex');

    // The report: answers per tier, and each target's cost at the price of the tier that answered.
    const report = JSON.parse(await readFile(join(r.runDir!, 'report.json'), 'utf8'));
    expect(report.flexTiers).toEqual([
      { target: 'fallback', flex: 0, standard: ROWS },
      { target: 'flexonly', flex: ROWS, standard: 0 },
    ]);
    const costOf = (name: string) => report.targets.find((t: { target: string }) => t.target === name).cost.total;
    expect(costOf('fallback')).toBeCloseTo(
      fallback.reduce((s, x) => s + x.cost, 0),
      9,
    );
    expect(costOf('flexonly')).toBeCloseTo(
      flexonly.reduce((s, x) => s + x.cost, 0),
      9,
    );
    const md = await readFile(join(r.runDir!, 'summary.md'), 'utf8');
    expect(md).toContain('### Flex tier');
    expect(md).toContain(`| fallback | 0 | ${ROWS} | ${2 * ROWS} |`);
    expect(md).toContain(`| flexonly | ${ROWS} | 0 | ${refusals} |`);
    // And it re-renders byte for byte from the journal.
    const names = ['results.csv', 'report.json', 'summary.md', 'report.html'];
    const before = await Promise.all(names.map((name) => readFile(join(r.runDir!, name))));
    expect((await project.run(['report', r.runDir!])).code).toBe(0);
    const after = await Promise.all(names.map((name) => readFile(join(r.runDir!, name))));
    for (const [i, name] of names.entries()) expect(after[i]!.equals(before[i]!), name).toBe(true);
  }, 60_000);

  test('config: flexFallback needs a flex target and room among the attempts', async () => {
    const bad = await tempProject('bb-flex-bad-');
    await bad.write('qa.csv', qaCsv(2));
    await bad.write(
      'eval.config.ts',
      configSource(`{
      targets: [
        { name: 'a', flexFallback: 'standard', deployments: [${dep('flex-dry')}] },
        { name: 'b', serviceTier: 'flex', flexFallback: 'standard', flexFallbackAfter: 6, deployments: [${dep('flex-some')}] },
        { name: 'c', serviceTier: 'flex', flexFallbackAfter: 1, deployments: [${dep('flex-some')}] },
      ],
    }`),
    );
    const r = await bad.run(['eval', '--config', 'eval.config.ts', '--dataset', 'qa.csv', '--quiet'], { env: { BB_KEY: 'k' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("targets[0].flexFallback: needs serviceTier: 'flex'");
    expect(r.stderr).toContain(
      'targets[1].flexFallbackAfter: 6 flex capacity 429s leave no attempt for the standard tier with retry.maxAttempts 6; expected fewer than 6',
    );
    expect(r.stderr).toContain("targets[2].flexFallbackAfter: only used with flexFallback: 'standard'");
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
