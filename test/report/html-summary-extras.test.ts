/** report.html shows the summary's optional figures (unscored, truncated, time split, pauses, judging) only when present. */
import { describe, expect, test } from 'vitest';
import { buildViewModel } from '../../src/report/html/view-model.ts';
import { createSummaryBuilder } from '../../src/report/summarize.ts';
import type { RunSummary } from '../../src/report/summary-types.ts';
import { ok, runEnd, runStart, target } from './records.ts';

function baseSummary(): RunSummary {
  const builder = createSummaryBuilder({ resamples: 20 });
  for (const r of [runStart([target('a')]), ok({ target: 'a', row: 'r1' }), ok({ target: 'a', row: 'r2', passed: false }), runEnd()])
    builder.add(r);
  return builder.finish();
}

/** A summary as the first release wrote it: none of the optional figures. */
function withoutOptional(summary: RunSummary): RunSummary {
  const optional = new Set([
    'pass',
    'judging',
    'totalCost',
    'warnings',
    'unscored',
    'truncated',
    'empty',
    'pausedMs',
    'queue',
    'retryWait',
    'queueWaitMs',
    'retryWaitMs',
  ]);
  return JSON.parse(JSON.stringify(summary), (key, value: unknown) => (optional.has(key) ? undefined : value)) as RunSummary;
}

const stats = (p50: number, p95: number) => ({
  count: 2,
  mean: p50,
  stddev: 0,
  min: p50,
  max: p95,
  percentiles: {
    p50: { value: p50, ci: null },
    p90: { value: p95, ci: null },
    p95: { value: p95, ci: null },
    p99: { value: p95, ci: null },
  },
});
const texts = (table: { rows: readonly (readonly { text: string }[])[] } | undefined) => table?.rows.map((r) => r.map((c) => c.text));

describe('optional summary figures in report.html', () => {
  test('are absent when the summary does not carry them (an older report.json)', () => {
    const view = buildViewModel(withoutOptional(baseSummary()), [], 0);
    expect(view.details.find((t) => t.id === 'judging')?.rows).toEqual([]);
    expect(view.meta).toMatchObject({ pass: null, totalCost: null, warnings: [] });
  });

  test('are shown when present: unscored, cut off, time split, pauses, judging, pass rule, total cost and warnings', () => {
    const base = baseSummary();
    const [t] = base.targets;
    const summary = {
      ...base,
      pass: 'any',
      totalCost: 0.5,
      warnings: ['a: 12% of answers were cut off by the token limit'],
      judging: {
        targets: [
          {
            target: 'judge',
            attempts: 4,
            ok: 3,
            failed: 1,
            cached: 2,
            tokens: { prompt: 1000, completion: 50, reasoning: 0, cached: 0 },
            cost: 0.125,
          },
        ],
        attempts: 4,
        cached: 2,
        tokens: { prompt: 1000, completion: 50, reasoning: 0, cached: 0 },
        cost: 0.125,
      },
      targets: [
        {
          ...t!,
          unscored: 1,
          truncated: 2,
          empty: 0,
          pausedMs: 1500,
          latency: { ...t!.latency, queue: stats(10, 40), retryWait: stats(0, 900) },
          retries: { ...t!.retries, queueWaitMs: 20, retryWaitMs: 900 },
          byDeployment: t!.byDeployment.map((d) => ({ ...d, pausedMs: 1500 })),
        },
      ],
    } as RunSummary;
    const view = buildViewModel(summary, [], 0);
    const all = [view.overview, ...view.details];
    const ids = all.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length); // no table twice
    const page = JSON.stringify(all.map((d) => [d.columns.map((c) => c.label), texts(d)]));
    for (const figure of [
      'Unscored',
      'Cut off',
      'Queue wait',
      'Retry wait',
      'Paused (429)',
      '1.50 s',
      'Judge target',
      '1,000 / 50',
      '$0.125',
    ])
      expect(page, figure).toContain(figure);
    expect(view.meta).toMatchObject({
      pass: 'pass rule: any scorer passes',
      totalCost: 'total cost $0.500 (judging $0.125)',
      warnings: ['a: 12% of answers were cut off by the token limit'],
    });
  });
});
