/**
 * Journal records → Baseline. Aggregates come from the same summary fold as report.json (point values
 * only: CIs are not stored, so the fold runs with a token bootstrap), items from the result records.
 * Output is deterministic: targets sorted by name, items in (row index, repeat) order.
 */
import type { JournalRecord, ResultRecord } from '../../types.ts';
import { resultPassed, resultScore } from '../metrics.ts';
import { createSummaryBuilder } from '../summarize.ts';
import type { RunSummary, TargetSummary } from '../summary-types.ts';
import {
  BASELINE_KIND,
  BASELINE_VERSION,
  type Baseline,
  type BaselineAggregates,
  type BaselineItem,
  type BaselineTarget,
} from './baseline-types.ts';

/** A streaming fold: `add` every record in journal order, then `finish` (memoised). */
export interface BaselineBuilder {
  add(record: JournalRecord): void;
  finish(): Baseline;
}

export function createBaselineBuilder(): BaselineBuilder {
  // One resample and a one-row sample: the CIs and the row explorer are not part of a baseline.
  const summary = createSummaryBuilder({ resamples: 1, sampleRows: 1 });
  const items = new Map<string, Map<string, ItemEntry>>();
  let baseline: Baseline | null = null;
  return {
    add(record) {
      if (baseline) throw new Error('createBaselineBuilder: add() after finish()');
      summary.add(record);
      if (record.kind !== 'result') return;
      let target = items.get(record.target);
      if (!target) {
        target = new Map();
        items.set(record.target, target);
      }
      // Last record wins, as in the summary fold (a resumed run may retry a failed cell).
      target.set(itemKey(record.rowId, record.repeat), {
        rowIndex: record.rowIndex,
        repeat: record.repeat,
        rowId: record.rowId,
        item: toItem(record),
      });
    },
    finish() {
      baseline ??= build(summary.finish(), items);
      return baseline;
    },
  };
}

/** Builds a baseline from a whole journal (e.g. `readJournal(path)` or an array of records). */
export async function buildBaseline(records: AsyncIterable<JournalRecord> | Iterable<JournalRecord>): Promise<Baseline> {
  const builder = createBaselineBuilder();
  for await (const record of records) builder.add(record);
  return builder.finish();
}

/** The key of a (row, repeat) cell in `BaselineTarget.items`. */
export function itemKey(rowId: string, repeat: number): string {
  return `${rowId}|${repeat}`;
}

/** Splits an item key; row ids may themselves contain `|`, the repeat never does. */
export function parseItemKey(key: string): { readonly rowId: string; readonly repeat: number } {
  const split = key.lastIndexOf('|');
  return split < 0 ? { rowId: key, repeat: 0 } : { rowId: key.slice(0, split), repeat: Number(key.slice(split + 1)) };
}

// --- internal ---

interface ItemEntry {
  readonly rowIndex: number;
  readonly repeat: number;
  readonly rowId: string;
  readonly item: BaselineItem;
}

function toItem(record: ResultRecord): BaselineItem {
  if (record.status === 'failed') return [null, null, record.error.category ?? record.error.code];
  const passed = resultPassed(record);
  const score = resultScore(record.scores);
  return [passed === null ? null : passed ? 1 : 0, score === null ? null : round(score, 4)];
}

function build(summary: RunSummary, items: ReadonlyMap<string, ReadonlyMap<string, ItemEntry>>): Baseline {
  const targets: Record<string, BaselineTarget> = {};
  for (const t of [...summary.targets].sort((a, b) => compareText(a.target, b.target))) {
    const entries = [...(items.get(t.target)?.entries() ?? [])].sort(
      ([, a], [, b]) => a.rowIndex - b.rowIndex || a.repeat - b.repeat || compareText(a.rowId, b.rowId),
    );
    targets[t.target] = { aggregates: aggregates(t), items: Object.fromEntries(entries.map(([key, entry]) => [key, entry.item])) };
  }
  return {
    version: BASELINE_VERSION,
    kind: BASELINE_KIND,
    createdFrom: { runId: summary.runId, dataset: summary.dataset, startedAt: summary.startedAt, emulator: summary.emulator },
    configHash: summary.configHash,
    targets,
  };
}

function aggregates(t: TargetSummary): BaselineAggregates {
  return {
    results: t.results,
    ok: t.ok,
    failed: t.failed,
    accuracy: t.accuracy ? { rate: round(t.accuracy.rate, 6), passed: t.accuracy.passed, scored: t.accuracy.scored } : null,
    meanScore: t.score ? round(t.score.mean, 6) : null,
    p50LatencyMs: roundOrNull(t.latency.e2e?.percentiles.p50.value, 3),
    p95LatencyMs: roundOrNull(t.latency.e2e?.percentiles.p95.value, 3),
    p95TtftMs: roundOrNull(t.latency.ttft?.percentiles.p95.value, 3),
    // Per-item costs are tiny: keep significant digits, not decimals.
    costPerItem: t.cost?.perItem === null || t.cost?.perItem === undefined ? null : Number(t.cost.perItem.toPrecision(6)),
    errorsByCategory: { ...t.errorsByCategory },
  };
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

function roundOrNull(value: number | undefined, decimals: number): number | null {
  return value === undefined || !Number.isFinite(value) ? null : round(value, decimals);
}

/** Code-unit order: the same on every machine (stable files, clean diffs). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
