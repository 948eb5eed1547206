/**
 * The tables every human-facing output shows, formatted once here so the terminal, summary.md and
 * report.html print the same digits. Each cell carries its text and a sort key (for the HTML view).
 */
import {
  formatDuration,
  formatMs,
  formatMsEstimate,
  formatNumber,
  formatPercent,
  formatPercentInterval,
  formatPoints,
  formatSigned,
  formatUsd,
  MISSING,
} from './format.ts';
import type { BatchJobTimeline, LatencyStats, RunSummary, TargetSummary } from './summary-types.ts';

export interface ViewCell {
  readonly text: string;
  /** Numeric sort key; `null` sorts last. Text columns sort by `text`. */
  readonly sort: number | null;
}

export interface ViewColumn {
  readonly key: string;
  readonly label: string;
  readonly numeric: boolean;
}

export interface ViewTable {
  readonly id: string;
  readonly title: string;
  readonly columns: readonly ViewColumn[];
  readonly rows: readonly (readonly ViewCell[])[];
}

/** Accuracy, score, headline latency, tokens, cost and errors per target. */
export function overviewTable(summary: RunSummary): ViewTable {
  return table('overview', 'Overview', summary.targets, [
    ['target', 'Target', false, (t) => text(t.target)],
    ['results', 'Results', true, (t) => num(t.results)],
    // Both denominators, so a dead target (every request failed, one answer right) never reads 100%.
    ['accuracyAll', 'Accuracy (all)', true, (t) => accuracyOver(t.accuracy?.passed, t.accuracy ? t.results : undefined)],
    ['accuracy', 'Accuracy (answered)', true, (t) => accuracyOver(t.accuracy?.passed, t.accuracy?.scored)],
    ['accuracyCi', '95% CI', false, (t) => text(t.accuracy ? formatPercentInterval(t.accuracy.ci) : MISSING)],
    // Answers whose scorer or judge errored: no verdict, so neither in the numerator nor the denominator.
    ['unscored', 'Unscored', true, (t) => num(t.unscored ?? 0)],
    ['score', 'Mean score', true, (t) => cell(t.score ? t.score.mean.toFixed(3) : MISSING, t.score?.mean)],
    [
      'scoreCi',
      'Score 95% CI',
      false,
      (t) => text(t.score?.ci ? `[${t.score.ci.low.toFixed(3)}, ${t.score.ci.high.toFixed(3)}]` : MISSING),
    ],
    ['p50', 'p50 latency', true, (t) => ms(t.latency.e2e?.percentiles.p50.value)],
    ['p95', 'p95 latency', true, (t) => ms(t.latency.e2e?.percentiles.p95.value)],
    ['ttft', 'p50 TTFT', true, (t) => ms(t.latency.ttft?.percentiles.p50.value)],
    // Batch targets have no request latency: their time is the job's turnaround (only when a run has one).
    ...(summary.targets.some((t) => t.mode === 'batch')
      ? [['turnaround', 'Turnaround p50/p95', true, turnaroundCell] satisfies Column]
      : []),
    [
      'tokens',
      'Tokens in / out',
      true,
      (t) =>
        cell(
          `${formatNumber(t.tokens.total.prompt)} / ${formatNumber(t.tokens.total.completion)}`,
          t.tokens.total.prompt + t.tokens.total.completion,
        ),
    ],
    ['cost', 'Cost', true, (t) => cell(formatUsd(t.cost?.total), t.cost?.total)],
    ['errors', 'Errors', true, (t) => cell(t.failed ? `${t.failed} (${formatPercent(t.failed / Math.max(1, t.results))})` : '0', t.failed)],
    ['truncated', 'Cut off / empty', true, (t) => cell(`${t.truncated ?? 0} / ${t.empty ?? 0}`, (t.truncated ?? 0) + (t.empty ?? 0))],
  ]);
}

/** LLM-judge calls per judge target: measured apart from the candidates they graded. */
export function judgingTable(summary: RunSummary): ViewTable {
  const judging = summary.judging;
  return {
    id: 'judging',
    title: 'Judging',
    columns: [
      col('judge', 'Judge target', false),
      col('attempts', 'Attempts', true),
      col('failed', 'Failed', true),
      col('cached', 'Cached verdicts', true),
      col('tokens', 'Tokens in / out', true),
      col('cost', 'Cost', true),
    ],
    rows: (judging?.targets ?? []).map((j) => [
      text(j.target),
      num(j.attempts),
      num(j.failed),
      num(j.cached),
      cell(`${formatNumber(j.tokens.prompt)} / ${formatNumber(j.tokens.completion)}`, j.tokens.prompt + j.tokens.completion),
      cell(formatUsd(j.cost), j.cost),
    ]),
  };
}

