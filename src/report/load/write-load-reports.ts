/**
 * Writes every output of a load run from its journal records: results.csv (one row per request, with
 * scheduled and actual send time), steps.csv (one row per step), report.json, summary.md and
 * report.html. A pure function of the records, so a re-render is byte-identical.
 */
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { loadChartJs } from '../html-reporter.ts';
import { writeFileAtomic } from '../output-files.ts';
import { renderLoadHtml } from './load-html.ts';
import { renderLoadMarkdown } from './load-markdown.ts';
import type { LoadJournalRecord, LoadRequestRecord } from './load-records.ts';
import { summarizeLoad, type LoadSummary } from './load-summary.ts';
import { buildLoadViewModel } from './load-view-model.ts';

export const LOAD_OUTPUT_FILES = ['results.csv', 'steps.csv', 'report.json', 'summary.md', 'report.html'] as const;

export async function writeLoadReports(records: readonly LoadJournalRecord[], outDir: string): Promise<LoadSummary> {
  const summary = summarizeLoad(records);
  const requests = records.filter((r): r is LoadRequestRecord => r.kind === 'load-request');
  await writeFileAtomic(join(outDir, 'results.csv'), requestsCsv(requests));
  await writeFileAtomic(join(outDir, 'steps.csv'), stepsCsv(summary));
  await writeFileAtomic(join(outDir, 'report.json'), `${JSON.stringify(jsonReport(summary), null, 2)}\n`);
  await writeFileAtomic(join(outDir, 'summary.md'), renderLoadMarkdown(summary));
  await writeFileAtomic(join(outDir, 'report.html'), renderLoadHtml(buildLoadViewModel(summary), await loadChartJs()));
  return summary;
}

/** report.json: the summary without the raw TTFT samples (they are in results.csv). */
export function jsonReport(summary: LoadSummary): unknown {
  return { ...summary, targets: summary.targets.map((t) => ({ ...t, steps: t.steps.map(({ ttftValues: _raw, ...step }) => step) })) };
}

function requestsCsv(requests: readonly LoadRequestRecord[]): string {
  const header = [
    'target',
    'step',
    'seq',
    'deployment',
    'scheduled_at',
    'sent_at',
    'send_delay_ms',
    'outcome',
    'status',
    'error_code',
    'ttft_ms',
    'e2e_ms',
    'prompt_tokens',
    'output_tokens',
    'request_id',
    'utilization_pct',
    'retry_after_ms',
  ];
  const rows = requests.map((r) => [
    text(r.target),
    r.step,
    r.seq,
    text(r.deploymentId),
    iso(r.scheduledAt),
    iso(r.sentAt),
    r.scheduledAt === null ? '' : round(r.sentAt - r.scheduledAt),
    r.outcome,
    r.status ?? '',
    text(r.errorCode ?? ''),
    r.ttftMs === undefined ? '' : round(r.ttftMs),
    round(r.e2eMs),
    r.promptTokens ?? '',
    r.outputTokens ?? '',
    text(r.requestId ?? ''),
    r.utilizationPct ?? '',
    r.retryAfterMs ?? '',
  ]);
  return stringify([header, ...rows]);
}

function stepsCsv(summary: LoadSummary): string {
  const header = [
    'target',
    'step',
    'label',
    'role',
    'skipped',
    'offered_rps',
    'achieved_rps',
    'rate_error',
    'jitter_p99_ms',
    'requests',
    'ok',
    'quota_429',
    'capacity_429',
    'throughput_rps',
    'ttft_p50_ms',
    'ttft_p90_ms',
    'ttft_p95_ms',
    'ttft_p99_ms',
    'e2e_p50_ms',
    'e2e_p99_ms',
    'itl_p50_ms',
    'tpot_p50_ms',
    'output_tokens_per_s',
    'requests_per_min',
    'tokens_per_min',
    'slo_attainment',
    'slo_met',
    'client_bound',
    'server_rps',
  ];
  const rows = summary.targets.flatMap((t) =>
    t.steps.map((s) => {
      const p = (stats: typeof s.latency.ttft, k: 'p50' | 'p90' | 'p95' | 'p99') => (stats ? round(stats.percentiles[k].value) : '');
      return [
        text(t.name),
        s.step,
        text(s.label),
        s.role,
        text(s.skipped ?? ''),
        s.offeredRate ?? '',
        s.achievedRate === null ? '' : round(s.achievedRate),
        s.rateError === null ? '' : s.rateError.toFixed(5),
        s.jitter ? round(s.jitter.p99) : '',
        s.requests,
        s.ok,
        s.throttled429.quota,
        s.throttled429.capacity,
        round(s.throughputRps),
        p(s.latency.ttft, 'p50'),
        p(s.latency.ttft, 'p90'),
        p(s.latency.ttft, 'p95'),
        p(s.latency.ttft, 'p99'),
        p(s.latency.e2e, 'p50'),
        p(s.latency.e2e, 'p99'),
        p(s.latency.itl, 'p50'),
        p(s.latency.tpot, 'p50'),
        round(s.outputTokensPerSec),
        round(s.requestsPerMin),
        round(s.tokensPerMin),
        s.slo ? s.slo.attainment.toFixed(4) : '',
        s.slo ? String(s.slo.meets) : '',
        String(s.clientBound),
        s.server?.rate === null || s.server === null ? '' : round(s.server.rate),
      ];
    }),
  );
  return stringify([header, ...rows]);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function iso(epochMs: number | null): string {
  return epochMs === null ? '' : new Date(epochMs).toISOString();
}

/** Config-derived text cells: neutralise spreadsheet formulas (= + - @ at the start). */
function text(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
