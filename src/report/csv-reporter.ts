/**
 * results.csv: one line per (row, target, repeat), streamed as results arrive. Cells that a spreadsheet
 * would run as a formula (leading = + - @ tab CR) are prefixed with ' (OWASP "CSV injection").
 */
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Reporter, ResultRecord, RunStartRecord, TargetInfo } from '../types.ts';
import { costOf, resultLatency, resultPassed } from './metrics.ts';
import { openTextWriter, type TextWriter } from './output-files.ts';
import type { ReporterOptions } from './reporter-options.ts';

export const CSV_FILE = 'results.csv';

/** Columns before the per-scorer `score_<name>` columns. */
const LEAD_COLUMNS = ['id', 'target', 'repeat', 'deployment', 'api', 'prompt', 'output', 'expected'] as const;
const TAIL_COLUMNS = [
  'pass', 'latency_ms', 'logical_latency_ms', 'ttft_ms', 'itl_ms', 'tpot_ms',
  'prompt_tokens', 'completion_tokens', 'reasoning_tokens', 'cached_tokens', 'cost',
  'attempts', 'cached', 'status', 'reason', 'error_code', 'error', 'finish_reason',
] as const;

type Cell = string | number | null;

export function createCsvReporter(options: ReporterOptions): Reporter {
  let writer: TextWriter | null = null;
  let scorers: readonly string[] = [];
  const targets = new Map<string, TargetInfo>();

  async function open(): Promise<TextWriter> {
    if (writer) return writer;
    writer = await openTextWriter(join(options.outDir, CSV_FILE));
    await writer.write(line([...LEAD_COLUMNS, ...scorers.map((s) => `score_${s}`), ...TAIL_COLUMNS]));
    return writer;
  }

  return {
    name: 'csv',
    async onRunStart(record: RunStartRecord) {
      if (writer) return; // a resumed run's second run-start
      scorers = record.scorers;
      for (const t of record.targets) targets.set(t.name, t);
      await open();
    },
    async onResult(record) {
      await (await open()).write(line(csvRow(record, scorers, targets.get(record.target))));
    },
    async onRunEnd() {
      await (await open()).close();
    },
  };
}

/** Neutralises a text cell against formula injection. */
export function neutraliseCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

// --- internal ---

function line(cells: readonly Cell[]): string {
  return stringify([cells.map((c) => (typeof c === 'string' ? neutraliseCell(c) : c))], { record_delimiter: '\n' });
}

function csvRow(record: ResultRecord, scorers: readonly string[], info: TargetInfo | undefined): Cell[] {
  const lead: Cell[] = [record.rowId, record.target, record.repeat, record.deploymentId, info?.api ?? null, record.prompt];
  if (record.status === 'failed') {
    return [
      ...lead, null, record.expected ?? null, ...scorers.map(() => null),
      null, null, record.durationMs, null, null, null, null, null, null, null, null,
      record.attempts, flag(record.cached), 'failed', record.reason, record.error.code, record.error.message, null,
    ];
  }
  const scores = new Map(record.scores.map((s) => [s.scorer, s.status === 'ok' ? s.value : 'error'] as const));
  const latency = resultLatency(record);
  const cost = info?.price ? costOf(record.usage, info.price) : record.cost;
  const passed = resultPassed(record);
  return [
    ...lead, record.output, record.expected ?? null, ...scorers.map((s) => scores.get(s) ?? null),
    passed === null ? null : passed ? 'true' : 'false',
    latency.e2eMs, latency.logicalMs, latency.ttftMs, round(latency.itlMs), round(latency.tpotMs),
    record.usage.promptTokens, record.usage.completionTokens, record.usage.reasoningTokens, record.usage.cachedTokens,
    cost === null ? null : Number(cost.toPrecision(6)),
    record.attempts, flag(record.cached), 'ok', null, null, null, record.finishReason,
  ];
}

function flag(value: boolean | undefined): string {
  return value ? 'true' : 'false';
}

function round(value: number | null): number | null {
  return value === null ? null : Math.round(value * 1000) / 1000;
}
