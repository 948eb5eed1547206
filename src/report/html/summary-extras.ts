/**
 * report.html's view of the summary's newer, optional figures: unscored, truncated and empty answers,
 * the queue / retry / service time split, 429 pauses per target and deployment, judging tokens and
 * cost, the pass rule and warnings. Each appears only when the summary carries it, and a column another
 * table already shows (same key) is not repeated, so the page stays right as the summary grows.
 */
import { formatMs, formatNumber, formatUsd, MISSING } from '../format.ts';
import type { LatencyStats, RunSummary, TargetSummary, TokenTotals } from '../summary-types.ts';
import type { ViewCell, ViewTable } from '../view-tables.ts';

/** The optional fields read here, typed loosely: older summaries (and report.json files) lack them. */
interface TargetExtras {
  readonly unscored?: number;
  readonly truncated?: number;
  readonly empty?: number;
  readonly pausedMs?: number;
  readonly latency: TargetSummary['latency'] & { readonly queue?: LatencyStats | null; readonly retryWait?: LatencyStats | null };
  readonly retries: TargetSummary['retries'] & { readonly queueWaitMs?: number; readonly retryWaitMs?: number };
  readonly byDeployment: readonly (TargetSummary['byDeployment'][number] & { readonly pausedMs?: number })[];
}

interface JudgingLike {
  readonly targets: readonly { readonly target: string; readonly attempts: number; readonly ok: number; readonly failed: number; readonly cached: number; readonly tokens: TokenTotals; readonly cost: number | null }[];
  readonly attempts: number;
  readonly cached: number;
  readonly tokens: TokenTotals;
  readonly cost: number | null;
}

interface RunExtras {
  readonly pass?: string;
  readonly judging?: JudgingLike | null;
  readonly totalCost?: number | null;
  readonly warnings?: readonly string[];
}

/** Answers without a verdict or cut short, and where the time went, per target. */
export function healthTable(summary: RunSummary, shown: readonly ViewTable[]): ViewTable | null {
  const targets = summary.targets as readonly (TargetSummary & TargetExtras)[];
  const taken = new Set(shown.flatMap((t) => t.columns.map((c) => c.key)));
  const columns: [key: string, label: string, render: (t: TargetSummary & TargetExtras) => ViewCell | null][] = [
    ['unscored', 'Unscored (scorer or judge errored)', (t) => count(t.unscored)],
    ['truncated', 'Cut off by the token limit', (t) => count(t.truncated)],
    ['empty', 'Empty answers', (t) => count(t.empty)],
    ['queueWait', 'Queue wait p50 / p95', (t) => p50p95(t.latency.queue)],
    ['retryWait', 'Retry wait p50 / p95', (t) => p50p95(t.latency.retryWait)],
    ['service', 'Service time p50 / p95', (t) => (t.latency.queue === undefined ? null : p50p95(t.latency.e2e))],
    ['timeInSystem', 'Time in system p50 / p95', (t) => (t.latency.queue === undefined ? null : p50p95(t.latency.logical))],
    ['queueWaitTotal', 'Σ queue wait', (t) => total(t.retries.queueWaitMs)],
    ['retryWaitTotal', 'Σ retry wait', (t) => total(t.retries.retryWaitMs)],
    ['paused', 'Paused on 429s', (t) => total(t.pausedMs)],
  ];
  const present = columns.filter(([key, , render]) => !taken.has(key) && targets.some((t) => render(t) !== null));
  if (present.length === 0) return null;
  return {
    id: 'health', title: 'Answers and time in system',
    columns: [{ key: 'target', label: 'Target', numeric: false }, ...present.map(([key, label]) => ({ key, label, numeric: true }))],
    rows: targets.map((t) => [{ text: t.target, sort: null }, ...present.map(([, , render]) => render(t) ?? { text: MISSING, sort: null })]),
  };
}

/** Time each deployment spent paused after quota 429s, when the summary measures it. */
export function pausedTable(summary: RunSummary): ViewTable | null {
  const rows = (summary.targets as readonly (TargetSummary & TargetExtras)[]).flatMap((t) =>
    t.byDeployment.filter((d) => d.pausedMs !== undefined).map((d) => [{ text: t.target, sort: null }, { text: d.id, sort: null }, { text: formatMs(d.pausedMs), sort: d.pausedMs ?? null }]));
  if (rows.length === 0) return null;
  return {
    id: 'paused', title: 'Paused on 429s, by deployment',
    columns: [{ key: 'target', label: 'Target', numeric: false }, { key: 'deployment', label: 'Deployment', numeric: false }, { key: 'pausedMs', label: 'Paused', numeric: true }],
    rows,
  };
}

/** LLM-judge calls, measured apart from the candidates. */
export function judgingTable(summary: RunSummary): ViewTable | null {
  const judging = (summary as RunSummary & RunExtras).judging;
  if (!judging) return null;
  const row = (name: string, j: Omit<JudgingLike, 'targets'> & { readonly failed?: number }): ViewCell[] => [
    { text: name, sort: null }, countCell(j.attempts), countCell(j.cached), countCell(j.failed ?? 0),
    { text: `${formatNumber(j.tokens.prompt)} / ${formatNumber(j.tokens.completion)}`, sort: j.tokens.prompt + j.tokens.completion },
    { text: formatUsd(j.cost), sort: j.cost },
  ];
  return {
    id: 'judging', title: 'Judging (LLM-judge calls, not part of any target’s figures)',
    columns: [
      { key: 'judge', label: 'Judge', numeric: false }, { key: 'attempts', label: 'Attempts', numeric: true }, { key: 'cached', label: 'Cached verdicts', numeric: true },
      { key: 'failed', label: 'Failed', numeric: true }, { key: 'tokens', label: 'Tokens in / out', numeric: true }, { key: 'cost', label: 'Cost', numeric: true },
    ],
    rows: [...judging.targets.map((t) => row(t.target, t)), ...(judging.targets.length > 1 ? [row('all judges', judging)] : [])],
  };
}

/** Run-level facts for the header: the pass rule, the run's total cost, and warnings to show first. */
export function runFacts(summary: RunSummary): { readonly pass: string | null; readonly totalCost: string | null; readonly warnings: readonly string[] } {
  const extras = summary as RunSummary & RunExtras;
  return {
    pass: extras.pass === undefined ? null : `pass rule: ${extras.pass === 'all' ? 'every scorer passes' : extras.pass === 'any' ? 'any scorer passes' : `scorer ${extras.pass} passes`}`,
    totalCost: extras.totalCost === undefined || extras.totalCost === null ? null : `total cost ${formatUsd(extras.totalCost)}${extras.judging?.cost ? ` (judging ${formatUsd(extras.judging.cost)})` : ''}`,
    warnings: extras.warnings ?? [],
  };
}

// --- internal ---

function count(value: number | undefined): ViewCell | null {
  return value === undefined ? null : countCell(value);
}

function countCell(value: number): ViewCell {
  return { text: formatNumber(value), sort: value };
}

function total(value: number | undefined): ViewCell | null {
  return value === undefined ? null : { text: formatMs(value), sort: value };
}

function p50p95(stats: LatencyStats | null | undefined): ViewCell | null {
  if (stats === undefined) return null;
  if (stats === null) return { text: MISSING, sort: null };
  const p50 = stats.percentiles.p50.value;
  return { text: `${formatMs(p50)} / ${formatMs(stats.percentiles.p95.value)}`, sort: p50 };
}
