/** summary.md: the overview, pairwise verdicts and detail tables as GitHub-flavoured markdown. */
import type { BaselineSection } from './baseline/baseline-tracker.ts';
import { renderBaselineMarkdown } from './baseline/render-baseline.ts';
import { formatMs } from './format.ts';
import type { RunSummary } from './summary-types.ts';
import {
  batchJobsTable,
  deploymentsTable,
  flexTierTable,
  errorsTable,
  judgingLine,
  judgingTable,
  latencyTable,
  overviewTable,
  pairwiseTable,
  qualityTable,
  throughputTable,
  tokensTable,
  turnaroundTable,
  type ViewTable,
} from './view-tables.ts';

/** @param baseline adds the "vs baseline" section after the overview; absent, the output is unchanged */
export function renderMarkdown(summary: RunSummary, baseline?: BaselineSection): string {
  const out: string[] = [];
  out.push(`## batchbench: ${md(summary.runId ?? 'run')}`, '');
  if (summary.emulator) out.push('> [!NOTE]', '> Every endpoint was the **embedded emulator**: latencies and answers are synthetic.', '');
  const facts = [
    summary.dataset ? `dataset \`${code(summary.dataset)}\`` : null,
    `${summary.rows} rows × ${summary.targets.length} targets × ${summary.repeats} repeat${summary.repeats === 1 ? '' : 's'}`,
    summary.startedAt ? `started ${summary.startedAt}` : null,
    `pass rule \`${code(summary.pass ?? 'all')}\``,
    summary.endReason ? `ended ${summary.endReason}${summary.endedAt ? ` at ${summary.endedAt}` : ''}` : 'no run-end record',
  ].filter((f) => f !== null);
  out.push(facts.join(' · '), '');
  out.push(...table(overviewTable(summary)));
  const warnings = summary.warnings ?? [];
  if (warnings.length) out.push('> [!WARNING]', ...warnings.map((w) => `> ${md(w)}`), '');
  const judging = judgingLine(summary);
  if (judging) out.push(md(judging), '');
  if (summary.pairwise.length) {
    out.push('### Pairwise comparisons (95%)', '');
    for (const p of summary.pairwise) out.push(`- ${md(p.sentence)}`);
    out.push('');
  }
  if (baseline) out.push(...renderBaselineMarkdown(baseline.comparison(), baseline.label, md));
  const details = [
    qualityTable(summary),
    pairwiseTable(summary),
    latencyTable(summary),
    turnaroundTable(summary),
    batchJobsTable(summary),
    flexTierTable(summary),
    throughputTable(summary),
    tokensTable(summary),
    judgingTable(summary),
  ];
  // Per-deployment lines only say something new when a target is a pool.
  if (summary.targets.some((t) => t.byDeployment.length > 1)) details.push(deploymentsTable(summary));
  for (const t of details.filter((d) => d.rows.length)) out.push(`### ${t.title}`, '', ...table(t));
  const errors = errorsTable(summary);
  if (errors.rows.length) out.push(`### ${errors.title}`, '', ...table(errors));
  if (summary.scheduler) {
    const s = summary.scheduler;
    out.push(
      `Scheduler: ${s.attempts} attempts for ${s.items} items; ${s.quota429} quota and ${s.capacity429} capacity 429s; deployments paused ${formatMs(s.pausedMs)}; peak ${s.peakInFlight} in flight.`,
      '',
    );
  }
  out.push(
    `<sub>Percentiles: ${md(summary.methods.percentiles)}. Intervals: ${md(summary.methods.intervals)} (${summary.methods.bootstrapResamples} resamples).</sub>`,
    '',
  );
  return out.join('\n');
}

// --- internal ---

function table(view: ViewTable): string[] {
  const header = `| ${view.columns.map((c) => md(c.label)).join(' | ')} |`;
  const rule = `|${view.columns.map((c) => (c.numeric ? ' ---: ' : ' --- ')).join('|')}|`;
  return [header, rule, ...view.rows.map((r) => `| ${r.map((c) => md(c.text)).join(' | ')} |`), ''];
}

/** Escapes text for a markdown table cell or list item: no HTML, no links, no table breaks, no emphasis. */
function md(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/([\\`*_|])/g, '\\$1')
      // Brackets only make a link when followed by "(" (no reference definitions are ever emitted).
      .replace(/\]\(/g, ']\\(')
      .replace(/\r?\n|\r|\u2028|\u2029/g, ' ')
  );
}

function code(text: string): string {
  return text.replace(/`/g, "'").replace(/\r?\n/g, ' ');
}