/** "Judging: 120 attempts (gpt-judge), 30 cached · tokens 41,000 / 1,200 · $0.052 · run total $0.31": one line for text reports. */
export function judgingLine(summary: RunSummary): string | null {
  const j = summary.judging;
  if (!j) return null;
  const names = j.targets.map((t) => t.target).join(', ');
  const parts = [
    `Judging: ${formatNumber(j.attempts)} attempts (${names})${j.cached ? `, ${formatNumber(j.cached)} cached verdicts` : ''}`,
    `tokens ${formatNumber(j.tokens.prompt)} / ${formatNumber(j.tokens.completion)}`,
    `cost ${formatUsd(j.cost)}`,
  ];
  if (summary.totalCost !== undefined && summary.totalCost !== null)
    parts.push(`run total ${formatUsd(summary.totalCost)} (targets + judging)`);
  return parts.join(' · ');
}

/** Quality in depth: Wilson and bootstrap intervals, clustered SE and per-item variance, per-scorer rates. */
export function qualityTable(summary: RunSummary): ViewTable {
  const scorers = summary.scorers.length
    ? summary.scorers
    : [...new Set(summary.targets.flatMap((t) => t.scorers.map((s) => s.name)))].sort();
  return table('quality', 'Quality', summary.targets, [
    ['target', 'Target', false, (t) => text(t.target)],
    ['scored', 'Scored', true, (t) => num(t.accuracy?.scored ?? 0)],
    [
      'accuracy',
      summary.repeats > 1 ? 'Pass rate [Wilson 95%, clustered by row]' : 'Pass rate [Wilson 95%]',
      true,
      (t) => cell(t.accuracy ? `${formatPercent(t.accuracy.rate)} ${formatPercentInterval(t.accuracy.ci)}` : MISSING, t.accuracy?.rate),
    ],
    ['unscored', 'Unscored', true, (t) => num(t.unscored ?? 0)],
    [
      'deff',
      'Design effect',
      true,
      (t) => cell(t.accuracy?.designEffect == null ? MISSING : t.accuracy.designEffect.toFixed(2), t.accuracy?.designEffect),
    ],
    [
      'score',
      'Mean score [bootstrap 95%]',
      true,
      (t) =>
        cell(
          t.score
            ? `${t.score.mean.toFixed(3)}${t.score.ci ? ` [${t.score.ci.low.toFixed(3)}, ${t.score.ci.high.toFixed(3)}]` : ''}`
            : MISSING,
          t.score?.mean,
        ),
    ],
    [
      'se',
      'Clustered SE',
      true,
      (t) => cell(t.score?.clusteredSe == null ? MISSING : t.score.clusteredSe.toFixed(4), t.score?.clusteredSe),
    ],
    [
      'variance',
      'Per-item variance',
      true,
      (t) => cell(t.score?.itemVariance == null ? MISSING : t.score.itemVariance.toFixed(4), t.score?.itemVariance),
    ],
    ...scorers.map(
      (name): Column => [
        `scorer:${name}`,
        `${name} pass rate`,
        true,
        (t) => {
          const s = t.scorers.find((x) => x.name === name);
          return cell(s ? `${formatPercent(s.passRate)}${s.errors ? ` (${s.errors} errors)` : ''}` : MISSING, s?.passRate);
        },
      ],
    ),
  ]);
}

