/**
 * A run with one online and one `mode: 'batch'` target against the emulator: both end with one result per
 * cell, scored by the same scorers; the batch target's cells carry turnaround and half-price cost, and the
 * journal holds the batch file, job, status and collection records.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/server.ts';
import { configSource, qaCsv, tempProject, type TempProject } from '../support/cli-harness.ts';
import { formatDuration as fmt } from '../../src/report/format.ts';

const ROWS = 12;
let emulator: EmulatorHandle;
let project: TempProject;
let lastRun: { runDir: string; stdout: string } | undefined;

async function records(runDir: string): Promise<Array<Record<string, any>>> {
  return (await readFile(join(runDir, 'journal.jsonl'), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

beforeAll(async () => {
  const answerKey = Array.from({ length: ROWS }, (_, i) => ({ question: `What is ${i + 1} plus ${i + 1}?`, answer: String(2 * (i + 1)) }));
  emulator = await startEmulator({
    seed: 3,
    apiKeys: ['k'],
    zeroLatency: true,
    answerKey,
    batch: { validationMs: 50, finalizingMs: 50 },
    deployments: [
      { name: 'mini', model: 'gpt-4.1-mini', capacity: 1000, accuracy: 0.9 },
      { name: 'mini-batch', model: 'gpt-4.1-mini', capacity: 1000, accuracy: 0.9, sku: 'globalBatch', batchLineFailureRate: 0.2 },
    ],
  });
  project = await tempProject('bb-batch-');
  await project.write('qa.csv', qaCsv(ROWS));
  const dep = (name: string) => `{ baseURL: '${emulator.baseURL}', deployment: '${name}', auth: { apiKeyEnv: 'BB_KEY' } }`;
  await project.write(
    'eval.config.ts',
    configSource(`{
    scorers: ['exact-match'],
    targets: [
      { name: 'online', api: 'chat', maxOutputTokens: 16, price: { input: 1, output: 4 }, deployments: [${dep('mini')}] },
      { name: 'offline', api: 'chat', maxOutputTokens: 16, price: { input: 1, output: 4 }, mode: 'batch', batch: { pollIntervalMs: 20 }, deployments: [${dep('mini-batch')}] },
    ],
  }`),
  );
});

afterAll(async () => {
  await emulator?.close();
});

describe('online and batch targets in one run', () => {
  test('one result per cell for both, same scorers, batch at half price with turnaround, failures with their code', async () => {
    const r = await project.run(['eval', '--config', 'eval.config.ts', '--dataset', 'qa.csv'], {
      env: { BB_URL: emulator.baseURL, BB_KEY: 'k' },
    });
    expect(r.stderr).not.toMatch(/error:/);
    expect(r.stderr).toMatch(/batch offline batch_\S+: completed 12\/12/); // progress shows status and request_counts
    expect(r.code).toBe(0);
    const all = await records(r.runDir!);
    const results = all.filter((x) => x.kind === 'result');
    const online = results.filter((x) => x.target === 'online');
    const offline = results.filter((x) => x.target === 'offline');
    expect(online).toHaveLength(ROWS);
    expect(offline).toHaveLength(ROWS);
    expect(new Set(offline.map((x) => x.key)).size).toBe(ROWS);
    const okBatch = offline.filter((x) => x.status === 'ok');
    const failedBatch = offline.filter((x) => x.status === 'failed');
    expect(okBatch.length).toBeGreaterThan(0);
    for (const x of okBatch) {
      expect(x.scores.map((s: { scorer: string }) => s.scorer)).toEqual(['exact-match']);
      expect(x.finishReason).toBe('stop');
      expect(x.usage.promptTokens).toBeGreaterThan(0);
      // Half the configured price: (prompt × 1 + completion × 4) / 1e6 × 0.5.
      expect(x.cost).toBeCloseTo(((x.usage.promptTokens * 1 + x.usage.completionTokens * 4) / 1e6) * 0.5, 12);
    }
    const okOnline = online.find((x) => x.status === 'ok')!;
    expect(okOnline.cost).toBeCloseTo((okOnline.usage.promptTokens * 1 + okOnline.usage.completionTokens * 4) / 1e6, 12);
    // Injected line failures are failed records carrying the error file's code.
    for (const x of failedBatch) expect(x.error.code).toBe('server_error');
    const start = all.find((x) => x.kind === 'run-start')!;
    expect(start.targets.find((t: { name: string }) => t.name === 'offline').mode).toBe('batch');
    const kinds = new Set(all.map((x) => x.kind));
    for (const k of ['batch-file', 'batch-job', 'batch-status', 'batch-collected']) expect(kinds.has(k)).toBe(true);
    expect(all.filter((x) => x.kind === 'batch-status').map((x) => x.status)).toContain('completed');
    // The report: the batch target shows turnaround, never latency or TTFT, and cost at half price.
    const report = JSON.parse(await readFile(join(r.runDir!, 'report.json'), 'utf8'));
    const batchSummary = report.targets.find((t: { target: string }) => t.target === 'offline');
    const onlineSummary = report.targets.find((t: { target: string }) => t.target === 'online');
    expect(batchSummary.mode).toBe('batch');
    expect(batchSummary.turnaround.count).toBe(okBatch.length);
    expect(batchSummary.latency.e2e).toBeNull();
    expect(batchSummary.latency.ttft).toBeNull();
    expect(onlineSummary.latency.e2e).not.toBeNull();
    expect(onlineSummary.turnaround).toBeUndefined();
    expect(batchSummary.cost.price).toEqual({ input: 0.5, output: 2 });
    expect(batchSummary.cost.total).toBeCloseTo(
      okBatch.reduce((sum, x) => sum + x.cost, 0),
      12,
    );
    // No online attempt records for batch cells: they never went through the scheduler.
    expect(all.some((x) => x.kind === 'attempt' && x.target === 'offline')).toBe(false);
    lastRun = { runDir: r.runDir!, stdout: r.stdout };
  });

  test('console, summary.md and report.html show turnaround instead of latency, and the job timeline from the journal', async () => {
    const { runDir, stdout } = lastRun!;
    const all = await records(runDir);
    const jobs = all.filter((x) => x.kind === 'batch-job');
    expect(jobs).toHaveLength(1);
    const jobId: string = jobs[0]!.jobId;
    const report = JSON.parse(await readFile(join(runDir, 'report.json'), 'utf8'));
    const offline = report.targets.find((t: { target: string }) => t.target === 'offline');
    // The timeline: the service's own lifecycle times, in order, and the collection time on this client's clock.
    const [job] = report.batchJobs;
    expect(job).toMatchObject({
      target: 'offline',
      jobId,
      status: 'completed',
      submittedAt: jobs[0]!.submittedAt,
      collectedAt: all.find((x) => x.kind === 'batch-collected')!.at,
    });
    expect(job.counts.total).toBe(ROWS);
    expect(job.counts.completed + job.counts.failed).toBe(ROWS);
    expect(job.createdAt).toBeLessThanOrEqual(job.inProgressAt);
    expect(job.inProgressAt).toBeLessThanOrEqual(job.finalizingAt);
    expect(job.finalizingAt).toBeLessThanOrEqual(job.endedAt);
    // Console: a turnaround column; the batch row's latency and TTFT cells are empty ("—").
    const header = stdout.split('\n').find((l) => l.includes('Turnaround p50/p95'))!;
    expect(header).toBeDefined();
    const p50 = `${fmt(offline.turnaround.percentiles.p50.value)} / ${fmt(offline.turnaround.percentiles.p95.value)}`;
    const batchRow = stdout.split('\n').find((l) => l.trimStart().startsWith('offline'))!;
    expect(batchRow).toContain(p50);
    const onlineRow = stdout.split('\n').find((l) => l.trimStart().startsWith('online'))!;
    expect(onlineRow).not.toContain(p50);
    // summary.md: the overview's batch row, the turnaround table, the job table; no latency rows for the batch target.
    const md = await readFile(join(runDir, 'summary.md'), 'utf8');
    const overviewHeader = md
      .split('\n')
      .find((l) => l.startsWith('| Target | Results'))!
      .split(' | ');
    const mdBatchRow = md
      .split('\n')
      .find((l) => l.startsWith('| offline | '))!
      .split(' | ');
    const column = (label: string) => overviewHeader.indexOf(label);
    expect(mdBatchRow[column('p50 latency')]).toBe('—');
    expect(mdBatchRow[column('p50 TTFT')]).toBe('—');
    expect(mdBatchRow[column('Turnaround p50/p95')]).toBe(p50);
    expect(md).toContain('### Batch turnaround (submit → results collected)');
    const jobRow = md
      .split('\n')
      .find((l) => l.startsWith(`| offline | ${jobId.replace(/_/g, '\\_')} | `))!
      .split(' | ');
    expect(jobRow.slice(2)).toEqual([
      new Date(job.submittedAt).toISOString(),
      expect.stringMatching(/^\+/),
      expect.stringMatching(/^\+/),
      expect.stringMatching(/^completed \+/),
      `12 / 12 (${job.counts.failed})`,
      `+${fmt(job.collectedAt - job.submittedAt)}`,
      '— |',
    ]);
    // The job's collection time is where its cells' turnaround ends.
    expect(job.collectedAt - job.submittedAt).toBe(offline.turnaround.max);
    const latencySection = md.slice(md.indexOf('### Latency'), md.indexOf('### Batch turnaround'));
    expect(latencySection).toContain('| online |');
    expect(latencySection).not.toContain('| offline |');
    // report.html embeds the same tables (rendered with textContent by the page script).
    const html = await readFile(join(runDir, 'report.html'), 'utf8');
    expect(html).toContain('"id":"batch-jobs"');
    expect(html).toContain('"id":"turnaround"');
    expect(html).toContain(jobId);
    // batchbench report DIR re-renders every output byte for byte: the timeline comes from journal records.
    const names = ['results.csv', 'report.json', 'summary.md', 'junit.xml', 'report.html'];
    const before = await Promise.all(names.map((name) => readFile(join(runDir, name))));
    const rerender = await project.run(['report', runDir]);
    expect(rerender.code).toBe(0);
    const after = await Promise.all(names.map((name) => readFile(join(runDir, name))));
    for (const [i, name] of names.entries()) expect(after[i]!.equals(before[i]!), name).toBe(true);
  });
});
