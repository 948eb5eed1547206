/**
 * The report of a real run of the shipped demo config (embedded emulator, three targets), opened in
 * Debian's Chromium over file://. The dataset carries script, onerror and javascript: payloads in its
 * prompts and reference answers; the simulated models echo them back as answers, so they reach every
 * output column. None may run, and the page must render fully offline.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkReportInBrowser, hasChromium } from '../support/browser.ts';
import { REPO, tempProject } from '../support/cli-harness.ts';

const PAYLOADS = [
  ['x1', 'What does <script>window.__xss=1</script> print?', '<script>window.__xss=1</script>'],
  ['x2', 'Name the tag <img src=x onerror="window.__xss=2">', '<img src=x onerror="window.__xss=2">'],
  ['x3', 'Which link is javascript:window.__xss=3 ?', 'javascript:window.__xss=3'],
  ['x4', 'Close the block </script><script>window.__xss=4</script>', '</script><script>window.__xss=4</script>'],
  ['x5', 'Spreadsheet formula =HYPERLINK("http://example.invalid")?', '=HYPERLINK("http://example.invalid")'],
];

function csvCell(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

describe.skipIf(!hasChromium())('demo run report in a real browser', () => {
  test('renders tables and charts offline, filters and sorts, and runs no injected script', async () => {
    const project = await tempProject('bb-demo-');
    const qa = (await readFile(join(REPO, 'datasets/qa.csv'), 'utf8')).trim().split('\n');
    const rows = [qa[0]!, ...qa.slice(1, 41), ...PAYLOADS.map((cells) => cells.map(csvCell).join(','))];
    await project.write('qa-payloads.csv', `${rows.join('\n')}\n`);

    const run = await project.run([
      'eval',
      '--config',
      join(REPO, 'eval.config.ts'),
      '--dataset',
      'qa-payloads.csv',
      '--out',
      'run',
      '--quiet',
    ]);
    expect(run.stderr).not.toMatch(/^error/m);
    expect([0, 1]).toContain(run.code); // 1 only if the demo's own error-rate threshold tripped
    const runDir = join(project.dir, 'run');

    const findings = await checkReportInBrowser(join(runDir, 'report.html'), { searchText: 'x2' });
    expect(findings.ready).toBe(true);
    expect(findings.consoleErrors).toEqual([]);
    expect(findings.externalRequests).toEqual([]);
    expect(findings.dialogs).toEqual([]);
    expect(findings.xssMarker).toBeUndefined();
    expect(findings.emulatorBanner).toBe(true);
    expect(findings.tables['table-overview']).toBe(3);
    expect(findings.emptyCharts).toEqual([]);
    expect(findings.charts.length).toBeGreaterThanOrEqual(4);
    for (const chart of findings.charts) expect(chart, chart.id).toMatchObject({ hasInstance: true, painted: true });
    expect(findings.rows.matching).toBe(45);
    expect(findings.rows.disagree.allMatch).toBe(true);
    expect(findings.rows.search.matching).toBeGreaterThan(0);
    expect(findings.rows.search.allMatch).toBe(true);
    expect(findings.rows.sortRowDescending).toBe(true);
    expect(findings.screenshots.length).toBeGreaterThan(0);

    // Reading aids on a real run: labelled chart points, each target's settings, a row's drill-down.
    expect(findings.chartDetails.pareto?.pointLabels).toHaveLength(3);
    expect(findings.settings.map((row) => row[0])).toHaveLength(3);
    expect(findings.settingsColumns).toEqual(
      expect.arrayContaining(['API', 'Deployment(s)', 'System prompt', 'Temperature', 'Token limit', 'Reasoning effort']),
    );
    expect(findings.rows.drillDown?.scorers.length).toBeGreaterThan(0);
    expect(Object.values(findings.rows.drillDown?.targets ?? {}).join('\n')).toMatch(/Finish reason/);

    // The payloads did reach the outputs (so the test is not vacuous), neutralised in the CSV.
    const csv = await readFile(join(runDir, 'results.csv'), 'utf8');
    expect(csv).toContain('window.__xss=2');
    expect(csv).not.toMatch(/^=HYPERLINK/m);
    expect(csv).not.toMatch(/,=HYPERLINK/);
  }, 120_000);
});
