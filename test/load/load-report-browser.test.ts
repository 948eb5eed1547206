/**
 * report.html of a load run in a real browser (Debian's Chromium over file://): the step tables and
 * every chart render, nothing is fetched from the network, the page logs no error, and a target name
 * carrying markup stays text.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import type { LoadJournalRecord, LoadRequestRecord } from '../../src/report/load/load-records.ts';
import { writeLoadReports } from '../../src/report/load/write-load-reports.ts';
import { CHROMIUM_PATH } from '../support/browser.ts';

const NAME = 'mini<img src=x onerror="window.__xss=1">';

function journal(): LoadJournalRecord[] {
  const records: LoadJournalRecord[] = [
    {
      v: 1,
      kind: 'load-start',
      runId: 'r',
      startedAt: '2026-12-03T10:00:00.000Z',
      emulator: true,
      profile: 'sweep',
      workload: { source: 'synthetic prompts', inputTokens: 100, outputTokens: 20, costPerRequest: 45 },
      stepDurationMs: 1000,
      maxRequestsPerStep: 1000,
      slo: { e2eMs: 400, percentile: 99 },
      retryPolicy: 'none',
      transportWorkers: 0,
      targets: [{ name: NAME, api: 'chat', deployments: [{ id: 'd' }] }],
    },
  ];
  const steps = [
    { label: 'synchronous', mode: 'synchronous', role: 'floor', base: 200 },
    { label: 'throughput (concurrency 8)', mode: 'concurrency', role: 'saturation', base: 500 },
    { label: 'rate 5 req/s', mode: 'rate', role: 'sweep', rate: 5, base: 250 },
    { label: 'rate 10 req/s', mode: 'rate', role: 'sweep', rate: 10, base: 350 },
  ] as const;
  steps.forEach((s, step) => {
    records.push({
      v: 1,
      kind: 'load-step',
      target: NAME,
      step,
      label: s.label,
      mode: s.mode,
      role: s.role,
      ...('rate' in s ? { rate: s.rate, arrivals: 'constant' as const } : { concurrency: 1 }),
      durationMs: 1000,
      maxRequests: 1000,
      startedAt: step * 2000,
    });
    for (let i = 0; i < 30; i++) {
      const r: LoadRequestRecord = {
        v: 1,
        kind: 'load-request',
        target: NAME,
        step,
        seq: i,
        deploymentId: 'd',
        scheduledAt: 'rate' in s ? step * 2000 + i * 100 : null,
        sentAt: step * 2000 + i * 100 + 1,
        outcome: 'ok',
        ttftMs: s.base / 2 + i,
        e2eMs: s.base + i * 2,
        promptTokens: 100,
        outputTokens: 20,
      };
      records.push(r);
    }
    records.push({
      v: 1,
      kind: 'load-step-end',
      target: NAME,
      step,
      endedAt: step * 2000 + 3500,
      client: [{ thread: 'main', lagP50Ms: 1, lagP99Ms: 3, lagMaxMs: 5, cpuMs: 100, wallMs: 3000 }],
    });
  });
  records.push({ v: 1, kind: 'load-end', endedAt: '2026-12-03T10:01:00.000Z', reason: 'completed' });
  return records;
}

describe('load report.html in a browser', () => {
  test('renders tables and charts offline, with no errors and no injected script', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bb-load-html-'));
    const summary = await writeLoadReports(journal(), dir);
    expect(summary.targets[0]!.goodput?.rate).toBe(5); // at 10 req/s four of 30 requests exceed 400 ms
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      const external: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (r) => !r.url().startsWith('file:') && !r.url().startsWith('data:') && external.push(r.url()));
      await page.goto(pathToFileURL(join(dir, 'report.html')).href);
      // Browser-side code as a string: the test project has no DOM types.
      await page.waitForFunction("document.querySelectorAll('canvas').length > 0");
      const found = (await page.evaluate(`({
        rows: document.querySelectorAll('table.load-steps tr').length,
        goodputRows: document.querySelectorAll('table.load-steps tr.goodput').length,
        canvases: [...document.querySelectorAll('canvas')].map((c) => ({ chart: Boolean(window.Chart.getChart(c)), width: c.width })),
        heading: document.querySelector('#targets h3')?.textContent,
        xss: window.__xss,
        images: document.querySelectorAll('img').length,
      })`)) as {
        rows: number;
        goodputRows: number;
        canvases: { chart: boolean; width: number }[];
        heading: string;
        xss: unknown;
        images: number;
      };
      expect(errors).toEqual([]);
      expect(external).toEqual([]);
      expect(found.rows).toBe(5); // header + four steps
      expect(found.goodputRows).toBe(1);
      expect(found.canvases).toHaveLength(5); // latency vs throughput + one TTFT histogram per step
      expect(found.canvases.every((c) => c.chart && c.width > 0)).toBe(true);
      expect(found.heading).toBe(NAME);
      expect(found.xss).toBeUndefined();
      expect(found.images).toBe(0);
    } finally {
      await browser.close();
    }
  });
});
