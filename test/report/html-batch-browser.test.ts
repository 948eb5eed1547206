/**
 * report.html of a run with a Global Batch target, in Chromium: the overview's turnaround column (the
 * batch row's latency and TTFT empty), the turnaround table and the job timeline rendered as text
 * (a hostile job id from the service carries an XSS payload), no console errors, no network request.
 */
import { mkdir, rm } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import type { JournalRecord } from '../../src/types.ts';
import { CHROMIUM_PATH, checkReportInBrowser, hasChromium, type ReportFindings } from '../support/browser.ts';
import { createJournalFixture } from '../support/journal-fixture.ts';
import { renderJournal } from './render-journal.ts';

const outDir = fileURLToPath(new URL('../../reports/browser-test-batch/', import.meta.url));
const JOB = 'batch_<img src=x onerror="window.__xss=\'job\'">';

/** The fixture journal with its last target run as a batch target: no attempts, one job's records. */
function journal(): { records: JournalRecord[]; batchTarget: string; submittedAt: number } {
  const base = createJournalFixture({ rows: 30, repeats: 1 });
  const start = base[0]! as Extract<JournalRecord, { kind: 'run-start' }>;
  const batchTarget = start.targets.at(-1)!.name;
  const submittedAt = Date.parse(start.startedAt) + 1000;
  const createdAt = Math.floor(submittedAt / 1000) * 1000;
  const times = {
    created: createdAt,
    in_progress: createdAt + 60_000,
    finalizing: createdAt + 3_600_000,
    completed: createdAt + 3_660_000,
  };
  const batch = [
    { v: 1, kind: 'batch-job', target: batchTarget, deploymentId: `${batchTarget}/0`, fileId: 'file-1', jobId: JOB, submittedAt },
    {
      v: 1,
      kind: 'batch-status',
      target: batchTarget,
      jobId: JOB,
      status: 'in_progress',
      counts: { total: 30, completed: 3, failed: 0 },
      times: { created: createdAt, in_progress: times.in_progress },
      at: submittedAt + 61_000,
    },
    {
      v: 1,
      kind: 'batch-status',
      target: batchTarget,
      jobId: JOB,
      status: 'completed',
      counts: { total: 30, completed: 28, failed: 2 },
      times,
      at: submittedAt + 3_700_000,
    },
    { v: 1, kind: 'batch-collected', target: batchTarget, jobId: JOB, at: submittedAt + 3_700_000 },
  ] as unknown as JournalRecord[];
  const records = base
    .filter((r) => !(r.kind === 'attempt' && r.target === batchTarget))
    .map((r): JournalRecord => {
      if (r.kind === 'run-start')
        return { ...r, targets: r.targets.map((t) => (t.name === batchTarget ? { ...t, mode: 'batch' as const } : t)) };
      if (r.kind === 'result' && r.target === batchTarget)
        return { ...r, timing: { startedAt: submittedAt, endMs: 3_700_000 } } as JournalRecord;
      return r;
    });
  return { records: [...records.slice(0, -1), ...batch, records.at(-1)!], batchTarget, submittedAt };
}

describe.skipIf(!hasChromium())('report.html with a Global Batch target', () => {
  let findings: ReportFindings;
  let cells: Record<string, string[][]>;
  let batchTarget: string;
  let submittedAt: number;
  let okCells: number;

  beforeAll(async () => {
    await rm(outDir, { recursive: true, force: true });
    await mkdir(outDir, { recursive: true });
    const j = journal();
    batchTarget = j.batchTarget;
    submittedAt = j.submittedAt;
    // Turnaround is over the batch target's successful cells (cached ones took no time).
    okCells = j.records.filter((r) => r.kind === 'result' && r.target === batchTarget && r.status === 'ok' && !r.cached).length;
    expect(okCells).toBeGreaterThan(0);
    const rendered = await renderJournal(j.records, ['html'], { outDir });
    expect(rendered.failures).toEqual([]);
    findings = await checkReportInBrowser(`${outDir}report.html`);
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(`${outDir}report.html`).href);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
      cells = await page.$$eval('table', (list) =>
        Object.fromEntries(
          list.map((t) => [
            t.id,
            [...t.querySelectorAll('tr')].map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent ?? '')),
          ]),
        ),
      );
    } finally {
      await browser.close();
    }
  }, 120_000);

  test('renders without console errors, network requests or injected script', () => {
    expect(findings.ready).toBe(true);
    expect(findings.consoleErrors).toEqual([]);
    expect(findings.externalRequests).toEqual([]);
    expect(findings.xssMarker).toBeUndefined();
  });

  test("the overview shows the batch target's turnaround instead of latency and TTFT", () => {
    const [header, ...rows] = cells['table-overview']!;
    const row = rows.find((r) => r[0] === batchTarget)!;
    const at = (label: string) => row[header!.indexOf(label)];
    expect(at('Turnaround p50/p95')).toBe('1 h 2 min / 1 h 2 min');
    expect(at('p50 latency')).toBe('—');
    expect(at('p95 latency')).toBe('—');
    expect(at('p50 TTFT')).toBe('—');
    for (const other of rows.filter((r) => r[0] !== batchTarget)) {
      expect(other[header!.indexOf('Turnaround p50/p95')]).toBe('—');
      expect(other[header!.indexOf('p50 latency')]).not.toBe('—');
    }
    // The latency table lists the online targets only.
    expect(cells['table-latency']!.slice(1).some((r) => r[0] === batchTarget)).toBe(false);
    expect(cells['table-turnaround']!.slice(1)).toEqual([
      [batchTarget, String(okCells), '1 h 2 min', '1 h 2 min', '1 h 2 min', '1 h 2 min'],
    ]);
  });

  test("the job timeline: submitted, lifecycle offsets from the service's creation time, counts, collection", () => {
    expect(cells['table-batch-jobs']!.slice(1)).toEqual([
      [
        batchTarget,
        JOB,
        new Date(submittedAt).toISOString(),
        '+1.0 min',
        '+1 h 0 min',
        'completed +1 h 1 min',
        '30 / 30 (2)',
        '+1 h 2 min',
        '—',
      ],
    ]);
  });
});
