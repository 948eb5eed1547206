/**
 * The "vs baseline" section as markdown (for summary.md) and as plain text lines (for the terminal and
 * `batchbench compare`). Both say the verdict first, then a table per target, then the sentences.
 */
import { formatMs, formatPercent, formatUsd } from '../format.ts';
import type { Comparison, ComparedMetric, MetricComparison, TargetComparison } from './baseline-types.ts';

/** Table columns: metric cells in this order. */
const METRIC_COLUMNS: readonly { readonly metric: ComparedMetric; readonly label: string }[] = [
  { metric: 'accuracy', label: 'Accuracy' },
  { metric: 'p95-latency', label: 'p95 latency' },
  { metric: 'p95-ttft', label: 'p95 TTFT' },
  { metric: 'cost-per-item', label: 'Cost / item' },
  { metric: 'failure-rate', label: 'Failed' },
  { metric: 'error-categories', label: 'New failure categories' },
];

/** One row per target: [target, status, …metric cells, flips, rows added/removed]. */
export function baselineTable(comparison: Comparison): {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
} {
  return {
    columns: ['Target', 'Status', ...METRIC_COLUMNS.map((c) => c.label), 'Flips pass→fail / fail→pass', 'Items added / removed'],
    rows: comparison.targets.map((t) => [
      t.target,
      t.status,
      ...METRIC_COLUMNS.map((c) => metricCell(t.metrics.find((m) => m.metric === c.metric))),
      t.status === 'ok' || t.status === 'regressed' ? `${t.flips.counts.passToFail} / ${t.flips.counts.failToPass}` : '—',
      `${t.added.count} / ${t.removed.count}`,
    ]),
  };
}

/**
 * @param escapeText the markdown escaper of render-markdown.ts (labels, ids and target names are user text)
 */
export function renderBaselineMarkdown(comparison: Comparison, label: string, escapeText: (text: string) => string): string[] {
  const out = [`### vs baseline \`${label.replace(/`/g, "'").replace(/\r?\n/g, ' ')}\``, ''];
  const [verdict = '', ...rest] = comparison.sentences;
  out.push(comparison.regressed ? `> [!CAUTION]\n> **${escapeText(verdict)}**` : `> [!NOTE]\n> ${escapeText(verdict)}`, '');
  const table = baselineTable(comparison);
  out.push(`| ${table.columns.map(escapeText).join(' | ')} |`, `|${table.columns.map((_, i) => (i < 2 ? ' --- ' : ' ---: ')).join('|')}|`);
  for (const row of table.rows) out.push(`| ${row.map(escapeText).join(' | ')} |`);
  out.push('');
  if (rest.length) out.push(...rest.map((s) => `- ${escapeText(s)}`), '');
  out.push(`<sub>${escapeText(describeLimits(comparison))} Accuracy is compared on the items both runs scored.</sub>`, '');
  return out;
}

/** Plain lines for a terminal: heading, verdict, one line per regression, then the notes. */
export function renderBaselineText(comparison: Comparison, label: string): string[] {
  const [verdict = '', ...rest] = comparison.sentences;
  const lines = [`vs baseline ${label}: ${verdict}`];
  for (const sentence of rest) lines.push(`  ${sentence}`);
  const regressed = comparison.targets.filter((t) => t.status === 'regressed');
  for (const target of regressed) lines.push(...flipLines(target));
  return lines;
}

/** One sentence stating the limits in force. */
export function describeLimits(comparison: Comparison): string {
  const t = comparison.thresholds;
  return `Limits: accuracy drop ${t.maxAccuracyDropPts} pp${t.requireSignificant ? ' and significant at 95% (paired test)' : ''}; p95 latency +${t.maxP95LatencyIncreasePct}%; p95 TTFT +${t.maxTtftIncreasePct}%; cost per item +${t.maxCostIncreasePct}%; failure rate +${t.maxFailureRateIncreasePts} pp${t.failOnNewErrorCategories ? '; new failure categories' : ''}.`;
}

// --- internal ---

function metricCell(metric: MetricComparison | undefined): string {
  if (!metric) return '—';
  const mark = metric.regressed ? ' ✗' : '';
  if (metric.metric === 'error-categories')
    return metric.detail.startsWith('new failure categories: ')
      ? `${metric.detail.slice('new failure categories: '.length).replace(' — regression', '')}${mark}`
      : 'none';
  const fraction = metric.metric === 'accuracy' || metric.metric === 'failure-rate';
  const format = fraction ? (v: number | null) => formatPercent(v) : metric.metric === 'cost-per-item' ? formatUsd : formatMs;
  const change = fraction
    ? metric.delta === null
      ? ''
      : ` (${metric.delta >= 0 ? '+' : ''}${(metric.delta * 100).toFixed(1)} pp)`
    : metric.deltaPct === null
      ? ''
      : ` (${metric.deltaPct >= 0 ? '+' : ''}${metric.deltaPct.toFixed(1)}%)`;
  return `${format(metric.baseline)} → ${format(metric.current)}${change}${mark}`;
}

/** The full (capped) flip lists, for a reader who wants every row id. */
function flipLines(target: TargetComparison): string[] {
  const lines: string[] = [];
  if (target.flips.passToFail.length)
    lines.push(
      `  ${target.target} pass→fail (${target.flips.counts.passToFail}): ${target.flips.passToFail.join(' ')}${more(target.flips.counts.passToFail, target.flips.passToFail.length)}`,
    );
  if (target.flips.failToPass.length)
    lines.push(
      `  ${target.target} fail→pass (${target.flips.counts.failToPass}): ${target.flips.failToPass.join(' ')}${more(target.flips.counts.failToPass, target.flips.failToPass.length)}`,
    );
  return lines;
}

function more(count: number, shown: number): string {
  return count > shown ? ` … (+${count - shown} more)` : '';
}
