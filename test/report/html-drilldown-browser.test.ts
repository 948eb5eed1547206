/**
 * report.html's reading aids in Chromium: labelled accuracy × p95 × cost points, a log latency axis when
 * targets differ by more than 10×, reasoning apart from answer tokens, the settings table, accuracy by
 * description, the "failed scoring" filter and the row drill-down (every scorer, rationale, finish
 * reason, conversation). Settings, rationales, descriptions and conversations carry XSS payloads.
 */
import { mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import type { JournalRecord, ResultRecord } from '../../src/types.ts';
import { checkReportInBrowser, hasChromium, type ReportFindings } from '../support/browser.ts';
import { createJournalFixture } from '../support/journal-fixture.ts';
import { renderJournal } from './render-journal.ts';

const outDir = fileURLToPath(new URL('../../reports/browser-test-drilldown/', import.meta.url));
const SLOW = 'o4-mini';
const DESCRIPTIONS = ['geography', 'arithmetic', 'markup <img src=x onerror="window.__xss=\'label\'">'];

/** The fixture journal, with one target 25× slower, settings, descriptions, rationales and conversations. */
function journal(): JournalRecord[] {
  return createJournalFixture({ rows: 40, repeats: 1 }).map((record): JournalRecord => {
    if (record.kind === 'run-start') {
      return {
        ...record,
        targets: record.targets.map((t, i) => ({
          ...t,
          maxOutputTokens: 256,
          settings: {
            system: i === 0 ? 'Answer briefly. <script>window.__xss="system"</script>' : 'Answer with the item only.',
            temperature: 0.2 * i,
            tokenLimitField: 'max_completion_tokens',
            stream: true,
            ...(t.name === SLOW ? { reasoningEffort: 'high' } : {}),
          },
        })),
      };
    }
    const slow = record.kind !== 'run-end' && record.target === SLOW;
    if (record.kind === 'attempt') return slow ? { ...record, timing: { ...record.timing, endMs: record.timing.endMs * 25 } } : record;
    if (record.kind !== 'result') return record;
    const result: ResultRecord = {
      ...record,
      description: DESCRIPTIONS[record.rowIndex % 3]!,
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Earlier question <img src=x onerror="window.__xss=\'chat\'">' },
        { role: 'assistant', content: 'Earlier answer' },
        { role: 'user', content: record.prompt },
      ],
    };
    if (result.status !== 'ok') return result;
    return {
      ...result,
      timing: slow
        ? { ...result.timing, endMs: result.timing.endMs * 25, firstTokenMs: (result.timing.firstTokenMs ?? 0) * 25 }
        : result.timing,
      scores: result.scores.map((s) =>
        s.scorer === 'contains' && s.status === 'ok'
          ? { ...s, reason: `Judge: ${s.passed ? 'matches' : 'differs from'} the reference <script>window.__xss="reason"</script>` }
          : s,
      ),
    };
  });
}

describe.skipIf(!hasChromium())('report.html reading aids in Chromium', () => {
  let findings: ReportFindings;

  beforeAll(async () => {
    await rm(outDir, { recursive: true, force: true });
    await mkdir(outDir, { recursive: true });
    await renderJournal(journal(), ['html'], { outDir });
    findings = await checkReportInBrowser(`${outDir}report.html`);
  }, 120_000);

  test('renders without console errors or network requests, and no payload runs', () => {
    expect(findings.ready).toBe(true);
    expect(findings.consoleErrors).toEqual([]);
    expect(findings.externalRequests).toEqual([]);
    expect(findings.dialogs).toEqual([]);
    expect(findings.xssMarker).toBeUndefined();
  });

  test('labels every point of the accuracy × p95 × cost chart with its target', () => {
    expect(findings.chartDetails.pareto?.pointLabels).toEqual(['gpt-4o', 'gpt-4o-mini', 'o4-mini']);
  });

  test('uses a log latency axis when the targets differ by more than 10×', () => {
    expect(findings.chartDetails['latency-cdf']?.xType).toBe('logarithmic');
    expect(findings.chartDetails.pareto?.xType).toBe('logarithmic');
  });

  test('separates reasoning tokens from answer tokens in the throughput chart', () => {
    const datasets = findings.chartDetails.timeline?.datasets ?? [];
    expect(datasets).toEqual(expect.arrayContaining(['o4-mini answer tok/s', 'o4-mini reasoning tok/s', 'gpt-4o answer tok/s']));
    expect(datasets).not.toContain('gpt-4o reasoning tok/s'); // no reasoning, no line
  });

  test('shows each target’s settings', () => {
    expect(findings.settingsColumns).toEqual([
      'Target',
      'API',
      'Deployment(s)',
      'System prompt',
      'Temperature',
      'Top p',
      'Token limit',
      'Reasoning effort',
      'Streaming',
      'Price in / out per 1M',
    ]);
    expect(findings.settings).toHaveLength(3);
    const [gpt4o, mini, o4] = findings.settings;
    expect(gpt4o!.slice(0, 5)).toEqual([
      'gpt-4o',
      'chat',
      'gpt-4o (gpt-4o/eastus) at http://127.0.0.1:1/openai/v1/',
      'Answer briefly. <script>window.__xss="system"</script>',
      '0',
    ]);
    expect(mini![4]).toBe('0.2');
    expect(o4!.slice(6, 8)).toEqual(['256 (max_completion_tokens)', 'high']);
  });

  test('shows accuracy by description', () => {
    expect(findings.tables['table-labels']).toBe(3);
  });

  test('"failed scoring" keeps only rows with a wrong answer', () => {
    expect(findings.rows.wrong.matching).toBeGreaterThan(0);
    expect(findings.rows.wrong.matching).toBeLessThan(findings.rows.matching);
    expect(findings.rows.wrong.allMatch).toBe(true);
    expect(findings.rows.failures.allMatch).toBe(true);
  });

  test('a row opens to every scorer’s result, the rationale, the finish reason and the conversation', () => {
    const drill = findings.rows.drillDown;
    expect(drill).not.toBeNull();
    expect(drill!.scorers).toEqual(['contains', 'exact-match']);
    const gpt4o = drill!.targets['gpt-4o']!;
    expect(gpt4o).toContain('Finish reason');
    expect(gpt4o).toMatch(/Finish reason(stop|none reported)|request failed/);
    expect(
      Object.values(drill!.targets).some((text) => text.includes('Judge: ') && text.includes('<script>window.__xss="reason"</script>')),
    ).toBe(true);
    expect(drill!.conversation).toHaveLength(4);
    expect(drill!.conversation[1]).toBe('userEarlier question <img src=x onerror="window.__xss=\'chat\'">');
  });

  test('at a narrow width the page does not scroll sideways; wide tables scroll inside their card', () => {
    expect(findings.narrow.pageOverflows).toBe(false);
    expect(findings.narrow.scrollingTables).toContain('rows-table');
  });
});