/** Every pair of targets: paired differences with CIs, McNemar's p and the verdicts. */
export function pairwiseTable(summary: RunSummary): ViewTable {
  const verdict = (v: string | undefined) => text(v === undefined ? MISSING : v === 'no-difference' ? 'no evidence' : v);
  return {
    id: 'pairwise',
    title: 'Pairwise comparisons (A vs B, 95%)',
    columns: [
      col('a', 'A', false),
      col('b', 'B', false),
      col('pairs', 'Pairs', true),
      col('passDiff', 'Pass rate A − B [95% CI]', true),
      col('mcnemar', 'McNemar p', true),
      col('passP', 'Verdict p', true),
      col('passVerdict', 'Pass rate verdict', false),
      col('scoreDiff', 'Score A − B [95% CI]', true),
      col('permutation', 'Permutation p', true),
      col('scoreVerdict', 'Score verdict', false),
    ],
    rows: summary.pairwise.map((p) => [
      text(p.a),
      text(p.b),
      num(p.accuracy?.pairs ?? p.score?.pairs ?? 0),
      cell(
        p.accuracy
          ? `${formatPoints(p.accuracy.diff.value)}${p.accuracy.diff.ci ? ` [${formatPoints(p.accuracy.diff.ci.low)}, ${formatPoints(p.accuracy.diff.ci.high)}]` : ''}`
          : MISSING,
        p.accuracy?.diff.value,
      ),
      cell(p.accuracy ? pValue(p.accuracy.mcnemarP) : MISSING, p.accuracy?.mcnemarP),
      cell(
        p.accuracy ? `${pValue(p.accuracy.pValue)}${p.accuracy.test === 'row-sign-flip' ? ' (rows)' : ''}` : MISSING,
        p.accuracy?.pValue,
      ),
      verdict(p.accuracy?.verdict),
      cell(
        p.score
          ? `${formatSigned(p.score.diff.value)}${p.score.diff.ci ? ` [${formatSigned(p.score.diff.ci.low)}, ${formatSigned(p.score.diff.ci.high)}]` : ''}`
          : MISSING,
        p.score?.diff.value,
      ),
      cell(p.score ? pValue(p.score.pValue) : MISSING, p.score?.pValue),
      verdict(p.score?.verdict),
    ]),
  };
}

/** Every latency metric at every reported percentile, with bootstrap CIs. */
export function latencyTable(summary: RunSummary): ViewTable {
  // Time in system = queue wait + retries (failed attempts and the waits between them) + service time.
  const metrics: [keyof TargetSummary['latency'], string][] = [
    ['queue', 'Queue wait (before first send)'],
    ['retryWait', 'Retry wait (between attempts)'],
    ['e2e', 'Service time (final attempt)'],
    ['logical', 'Time in system (queue + retries + final attempt)'],
    ['ttft', 'TTFT'],
    ['itl', 'ITL'],
    ['tpot', 'TPOT'],
  ];
  const rows: ViewCell[][] = [];
  // A batch target has no request latency (its turnaround has its own table).
  for (const t of summary.targets.filter((x) => x.mode !== 'batch')) {
    for (const [key, label] of metrics) {
      const stats: LatencyStats | null = t.latency[key] ?? null;
      rows.push([
        text(t.target),
        text(label),
        num(stats?.count ?? 0),
        ms(stats?.mean),
        ...(['p50', 'p90', 'p95', 'p99'] as const).map((p) => cell(formatMsEstimate(stats?.percentiles[p]), stats?.percentiles[p].value)),
      ]);
    }
  }
  return {
    id: 'latency',
    title: 'Latency',
    columns: [
      col('target', 'Target', false),
      col('metric', 'Metric', false),
      col('n', 'n', true),
      col('mean', 'Mean', true),
      col('p50', 'p50 [95% CI]', true),
      col('p90', 'p90 [95% CI]', true),
      col('p95', 'p95 [95% CI]', true),
      col('p99', 'p99 [95% CI]', true),
    ],
    rows,
  };
}

/** Batch targets' turnaround (submit → results collected) of their successful cells. */
export function turnaroundTable(summary: RunSummary): ViewTable {
  const batch = summary.targets.filter((t) => t.mode === 'batch');
  return {
    id: 'turnaround',
    title: 'Batch turnaround (submit → results collected)',
    columns: [
      col('target', 'Target', false),
      col('n', 'n', true),
      col('min', 'Min', true),
      col('p50', 'p50', true),
      col('p95', 'p95', true),
      col('max', 'Max', true),
    ],
    rows: batch.map((t) => {
      const s = t.turnaround ?? null;
      return [
        text(t.target),
        num(s?.count ?? 0),
        duration(s?.min),
        duration(s?.percentiles.p50.value),
        duration(s?.percentiles.p95.value),
        duration(s?.max),
      ];
    }),
  };
}

/**
 * Each Global Batch job: submitted (this client's clock), the service's lifecycle steps as offsets from
 * the job's creation, its request counts, and when its results were collected (offset from submit).
 */
