import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { neutraliseCell, roundLatency } from '../../src/report/csv-reporter.ts';
import type { ResultRecord } from '../../src/types.ts';
import { createJournalFixture, FIXTURE_TARGETS, FORMULA_PAYLOADS } from '../support/journal-fixture.ts';
import { renderJournal, type Rendered } from './render-journal.ts';

describe('results.csv', () => {
  const records = createJournalFixture({ rows: 70, repeats: 2 });
  const results = records.filter((r): r is ResultRecord => r.kind === 'result');
  let rendered: Rendered;
  let rows: Record<string, string>[];

  beforeAll(async () => {
    rendered = await renderJournal(records, ['csv']);
    rows = parse(await readFile(join(rendered.dir, 'results.csv'), 'utf8'), { columns: true });
  });
  afterAll(() => rendered.cleanup());

  test('has one line per (row, target, repeat), sorted by row order, then target order, then repeat', () => {
    const order = FIXTURE_TARGETS.map((t) => t.info.name);
    const sorted = [...results].sort(
      (a, b) => a.rowIndex - b.rowIndex || order.indexOf(a.target) - order.indexOf(b.target) || a.repeat - b.repeat,
    );
    expect(rows).toHaveLength(results.length);
    // The journal is in completion order, so sorting is not a no-op.
    expect(sorted.map((r) => r.key)).not.toEqual(results.map((r) => r.key));
    expect(rows.map((r) => `${r.raw_id}|${r.target}|${r.repeat}`)).toEqual(sorted.map((r) => `${r.rowId}|${r.target}|${r.repeat}`));
  });

  test('has the documented columns, one score column per scorer', () => {
    expect(Object.keys(rows[0]!)).toEqual([
      'id',
      'raw_id',
      'target',
      'repeat',
      'deployment',
      'api',
      'prompt',
      'output',
      'expected',
      'score_contains',
      'score_exact-match',
      'pass',
      'latency_ms',
      'logical_latency_ms',
      'ttft_ms',
      'itl_ms',
      'tpot_ms',
      'prompt_tokens',
      'completion_tokens',
      'reasoning_tokens',
      'cached_tokens',
      'cost',
      'attempts',
      'cached',
      'status',
      'reason',
      'error_code',
      'error',
      'finish_reason',
      'truncated',
    ]);
  });

  test('prefixes formula-like cells with a quote so spreadsheets show them as text', () => {
    const prompts = rows.map((r) => r.prompt!);
    for (const payload of FORMULA_PAYLOADS) {
      const hit = prompts.find((p) => p.includes(payload.slice(1, 8)));
      expect(hit, payload).toBeDefined();
      expect(hit!.startsWith("'")).toBe(true);
    }
  });

  test('keeps HTML payloads verbatim (CSV is data, escaping is the viewer’s job)', () => {
    expect(rows.some((r) => r.prompt!.includes('<script>window.__xss = "script"</script>'))).toBe(true);
  });

  test('fills latency (rounded to 0.1 ms), tokens and status for a successful cell', () => {
    const first = results.find((r) => r.status === 'ok' && !r.cached)!;
    const row = rows.find((r) => r.raw_id === first.rowId && r.target === first.target && r.repeat === String(first.repeat))!;
    expect(row).toMatchObject({
      status: 'ok',
      latency_ms: String(first.status === 'ok' && first.timing.endMs),
      completion_tokens: String(first.status === 'ok' && first.usage.completionTokens),
    });
    for (const column of ['latency_ms', 'logical_latency_ms', 'ttft_ms', 'itl_ms', 'tpot_ms']) {
      for (const r of rows) if (r[column]) expect(r[column], column).toMatch(/^\d+(\.\d)?$/);
    }
  });

  test('a failed cell carries its reason, code and message and no output', () => {
    const row = rows.find((r) => r.status === 'failed')!;
    expect(row.reason).toMatch(/exhausted|fatal/);
    expect(row.error).not.toBe('');
    expect(row.output).toBe('');
  });

  test('leaves no spool or temp files behind', async () => {
    expect(await readdir(rendered.dir)).toEqual(['results.csv']);
  });
});

describe('neutraliseCell', () => {
  test.each(['=1+1', '+cmd', '-2+3', '@SUM(A1)', '\tx', '\rx', '=x16', '-e5', '+', '-'])('prefixes %j', (text) => {
    expect(neutraliseCell(text)).toBe(`'${text}`);
  });

  test.each(['-5', '+3.2', '1e5', '-1.5e-3', '-1,000', '+.5', '-5%', '-7.'])('leaves the plain number %j alone', (text) => {
    expect(neutraliseCell(text)).toBe(text);
  });

  test('leaves ordinary text alone', () => {
    expect(neutraliseCell('a=b')).toBe('a=b');
  });
});

describe('roundLatency', () => {
  test('rounds to 0.1 ms and keeps null', () => {
    expect([roundLatency(12.345), roundLatency(12.35), roundLatency(0.04), roundLatency(null)]).toEqual([12.3, 12.4, 0, null]);
  });
});

describe('truncated column', () => {
  test('says true for answers cut off by the token limit, empty for no text, false otherwise', async () => {
    const { ok, runStart, runEnd, target } = await import('./records.ts');
    const cut = { ...ok({ target: 'm', row: 'r1', output: 'The answer is' }), finishReason: 'length' };
    const incomplete = { ...ok({ target: 'm', row: 'r2', output: 'Part' }), rowIndex: 2, finishReason: 'max_output_tokens' };
    const empty = { ...ok({ target: 'm', row: 'r3', output: '  ' }), rowIndex: 3 };
    const fine = { ...ok({ target: 'm', row: 'r4' }), rowIndex: 4 };
    const out = await renderJournal([runStart([target('m')]), cut, incomplete, empty, fine, runEnd()], ['csv']);
    const table = parse(await readFile(join(out.dir, 'results.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    await out.cleanup();
    expect(table.map((r) => r.truncated)).toEqual(['true', 'true', 'empty', 'false']);
  });
});
