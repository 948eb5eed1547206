/**
 * `batchbench load` end to end: the real CLI, the real SDK over HTTP to the embedded emulator (in its
 * worker thread), real files. A short sweep writes every report; the emulator's own admission log
 * agrees with the achieved rates; `batchbench report DIR` re-renders the files byte for byte; a rate
 * above a configured quota is refused before anything is sent.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { configSource, tempProject } from '../support/cli-harness.ts';

const CONFIG = configSource(`{
  emulator: { seed: 3, latencyScale: 0.05, deployments: [{ name: 'mini', model: 'gpt-4.1-mini', capacity: 100000, heavyTail: false }] },
  targets: [{ name: 'mini', api: 'chat', maxOutputTokens: 64, deployments: [{ baseURL: 'emulator', deployment: 'mini', rpm: 6000 }] }],
}`);

async function readJsonl(path: string): Promise<Array<Record<string, unknown>>> {
  return (await readFile(path, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('batchbench load', () => {
  test('a sweep writes every report with its steps, a saturation point and rates the emulator confirms', async () => {
    const project = await tempProject('bb-load-');
    await project.write('eval.config.ts', CONFIG);
    const result = await project.run([
      'load',
      '--profile',
      'sweep',
      '--steps',
      '3',
      '--duration',
      '3s',
      '--warmup',
      '500ms',
      '--input-tokens',
      '200',
      '--output-tokens',
      '40',
      '--saturation-concurrency',
      '8',
      '--out',
      'run',
    ]);
    expect(result.stderr).not.toMatch(/^error/m);
    expect(result.code).toBe(0);
    const dir = join(project.dir, 'run');
    expect(await readdir(dir)).toEqual(
      expect.arrayContaining(['journal.jsonl', 'results.csv', 'steps.csv', 'report.json', 'summary.md', 'report.html']),
    );

    const journal = await readJsonl(join(dir, 'journal.jsonl'));
    expect(journal[0]).toMatchObject({ kind: 'load-start', emulator: true, retryPolicy: 'none' });
    expect(journal.at(-1)).toMatchObject({ kind: 'load-end', reason: 'completed' });
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    const steps = report.targets[0].steps as Array<Record<string, any>>;
    expect(steps.map((s) => s.role)).toEqual(['warmup', 'floor', 'saturation', 'sweep']);
    expect(report.targets[0].saturationRps).toBeGreaterThan(report.targets[0].floorRps);

    // Open-loop requests carry both their scheduled and their actual send time.
    const sweepRequests = journal.filter((r) => r.kind === 'load-request' && r.step === 3);
    expect(sweepRequests.length).toBeGreaterThan(10);
    expect(sweepRequests.every((r) => typeof r.scheduledAt === 'number' && typeof r.sentAt === 'number')).toBe(true);

    // Server truth: the emulator admitted exactly the requests of each step, at the rate the client
    // achieved (±1 %) — the contract every report states, unless it flags the step client-bound (a
    // starved client on a saturated machine sends unevenly; it is then said, not hidden).
    for (const step of steps.filter((s) => s.role !== 'warmup')) {
      expect(step.server.admissions).toBe(step.ok);
      expect(step.ok).toBe(step.requests);
      if (!step.clientBound) expect(Math.abs(step.server.agreement)).toBeLessThanOrEqual(0.01);
    }
    const rate = steps[3]!;
    if (!rate.clientBound) expect(Math.abs(rate.rateError)).toBeLessThanOrEqual(0.01);
    expect(rate.latency.ttft.percentiles.p50.ci).not.toBeNull();

    const html = await readFile(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('Latency vs throughput');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/i); // self-contained: Chart.js is inlined
    expect(html).toContain("default-src 'none'");
    const md = await readFile(join(dir, 'summary.md'), 'utf8');
    expect(md).toContain('**saturation**');
    expect(md).toContain('Pacing accuracy');

    // Re-rendering from the journal reproduces every file byte for byte.
    const before = await Promise.all(
      ['results.csv', 'steps.csv', 'report.json', 'summary.md', 'report.html'].map((f) => readFile(join(dir, f), 'utf8')),
    );
    const again = await project.run(['report', 'run']);
    expect(again.code).toBe(0);
    const after = await Promise.all(
      ['results.csv', 'steps.csv', 'report.json', 'summary.md', 'report.html'].map((f) => readFile(join(dir, f), 'utf8')),
    );
    expect(after).toEqual(before);
  });

  test('a fixed rate above the configured RPM is refused before any request, unless --allow-429', async () => {
    const project = await tempProject('bb-load-');
    await project.write('eval.config.ts', CONFIG);
    const refused = await project.run(['load', '--profile', 'rate 200', '--duration', '1s', '--out', 'run']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      "error: --profile rate 200: target mini: 12000 requests/min exceeds the deployment's 6000 RPM; lower the rate or pass --allow-429 to measure the 429s\n",
    );
    await expect(readdir(join(project.dir, 'run'))).rejects.toThrow();
  });

  test('a mistyped flag value is a one-line usage error', async () => {
    const project = await tempProject('bb-load-');
    await project.write('eval.config.ts', CONFIG);
    const bad = await project.run(['load', '--profile', 'goodput', '--slo', 'ttft=fast']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('error: --slo ttft: expected a duration such as 20s, 500ms or 2m, got "fast"\n');
  });
});
