import { describe, expect, test } from 'vitest';
import { parseBaseline, stringifyBaseline } from '../../../src/report/baseline/baseline-json.ts';
import { buildBaseline, createBaselineBuilder, parseItemKey } from '../../../src/report/baseline/build-baseline.ts';
import { createSummaryBuilder } from '../../../src/report/summarize.ts';
import type { JournalRecord } from '../../../src/types.ts';
import { createJournalFixture } from '../../support/journal-fixture.ts';
import { baseJournal, results, TARGET } from './journal-variants.ts';

describe('buildBaseline', () => {
  test('aggregates match the summary fold that report.json uses', async () => {
    const records = baseJournal();
    const baseline = await buildBaseline(records);
    const summary = createSummaryBuilder();
    for (const r of records) summary.add(r);
    const t = summary.finish().targets.find((x) => x.target === TARGET)!;
    const a = baseline.targets[TARGET]!.aggregates;
    expect(a.results).toBe(t.results);
    expect(a.failed).toBe(t.failed);
    expect(a.accuracy).toEqual({ rate: expect.closeTo(t.accuracy!.rate, 6), passed: t.accuracy!.passed, scored: t.accuracy!.scored });
    expect(a.p95LatencyMs).toBeCloseTo(t.latency.e2e!.percentiles.p95.value, 3);
    expect(a.p95TtftMs).toBeCloseTo(t.latency.ttft!.percentiles.p95.value, 3);
    expect(a.costPerItem! / t.cost!.perItem!).toBeCloseTo(1, 5);
    expect(a.errorsByCategory).toEqual(t.errorsByCategory);
  });

  test('keeps one compact item per (row, repeat) in dataset order, failures with their category', async () => {
    const records = baseJournal();
    const baseline = await buildBaseline(records);
    const items = baseline.targets[TARGET]!.items;
    const source = results(records, TARGET).sort((a, b) => a.rowIndex - b.rowIndex);
    expect(Object.keys(items)).toEqual(source.map((r) => `${r.rowId}|${r.repeat}`));
    for (const r of source) {
      const item = items[`${r.rowId}|${r.repeat}`]!;
      if (r.status === 'failed') expect(item).toEqual([null, null, r.error.category]);
      else expect(item[0]).toBe(r.passed ? 1 : 0);
    }
  });

  test('targets are sorted by name and the metadata comes from the run-start record', async () => {
    const baseline = await buildBaseline(baseJournal());
    expect(Object.keys(baseline.targets)).toEqual(['gpt-4o', 'gpt-4o-mini', 'o4-mini']);
    expect(baseline).toMatchObject({
      version: 1,
      kind: 'batchbench-baseline',
      configHash: 'c0ffee',
      createdFrom: { runId: 'fixture-11', emulator: true },
    });
  });

  test('the file is the same whatever order results arrived in', async () => {
    const records = baseJournal();
    const [start, ...rest] = records;
    const end = rest.pop()!;
    const shuffled: JournalRecord[] = [start!, ...rest.reverse(), end];
    expect(stringifyBaseline(await buildBaseline(shuffled))).toBe(stringifyBaseline(await buildBaseline(records)));
  });

  test('the file holds one item per line at under 40 bytes per item', async () => {
    const baseline = await buildBaseline(createJournalFixture({ rows: 200, payloads: false }));
    const text = stringifyBaseline(baseline);
    const itemLines = text.split('\n').filter((line) => /^\s+"row-\d+\|\d+": \[/.test(line));
    expect(itemLines).toHaveLength(600);
    expect(Buffer.byteLength(text) / 600).toBeLessThan(40);
  });

  test('repeats get their own items', async () => {
    const baseline = await buildBaseline(createJournalFixture({ rows: 5, repeats: 2, payloads: false }));
    expect(Object.keys(baseline.targets[TARGET]!.items)).toHaveLength(10);
    expect(Object.keys(baseline.targets[TARGET]!.items).slice(0, 2)).toEqual(['row-0001|0', 'row-0001|1']);
  });

  test('the builder refuses records after finish', () => {
    const builder = createBaselineBuilder();
    builder.finish();
    expect(() => builder.add(baseJournal(1)[0]!)).toThrow(/after finish/);
  });
});

describe('baseline file', () => {
  test('parses back to the same value', async () => {
    const baseline = await buildBaseline(baseJournal(10));
    expect(parseBaseline(stringifyBaseline(baseline), 'x.json')).toEqual(baseline);
  });

  test('rejects a file that is not a baseline, naming it', () => {
    expect(() => parseBaseline('{"version":1,"runId":"r"}', 'reports/r/report.json')).toThrow(
      'reports/r/report.json: not a batchbench baseline',
    );
    expect(() => parseBaseline('{"kind":"batchbench-baseline","version":9}', 'b.json')).toThrow(/unsupported baseline version 9/);
    expect(() => parseBaseline('{oops', 'b.json')).toThrow(/b.json: not valid JSON/);
  });

  test('item keys split on the last bar, so row ids may contain one', () => {
    expect(parseItemKey('a|b|3')).toEqual({ rowId: 'a|b', repeat: 3 });
  });
});
