import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { embedJson } from '../../src/report/html/embed-json.ts';
import { createJournalFixture, XSS_PAYLOADS } from '../support/journal-fixture.ts';
import { renderJournal, type Rendered } from './render-journal.ts';

describe('report.html', () => {
  let rendered: Rendered;
  let html: string;

  beforeAll(async () => {
    rendered = await renderJournal(createJournalFixture({ rows: 80 }), ['html']);
    html = await readFile(join(rendered.dir, 'report.html'), 'utf8');
  });
  afterAll(() => rendered.cleanup());

  test('has exactly three script elements: data, Chart.js and the view', () => {
    expect(html.match(/<script/gi)).toHaveLength(3);
    expect(html.match(/<\/script/gi)).toHaveLength(3);
  });

  test('contains no payload verbatim: every "<" of the data is escaped', () => {
    for (const payload of XSS_PAYLOADS) expect(html).not.toContain(payload);
  });

  test('references no external URL', () => {
    const urls = html.match(/\b(?:src|href)\s*=\s*["']?(?:https?:|\/\/)[^"'\s>]*/gi) ?? [];
    expect(urls).toEqual([]);
    expect(html).not.toMatch(/@import|url\(\s*["']?https?:/i);
  });

  test('declares a Content-Security-Policy without network sources', () => {
    expect(html).toContain(`content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"`);
  });

  test('inlines Chart.js', () => {
    expect(html).toContain('Chart.js v4');
  });
});

describe('embedJson', () => {
  test('escapes characters that could end the script block, and JSON.parse restores them', () => {
    const value = { text: '</script><!-- & \u2028\u2029' };
    const embedded = embedJson(value);
    expect(embedded).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(embedded)).toEqual(value);
  });
});

test('2,000 rows × 3 targets with long outputs stay under 3 MB', async () => {
  const big = await renderJournal(createJournalFixture({ rows: 2000, outputPadding: 1500 }), ['html'], { summary: { resamples: 100 } });
  try {
    const bytes = (await readFile(join(big.dir, 'report.html'))).length;
    expect(bytes).toBeLessThanOrEqual(3 * 1024 * 1024);
  } finally {
    await big.cleanup();
  }
});
