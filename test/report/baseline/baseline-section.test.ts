import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { createBaselineTracker } from '../../../src/report/baseline/baseline-tracker.ts';
import { buildBaseline } from '../../../src/report/baseline/build-baseline.ts';
import { CHROMIUM_PATH, hasChromium } from '../../support/browser.ts';
import { renderJournal, type Rendered } from '../render-journal.ts';
import type { JournalRecord } from '../../../src/types.ts';
import { baseJournal, failRows, slowDown, TARGET } from './journal-variants.ts';

const base = baseJournal(40);
const baseline = await buildBaseline(base);
const worse = slowDown(
  failRows(base, TARGET, (i) => i % 2 === 0),
  TARGET,
  1.6,
);
const rendered: Rendered[] = [];

afterAll(async () => {
  for (const r of rendered) await r.cleanup();
});

async function renderWithBaseline(records: JournalRecord[], label: string) {
  const tracker = createBaselineTracker({ against: { baseline, label } });
  const out = await renderJournal(records, ['markdown', 'html', tracker], { baseline: tracker.section! });
  rendered.push(out);
  return {
    out,
    tracker,
    markdown: await readFile(join(out.dir, 'summary.md'), 'utf8'),
    html: await readFile(join(out.dir, 'report.html'), 'utf8'),
  };
}

describe('baseline tracker', () => {
  test('folds the live records into the same baseline as the journal gives', async () => {
    const { tracker } = await renderWithBaseline(base, 'nightly');
    expect(tracker.current()).toEqual(baseline);
  });

  test('its comparison is complete when the other reporters end the run', async () => {
    const { tracker, out } = await renderWithBaseline(worse, 'nightly');
    expect(out.failures).toEqual([]);
    const comparison = tracker.section!.comparison();
    expect(comparison.regressed).toBe(true);
    expect(comparison.targets.find((t) => t.target === TARGET)!.flips.counts.paired).toBe(40);
  });

  test('writes the comparison as JSON into the run directory', async () => {
    const { out } = await renderWithBaseline(worse, 'nightly');
    const written = JSON.parse(await readFile(join(out.dir, 'baseline-comparison.json'), 'utf8'));
    expect(written).toMatchObject({ label: 'nightly', regressed: true });
    expect(written.targets.map((t: { target: string; status: string }) => t.status)).toEqual(['regressed', 'ok', 'ok']);
  });

  test('without a baseline to compare with it has no section', () => {
    expect(createBaselineTracker().section).toBeUndefined();
  });
});

describe('summary.md', () => {
  test('gains a "vs baseline" section naming the regressed target, metrics and flipped rows', async () => {
    const { markdown } = await renderWithBaseline(worse, 'nightly');
    expect(markdown).toContain('### vs baseline `nightly`');
    expect(markdown).toContain('> [!CAUTION]');
    expect(markdown).toMatch(/gpt-4o: accuracy .* — regression; \d+ rows flipped pass→fail: row-\d+/);
    expect(markdown).toMatch(/gpt-4o: p95 latency .* — regression/);
    expect(markdown).toMatch(/\| gpt-4o \| regressed \|/);
  });

  test('says so plainly when nothing regressed', async () => {
    const { markdown } = await renderWithBaseline(base, 'nightly');
    expect(markdown).toContain('> No regression against baseline fixture-11 (3 targets compared).');
  });

  test('is unchanged without a baseline', async () => {
    const plain = await renderJournal(base, ['markdown', 'html']);
    rendered.push(plain);
    const markdown = await readFile(join(plain.dir, 'summary.md'), 'utf8');
    const html = await readFile(join(plain.dir, 'report.html'), 'utf8');
    expect(markdown).not.toContain('vs baseline');
    expect(html).not.toMatch(/baseline-section|id="baseline"|data\.baseline/);
  });

  test('escapes a label that tries to break out of its code span', async () => {
    const { markdown } = await renderWithBaseline(base, 'a`b\nc');
    expect(markdown).toContain("### vs baseline `a'b c`");
  });
});

describe('report.html', () => {
  test('carries the comparison in the data block and a section to show it', async () => {
    const { html } = await renderWithBaseline(worse, '<script>window.__xss=1</script>');
    expect(html).toContain('<section id="baseline-section">');
    expect(html).toContain('href="#baseline-section"');
    expect(html).not.toContain('<script>window.__xss=1</script>');
    const data = JSON.parse(html.match(/<script type="application\/json" id="report-data">(.*?)<\/script>/s)![1]!);
    expect(data.baseline).toMatchObject({ label: '<script>window.__xss=1</script>', regressed: true });
    expect(data.baseline.rows).toHaveLength(3);
  });

  test.skipIf(!hasChromium())(
    'renders the section in a browser without running injected text',
    async () => {
      const { out } = await renderWithBaseline(worse, '<img src=x onerror="window.__xss=1">');
      const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'] });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
        page.on('pageerror', (e) => void errors.push(e.message));
        await page.goto(pathToFileURL(join(out.dir, 'report.html')).href);
        await page.waitForSelector('body[data-ready]');
        expect(await page.locator('#baseline-table tbody tr').count()).toBe(3);
        expect(await page.locator('#baseline tr[data-status="regressed"] td').first().textContent()).toBe(TARGET);
        expect(await page.locator('#baseline-notes li').first().textContent()).toMatch(/^gpt-4o: accuracy/);
        expect(await page.evaluate('window.__xss')).toBeUndefined();
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
