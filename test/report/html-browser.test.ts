import { mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { checkReportInBrowser, hasChromium, type ReportFindings } from '../support/browser.ts';
import { createJournalFixture } from '../support/journal-fixture.ts';
import { renderJournal } from './render-journal.ts';

// Written under reports/ (git-ignored) so people can open the report and its screenshots afterwards.
const outDir = fileURLToPath(new URL('../../reports/browser-test/', import.meta.url));

describe.skipIf(!hasChromium())('report.html in Chromium', () => {
  let findings: ReportFindings;

  beforeAll(async () => {
    await rm(outDir, { recursive: true, force: true });
    await mkdir(outDir, { recursive: true });
    await renderJournal(createJournalFixture({ rows: 70, repeats: 2, outputPadding: 400 }), ['html', 'csv'], { outDir });
    findings = await checkReportInBrowser(`${outDir}report.html`);
  }, 120_000);

  test('finishes rendering without console errors', () => {
    expect(findings.ready).toBe(true);
    expect(findings.consoleErrors).toEqual([]);
  });

  test('makes no network request', () => {
    expect(findings.externalRequests).toEqual([]);
  });

  test('runs none of the injected payloads', () => {
    expect(findings.xssMarker).toBeUndefined();
    expect(findings.dialogs).toEqual([]);
  });

  test('renders the overview and detail tables', () => {
    expect(findings.tables).toMatchObject({ 'table-overview': 3, 'table-settings': 3, 'table-throughput': 3, 'table-tokens': 3 });
    // One row per latency metric per target (e2e, time in system, TTFT, … and the queue/retry split).
    expect(findings.tables['table-latency']! % 3).toBe(0);
    expect(findings.tables['table-latency']).toBeGreaterThanOrEqual(15);
    expect(findings.tables['rows-table']).toBe(140);
  });

  test('draws every chart', () => {
    expect(findings.emptyCharts).toEqual([]);
    expect(findings.charts.map((c) => c.id)).toEqual(['chart-latency-cdf', 'chart-pareto', 'chart-ttft-histogram', 'chart-timeline']);
    for (const chart of findings.charts) expect(chart, chart.id).toMatchObject({ hasInstance: true, painted: true });
    for (const chart of findings.charts) expect(chart.width * chart.height, chart.id).toBeGreaterThan(0);
  });

  test('keeps linear latency axes when the targets are within 10× of each other', () => {
    expect(findings.chartDetails['latency-cdf']?.xType).toBe('linear');
    expect(findings.chartDetails.pareto?.xType).toBe('linear');
  });

  test('the disagreement and failure filters narrow the rows to matching ones', () => {
    expect(findings.rows.disagree.matching).toBeGreaterThan(0);
    expect(findings.rows.disagree.matching).toBeLessThan(findings.rows.matching);
    expect(findings.rows.disagree.allMatch).toBe(true);
    expect(findings.rows.failures.matching).toBeGreaterThan(0);
    expect(findings.rows.failures.allMatch).toBe(true);
  });

  test('text search finds the row searched for', () => {
    expect(findings.rows.search.matching).toBe(2); // one row id, two repeats
    expect(findings.rows.search.allMatch).toBe(true);
  });

  test('columns sort', () => {
    expect(findings.rows.sortRowDescending).toBe(true);
    expect(findings.rows.sortLatencyAscending).toBe(true);
    expect(findings.rows.overviewSortable).toBe(true);
  });

  test('long outputs open with an expander', () => {
    expect(findings.rows.expandersOpened).toBeGreaterThan(0);
  });

  test('shows the emulator banner', () => {
    expect(findings.emulatorBanner).toBe(true);
  });
});
