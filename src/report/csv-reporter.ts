/**
 * results.csv: one line per (row, target, repeat), sorted by (row order, target order, repeat) so two
 * runs diff cleanly. Results are spooled to the file as they arrive (a killed run still leaves every
 * recorded result readable) and rewritten in order at the run end (see sorted-spool.ts).
 *
 * Safe to open in a spreadsheet and to join: a text cell a spreadsheet would evaluate (leading = + - @
 * tab CR) is prefixed with ' (OWASP "CSV injection"), but plain numbers such as `-5` or `+3.2` are
 * left alone, and the row id is also written verbatim in `raw_id` so joins back to the dataset work.
 * Every field holding a quote, comma, CR or LF is quoted, so no reader splits a row.
 */
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { redactText } from '../internal/redact.ts';
import type { Reporter, ResultRecord, TargetInfo } from '../types.ts';
import { costOf, resultLatency, resultPassed } from './metrics.ts';
import { answeredPrice } from './answer-price.ts';
import { openTextWriter } from './output-files.ts';
import type { ReporterOptions } from './reporter-options.ts';
import { openSortedSpool, type SortedSpool } from './sorted-spool.ts';

export const CSV_FILE = 'results.csv';

/** Columns before the per-scorer `score_<name>` columns. */
const LEAD_COLUMNS = ['id', 'raw_id', 'target', 'repeat', 'deployment', 'api', 'prompt', 'output', 'expected'] as const;
const TAIL_COLUMNS = [
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
] as const;

/** A text cell, a number, a raw (never neutralised) text cell, or empty. */
type Cell = string | number | { readonly raw: string } | null;

export function createCsvReporter(options: ReporterOptions): Reporter {
  const path = join(options.outDir, CSV_FILE);
  let spool: Promise<SortedSpool> | null = null; // a promise, so overlapping first results share one file
  let scorers: readonly string[] = [];
  const targets = new Map<string, TargetInfo>();
  const targetOrder = new Map<string, number>();

  // `service_tier` (which tier answered) only when a target asked for Flex, so other runs' files are unchanged.
  let tiers = false;
  const header = () => line([...LEAD_COLUMNS, ...scorers.map((s) => `score_${s}`), ...TAIL_COLUMNS, ...(tiers ? ['service_tier'] : [])]);
  function open(): Promise<SortedSpool> {
    spool ??= openSortedSpool(path, header());
    return spool;
  }

  return {
    name: 'csv',
    async onRunStart(record) {
      if (spool) return; // a resumed run's second run-start
      scorers = record.scorers;
      tiers = record.targets.some((t) => t.serviceTier === 'flex');
      for (const t of record.targets) {
        targets.set(t.name, t);
        targetOrder.set(t.name, targetOrder.size);
      }
      await open();
    },
    async onResult(record) {
      if (!targetOrder.has(record.target)) targetOrder.set(record.target, targetOrder.size);
      const key = [record.rowIndex, targetOrder.get(record.target)!, record.repeat] as const;
      const row = csvRow(record, scorers, targets.get(record.target));
      await (await open()).add(key, line(tiers ? [...row, record.status === 'ok' ? (record.serviceTier ?? null) : null] : row));
    },
    async onRunEnd() {
      const source = await open();
      const temp = `${path}.sorted.tmp`;
      const out = await openTextWriter(temp);
      await out.write(header());
      for await (const record of source.sorted()) await out.write(record.text);
      await out.close();
      await rename(temp, path);
    },
  };
}

/**
 * Neutralises a text cell against formula injection: only text a spreadsheet would evaluate gets the
 * leading '. A plain number (`-5`, `+3.2`, `-1,000`, `-2.5e-3`, `-5%`) is data, not a formula.
 */
export function neutraliseCell(text: string): string {
  if (!/^[=+\-@\t\r]/.test(text)) return text;
  return PLAIN_NUMBER.test(text) ? text : `'${text}`;
}

/** One CSV field: quoted when it holds a quote, comma, CR or LF (a lone CR too), quotes doubled. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Latency columns are rounded to 0.1 ms: finer digits are timer noise and make runs diff noisily. */
export function roundLatency(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10;
}

// --- internal ---

const PLAIN_NUMBER = /^[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?$/;

function line(cells: readonly Cell[]): string {
  return `${cells.map(encode).join(',')}\n`;
}

function encode(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  if (typeof cell === 'string') return csvField(neutraliseCell(cell));
  return csvField(cell.raw);
}

function csvRow(record: ResultRecord, scorers: readonly string[], info: TargetInfo | undefined): Cell[] {
  const lead: Cell[] = [
    record.rowId,
    { raw: record.rowId },
    record.target,
    record.repeat,
    record.deploymentId,
    info?.api ?? null,
    record.prompt,
  ];
  if (record.status === 'failed') {
    return [
      ...lead,
      null,
      record.expected ?? null,
      ...scorers.map(() => null),
      null,
      null,
      roundLatency(record.durationMs),
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      record.attempts,
      flag(record.cached),
      'failed',
      record.reason,
      record.error.code,
      redactText(record.error.message, { keyLikeRuns: true }),
      null,
      null,
    ];
  }
  const scores = new Map(record.scores.map((s) => [s.scorer, s.status === 'ok' ? s.value : 'error'] as const));
  const latency = resultLatency(record);
  const price = answeredPrice(info, record.serviceTier);
  const cost = price ? costOf(record.usage, price) : record.cost;
  const passed = resultPassed(record);
  return [
    ...lead,
    record.output,
    record.expected ?? null,
    ...scorers.map((s) => scores.get(s) ?? null),
    passed === null ? null : passed ? 'true' : 'false',
    roundLatency(latency.e2eMs),
    roundLatency(latency.logicalMs),
    roundLatency(latency.ttftMs),
    roundLatency(latency.itlMs),
    roundLatency(latency.tpotMs),
    record.usage.promptTokens,
    record.usage.completionTokens,
    record.usage.reasoningTokens,
    record.usage.cachedTokens,
    cost === null ? null : Number(cost.toPrecision(6)),
    record.attempts,
    flag(record.cached),
    'ok',
    null,
    null,
    null,
    record.finishReason,
    truncation(record),
  ];
}

/**
 * `true` when the answer was cut off by the token limit (usually fixed by a larger maxOutputTokens),
 * `empty` when there is no answer text at all, else `false`; the summary counts the two apart.
 */
function truncation(record: ResultRecord & { status: 'ok' }): string {
  if (record.finishReason === 'length' || record.finishReason === 'max_output_tokens') return 'true';
  return record.output.trim() === '' ? 'empty' : 'false';
}

function flag(value: boolean | undefined): string {
  return value ? 'true' : 'false';
}
