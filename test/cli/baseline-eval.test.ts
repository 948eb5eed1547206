/**
 * `eval --save-baseline` and `eval --baseline` end to end against the emulator: an unchanged rerun
 * passes; a run where one simulated deployment got less accurate and slower exits 1 naming the target,
 * the metrics and the flipped rows; `report` re-renders the "vs baseline" section byte for byte.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { configSource, qaCsv, tempProject } from '../support/cli-harness.ts';

function config(nanoAccuracy: number, nanoLatency: string): string {
  return configSource(`{
    scorers: ['exact-match'],
    regression: { maxP95LatencyIncreasePct: 150 },
    // Latencies of ~100 ms, not ~5 ms: CPU contention on a busy CI runner adds tens of ms, which must stay
    // far inside the 150 % p95 limit for the unchanged rerun, while the slowed deployment (×10) stays far outside.
    emulator: { seed: 5, latencyScale: 0.2, deployments: [
      { name: 'mini', model: 'gpt-4.1-mini', capacity: 1000, accuracy: 0.95 },
      { name: 'nano', model: 'gpt-4.1-nano', capacity: 1000, accuracy: ${nanoAccuracy}, heavyTail: false, faults: ${nanoLatency} },
    ] },
    targets: [
      { name: 'mini', api: 'responses', maxOutputTokens: 16, deployments: [{ baseURL: 'emulator', deployment: 'mini' }] },
      { name: 'nano', api: 'responses', maxOutputTokens: 16, deployments: [{ baseURL: 'emulator', deployment: 'nano' }] },
    ],
  }`);
}

describe('eval against a baseline', () => {
  test('unchanged rerun exits 0; a worse deployment exits 1 naming target, metrics and flipped rows', async () => {
    const project = await tempProject();
    await project.write('qa.csv', qaCsv(40));
    await project.write('eval.config.ts', config(0.9, '[]'));
    const saved = await project.run(['eval', '--dataset', 'qa.csv', '--save-baseline', 'nightly', '--quiet']);
    expect(saved.code).toBe(0);
    expect(existsSync(join(project.dir, 'reports/baselines/nightly.json'))).toBe(true);

    const same = await project.run(['eval', '--dataset', 'qa.csv', '--baseline', 'nightly', '--quiet']);
    expect(same.stderr).toMatch(/no regression/i);
    expect(same.code).toBe(0);

    // A separate file: this process has already imported eval.config.ts once.
    await project.write('worse.config.ts', config(0.3, `[{ kind: 'busy', latencyMultiplier: 10 }]`));
    const worse = await project.run(['eval', '--config', 'worse.config.ts', '--dataset', 'qa.csv', '--baseline', 'nightly', '--quiet']);
    expect(worse.code).toBe(1);
    expect(worse.stderr).toMatch(/nano/);
    expect(worse.stderr).toMatch(/accuracy/i);
    expect(worse.stderr).toMatch(/latency/i);
    expect(worse.stderr).toMatch(/pass→fail|pass -> fail|flipped/i);
    expect(worse.stderr).toMatch(/r0\d\d/); // flipped row ids are listed
    expect(worse.stderr).not.toMatch(/mini: .*regress/);

    const summary = await readFile(join(worse.runDir!, 'summary.md'), 'utf8');
    expect(summary).toMatch(/baseline/i);
    const before = await Promise.all(['summary.md', 'report.html'].map((name) => readFile(join(worse.runDir!, name))));
    expect((await project.run(['report', worse.runDir!])).code).toBe(0);
    const after = await Promise.all(['summary.md', 'report.html'].map((name) => readFile(join(worse.runDir!, name))));
    expect(after[0]!.equals(before[0]!)).toBe(true);
    expect(after[1]!.equals(before[1]!)).toBe(true);
  });

  test('an unknown baseline name fails before any request, exit 2', async () => {
    const project = await tempProject();
    await project.write('qa.csv', qaCsv(5));
    await project.write('eval.config.ts', config(0.9, '[]'));
    const result = await project.run(['eval', '--dataset', 'qa.csv', '--baseline', 'nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no baseline named "nope"/);
    expect(existsSync(join(project.dir, 'reports'))).toBe(false);
  });
});
