/**
 * The terminal summary printed at the end of `eval`: the overview table and the pairwise verdicts,
 * with the same digits as summary.md and report.html. Plain text unless `color` is set.
 */
import { formatMs } from './format.ts';
import type { RunSummary } from './summary-types.ts';
import { judgingLine, overviewTable, type ViewTable } from './view-tables.ts';

export interface ConsoleRenderOptions {
  /** ANSI bold header and coloured verdicts. @default false */
  readonly color?: boolean;
  /** Terminal width; columns that do not fit are dropped from the right. @default 120 */
  readonly columns?: number;
}

/**
 * Columns of the overview shown in a terminal, most important first. `unscored` and `truncated` only
 * appear when some target has such answers (the warnings lines name them too); `turnaround` only when
 * the run has a batch target, whose latency cells are empty.
 */
const CONSOLE_COLUMNS = [
  'target',
  'accuracyAll',
  'accuracy',
  'accuracyCi',
  'unscored',
  'errors',
  'truncated',
  'p50',
  'turnaround',
  'p95',
  'ttft',
  'tokens',
  'cost',
  'score',
  'results',
];

export function renderConsole(summary: RunSummary, options: ConsoleRenderOptions = {}): string[] {
  const paint = painter(options.color ?? false);
  const lines: string[] = [];
  const title = `batchbench ${summary.runId ?? ''}`.trim();
  lines.push('', paint.bold(title) + (summary.emulator ? `  ${paint.yellow('[emulator: synthetic endpoints]')}` : ''));
  const hidden = new Set<string>();
  if (!summary.targets.some((t) => (t.unscored ?? 0) > 0)) hidden.add('unscored');
  if (!summary.targets.some((t) => (t.truncated ?? 0) + (t.empty ?? 0) > 0)) hidden.add('truncated');
  lines.push(...textTable(overviewTable(summary), options.columns ?? 120, paint, hidden));
  lines.push(`  pass rule: ${sanitize(summary.pass ?? 'all')}`);
  for (const warning of summary.warnings ?? []) lines.push(`  ${paint.yellow('!')} ${sanitize(warning)}`);
  const judging = judgingLine(summary);
  if (judging) lines.push('', sanitize(judging));
  if (summary.pairwise.length) {
    lines.push('', paint.bold('Pairwise (95%)'));
    for (const p of summary.pairwise) {
      const verdict = p.accuracy?.verdict ?? p.score?.verdict ?? 'no-difference';
      const mark = verdict === 'no-difference' ? paint.dim('≈') : verdict === 'better' ? paint.green('>') : paint.red('<');
      lines.push(`  ${mark} ${p.sentence}`);
    }
  }
  const s = summary.scheduler;
  if (s)
    lines.push(
      '',
      `${s.attempts} attempts · ${s.quota429 + s.capacity429} × 429 (${s.quota429} quota, ${s.capacity429} capacity) · paused ${formatMs(s.pausedMs)}${pausedByTarget(summary)}`,
    );
  lines.push('');
  return lines;
}

// --- internal ---

/** " (gpt-a 1.2 s, gpt-b 0 ms)" when any target was paused by 429 retry-after hints. */
function pausedByTarget(summary: RunSummary): string {
  if (!summary.targets.some((t) => (t.pausedMs ?? 0) > 0)) return '';
  return ` (${summary.targets.map((t) => `${sanitize(t.target)} ${formatMs(t.pausedMs ?? 0)}`).join(', ')})`;
}

interface Painter {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
}

function painter(color: boolean): Painter {
  const wrap = (open: number, close: number) => (text: string) => (color ? `\u001b[${open}m${text}\u001b[${close}m` : text);
  return { bold: wrap(1, 22), dim: wrap(2, 22), green: wrap(32, 39), red: wrap(31, 39), yellow: wrap(33, 39) };
}

function textTable(view: ViewTable, width: number, paint: Painter, hidden: ReadonlySet<string>): string[] {
  const indices = CONSOLE_COLUMNS.filter((key) => !hidden.has(key))
    .map((key) => view.columns.findIndex((c) => c.key === key))
    .filter((i) => i >= 0);
  const cellText = (row: readonly { text: string }[], i: number) => sanitize(row[i]?.text ?? '');
  let chosen = indices;
  const widthOf = (cols: number[]) =>
    cols.reduce((sum, i) => sum + 2 + Math.max(view.columns[i]!.label.length, ...view.rows.map((r) => cellText(r, i).length)), 0);
  while (chosen.length > 2 && widthOf(chosen) > width) chosen = chosen.slice(0, -1);
  const widths = chosen.map((i) => Math.max(view.columns[i]!.label.length, ...view.rows.map((r) => cellText(r, i).length)));
  const format = (texts: string[]) =>
    `  ${texts
      .map((t, k) => (view.columns[chosen[k]!]!.numeric ? t.padStart(widths[k]!) : t.padEnd(widths[k]!)))
      .join('  ')
      .trimEnd()}`;
  return [
    paint.bold(format(chosen.map((i) => view.columns[i]!.label))),
    `  ${widths.map((w) => '─'.repeat(w)).join('  ')}`,
    ...view.rows.map((r) => format(chosen.map((i) => cellText(r, i)))),
  ];
}

/** Target names come from the config, but never let control characters reach a terminal. */
function sanitize(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