export function batchJobsTable(summary: RunSummary): ViewTable {
  return {
    id: 'batch-jobs',
    title: 'Batch jobs',
    columns: [
      col('target', 'Target', false),
      col('job', 'Batch', false),
      col('submitted', 'Submitted', false),
      col('inProgress', 'In progress', true),
      col('finalizing', 'Finalizing', true),
      col('ended', 'Ended', false),
      col('requests', 'Requests done / total (failed)', true),
      col('collected', 'Results collected', true),
      col('error', 'Job error', false),
    ],
    rows: (summary.batchJobs ?? []).map((j) => {
      const origin = j.createdAt ?? j.submittedAt;
      const step = (at: number | null) =>
        at === null ? cell(MISSING, null) : cell(`+${formatDuration(Math.max(0, at - origin))}`, at - origin);
      const c = j.counts;
      return [
        text(j.target),
        text(j.jobId),
        text(new Date(j.submittedAt).toISOString()),
        step(j.inProgressAt),
        step(j.finalizingAt),
        text(endedText(j, origin)),
        cell(
          c ? `${formatNumber(c.completed + c.failed)} / ${formatNumber(c.total)} (${formatNumber(c.failed)})` : MISSING,
          c ? c.completed + c.failed : null,
        ),
        j.collectedAt === null
          ? cell(MISSING, null)
          : cell(`+${formatDuration(Math.max(0, j.collectedAt - j.submittedAt))}`, j.collectedAt - j.submittedAt),
        text(j.error ?? MISSING),
      ];
    }),
  };
}

/** Flex targets: answers by the tier that gave them, and the capacity 429s met on the way. */
export function flexTierTable(summary: RunSummary): ViewTable {
  const byName = new Map(summary.targets.map((t) => [t.target, t]));
  return {
    id: 'flex-tiers',
    title: 'Flex tier',
    columns: [
      col('target', 'Target', false),
      col('flex', 'Answered at Flex', true),
      col('standard', 'Answered at standard (fallback)', true),
      col('capacity', 'Capacity 429s', true),
    ],
    rows: (summary.flexTiers ?? []).map((f) => [
      text(f.target),
      num(f.flex),
      num(f.standard),
      num(byName.get(f.target)?.retries.capacity429 ?? 0),
    ]),
  };
}

/** Throughput, achieved TPM/RPM, goodput, retries and 429s. */
export function throughputTable(summary: RunSummary): ViewTable {
  return table('throughput', 'Throughput and rate limits', summary.targets, [
    ['target', 'Target', false, (t) => text(t.target)],
    ['tps', 'Output tok/s', true, (t) => cell(formatNumber(t.throughput?.outputTokensPerSec, 1), t.throughput?.outputTokensPerSec)],
    ['rps', 'Req/s', true, (t) => cell(formatNumber(t.throughput?.requestsPerSec, 2), t.throughput?.requestsPerSec)],
    [
      'tpm',
      'TPM peak / mean',
      true,
      (t) => cell(t.rate ? `${formatNumber(t.rate.tpmPeak)} / ${formatNumber(t.rate.tpmMean)}` : MISSING, t.rate?.tpmPeak),
    ],
    [
      'rpm',
      'RPM peak / mean',
      true,
      (t) => cell(t.rate ? `${formatNumber(t.rate.rpmPeak)} / ${formatNumber(t.rate.rpmMean)}` : MISSING, t.rate?.rpmPeak),
    ],
    [
      'goodput',
      'Goodput',
      true,
      (t) => cell(t.goodput ? `${formatPercent(t.goodput.share)} (${formatNumber(t.goodput.perSec, 2)}/s)` : MISSING, t.goodput?.share),
    ],
    ['attempts', 'Attempts', true, (t) => num(t.retries.attempts)],
    [
      '429',
      '429s (quota / capacity)',
      true,
      (t) => cell(`${t.retries.quota429} / ${t.retries.capacity429}`, t.retries.quota429 + t.retries.capacity429),
    ],
    ['queueWait', 'Queue wait Σ', true, (t) => ms(t.retries.queueWaitMs)],
    ['retryWait', 'Retry wait Σ', true, (t) => ms(t.retries.retryWaitMs)],
    ['paused', 'Paused (429)', true, (t) => ms(t.pausedMs)],
  ]);
}

/** Tokens by kind and cost per item and per 1k rows. */
export function tokensTable(summary: RunSummary): ViewTable {
  const per = (t: TargetSummary, k: 'prompt' | 'completion' | 'reasoning' | 'cached') =>
    cell(
      `${formatNumber(t.tokens.total[k])}${t.tokens.perItem ? ` (${formatNumber(t.tokens.perItem[k], 1)}/item)` : ''}`,
      t.tokens.total[k],
    );
  return table('tokens', 'Tokens and cost', summary.targets, [
    ['target', 'Target', false, (t) => text(t.target)],
    ['prompt', 'Prompt', true, (t) => per(t, 'prompt')],
    ['completion', 'Completion', true, (t) => per(t, 'completion')],
    ['reasoning', 'Reasoning', true, (t) => per(t, 'reasoning')],
    ['cached', 'Cached', true, (t) => per(t, 'cached')],
    ['cost', 'Cost', true, (t) => cell(formatUsd(t.cost?.total), t.cost?.total)],
    ['perItem', 'Cost / item', true, (t) => cell(formatUsd(t.cost?.perItem), t.cost?.perItem)],
    ['per1k', 'Cost / 1k rows', true, (t) => cell(formatUsd(t.cost?.per1kRows), t.cost?.per1kRows)],
  ]);
}

