import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { renderConsole } from '../../src/report/render-console.ts';
import { createSummaryBuilder } from '../../src/report/summarize.ts';
import { createJournalFixture } from '../support/journal-fixture.ts';
import { ok, runEnd, runStart, T0, target } from './records.ts';
import { renderJournal, type Rendered } from './render-journal.ts';

describe('console reporter', () => {
  let rendered: Rendered;

  beforeAll(async () => {
    rendered = await renderJournal(createJournalFixture({ rows: 30 }), ['console'], { columns: 160 });
  });
  afterAll(() => rendered.cleanup());

  test('prints the overview with accuracy, CI, latency, TTFT, tokens, cost and errors', () => {
    const header = rendered.lines.find((l) => l.includes('Target'))!;
    for (const label of ['Accuracy', '95% CI', 'p50 latency', 'p95 latency', 'p50 TTFT', 'Tokens in / out', 'Cost', 'Errors'])
      expect(header).toContain(label);
    expect(rendered.lines.filter((l) => /^ {2}(gpt-4o|gpt-4o-mini|o4-mini) /.test(l))).toHaveLength(3);
  });

  test('prints no ANSI escapes unless colour is asked for', () => {
    expect(rendered.lines.join('\n')).not.toContain('\u001b[');
  });

  test('prints the pairwise verdicts', () => {
    expect(rendered.lines.some((l) => l.includes('on pass rate'))).toBe(true);
  });
});

describe('renderConsole', () => {
  const builder = createSummaryBuilder({ resamples: 100 });
  for (const r of createJournalFixture({ rows: 10 })) builder.add(r);
  const summary = builder.finish();

  test('colours the header when asked', () => {
    expect(renderConsole(summary, { color: true }).join('\n')).toContain('\u001b[1m');
  });

  test('drops right-hand columns to fit a narrow terminal', () => {
    const lines = renderConsole(summary, { columns: 60 });
    const header = lines.find((l) => l.includes('Target'))!;
    expect(header).toContain('Accuracy');
    expect(header).not.toContain('Errors');
  });
});

test('renders a hand-built two-target run as plain text', () => {
  const builder = createSummaryBuilder({ resamples: 100 });
  const records = [
    runStart([target('alpha', { input: 1, output: 2 }), target('beta')]),
    ...['r1', 'r2', 'r3', 'r4'].map((row, i) =>
      ok({ target: 'alpha', row, passed: i < 3, e2e: 100 * (i + 1), ttft: 50, startedAt: T0 + i * 1000 }),
    ),
    ...['r1', 'r2', 'r3', 'r4'].map((row, i) =>
      ok({ target: 'beta', row, passed: i < 1, e2e: 200 * (i + 1), ttft: 80, startedAt: T0 + i * 1000 }),
    ),
    runEnd(),
  ];
  for (const r of records) builder.add(r);
  expect(renderConsole(builder.finish(), { columns: 140 }).join('\n')).toMatchInlineSnapshot(`
    "
    batchbench hand
      Target  Accuracy (all)  Accuracy (answered)  95% CI          Errors  p50 latency  p95 latency  p50 TTFT  Tokens in / out        Cost
      ──────  ──────────────  ───────────────────  ──────────────  ──────  ───────────  ───────────  ────────  ───────────────  ──────────
      alpha      75.0% (3/4)          75.0% (3/4)  [30.1%, 95.4%]       0       250 ms       385 ms     50 ms          40 / 20  $0.0000800
      beta       25.0% (1/4)          25.0% (1/4)  [4.6%, 69.9%]        0       500 ms       770 ms     80 ms          40 / 20           —
      pass rule: all

    Pairwise (95%)
      ≈ No evidence of a difference between alpha and beta on pass rate (+50.0 pp, 95% CI -34.2 pp to +50.0 pp; McNemar p = 0.500; 4 paired results).

    0 attempts · 0 × 429 (0 quota, 0 capacity) · paused 1.23 s
    "
  `);
});