/** One line per deployment of every target: shows which member of a pool is slow or throttled. */
export function deploymentsTable(summary: RunSummary): ViewTable {
  return {
    id: 'deployments',
    title: 'By deployment',
    columns: [
      col('target', 'Target', false),
      col('deployment', 'Deployment', false),
      col('results', 'Results', true),
      col('failed', 'Failed', true),
      col('attempts', 'Attempts', true),
      col('429', '429s (quota / capacity)', true),
      col('paused', 'Paused (429)', true),
      col('p50', 'p50 latency', true),
      col('p95', 'p95 latency', true),
      col('ttft', 'p50 TTFT', true),
    ],
    rows: summary.targets.flatMap((t) =>
      t.byDeployment.map((d) => [
        text(t.target),
        text(d.id),
        num(d.results),
        num(d.failed),
        num(d.attempts),
        cell(`${d.quota429} / ${d.capacity429}`, d.quota429 + d.capacity429),
        ms(d.pausedMs),
        ms(d.e2eP50Ms),
        ms(d.e2eP95Ms),
        ms(d.ttftP50Ms),
      ]),
    ),
  };
}

/** Failed results by error category, one column per target. */
export function errorsTable(summary: RunSummary): ViewTable {
  const categories = [...new Set(summary.targets.flatMap((t) => Object.keys(t.errorsByCategory)))].sort();
  return {
    id: 'errors',
    title: 'Errors by category',
    columns: [col('category', 'Category', false), ...summary.targets.map((t) => col(t.target, t.target, true))],
    rows: categories.map((c) => [text(c), ...summary.targets.map((t) => num(t.errorsByCategory[c] ?? 0))]),
  };
}

// --- internal ---

type Column = readonly [key: string, label: string, numeric: boolean, render: (t: TargetSummary) => ViewCell];

function table(id: string, title: string, targets: readonly TargetSummary[], columns: readonly Column[]): ViewTable {
  return {
    id,
    title,
    columns: columns.map(([key, label, numeric]) => col(key, label, numeric)),
    rows: targets.map((t) => columns.map((c) => c[3](t))),
  };
}

function col(key: string, label: string, numeric: boolean): ViewColumn {
  return { key, label, numeric };
}

function cell(value: string, sort: number | null | undefined): ViewCell {
  return { text: value, sort: sort === undefined || sort === null || !Number.isFinite(sort) ? null : sort };
}

function text(value: string): ViewCell {
  return { text: value, sort: null };
}

function num(value: number): ViewCell {
  return cell(formatNumber(value), value);
}

/** "85.0% (34/40)": the rate with its numerator and denominator. */
function accuracyOver(passed: number | undefined, of: number | undefined): ViewCell {
  if (passed === undefined || of === undefined || of === 0) return cell(MISSING, null);
  return cell(`${formatPercent(passed / of)} (${passed}/${of})`, passed / of);
}

function pValue(p: number): string {
  return p < 0.0001 ? '< 0.0001' : p.toFixed(4);
}

function ms(value: number | null | undefined): ViewCell {
  return cell(formatMs(value), value);
}

function duration(value: number | null | undefined): ViewCell {
  return cell(formatDuration(value), value);
}

function turnaroundCell(t: TargetSummary): ViewCell {
  const s = t.turnaround;
  if (t.mode !== 'batch' || !s) return cell(MISSING, null);
  return cell(`${formatDuration(s.percentiles.p50.value)} / ${formatDuration(s.percentiles.p95.value)}`, s.percentiles.p50.value);
}

/** "completed +4.1 min", "expired +24.0 h", or the status a job was last seen in ("in_progress (not ended)"). */
function endedText(j: BatchJobTimeline, origin: number): string {
  if (j.status === null) return 'not polled yet';
  if (j.endedAt === null) return `${j.status} (not ended)`;
  return `${j.status} +${formatDuration(Math.max(0, j.endedAt - origin))}`;
}
