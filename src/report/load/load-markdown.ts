/**
 * summary.md of a load run: the method (profile, workload, retry policy, pacing accuracy), then per
 * target one table row per step and the saturation and goodput points. Numbers a client-bound step
 * produced are flagged, never passed off as the server's.
 */
import { formatMs, formatNumber, formatPercent, MISSING } from '../format.ts';
import type { LatencyStats } from '../summary-types.ts';
import type { LoadSummary, TargetLoadSummary } from './load-summary.ts';
import type { StepStats } from './step-stats.ts';

export function renderLoadMarkdown(summary: LoadSummary): string {
  const s = summary.start;
  const lines: string[] = ['# batchbench load report', ''];
  if (s.emulator)
    lines.push("> **Emulator run**: every endpoint is the embedded Azure OpenAI emulator; latencies are simulated, not Azure's.", '');
  lines.push(...methodLines(summary), '');
  for (const target of summary.targets) lines.push(...targetLines(target, summary), '');
  if (summary.reason !== 'completed')
    lines.push(`Run ${summary.reason === 'aborted' ? 'interrupted' : 'unfinished'}: the steps above are the ones that ran.`, '');
  return `${lines.join('\n').trimEnd()}\n`;
}

export function methodLines(summary: LoadSummary): string[] {
  const s = summary.start;
  const w = s.workload;
  const slo = s.slo
    ? `${[s.slo.ttftMs !== undefined ? `TTFT ≤ ${formatMs(s.slo.ttftMs)}` : '', s.slo.e2eMs !== undefined ? `e2e ≤ ${formatMs(s.slo.e2eMs)}` : ''].filter(Boolean).join(' and ')} for ≥ ${s.slo.percentile}% of requests`
    : 'none';
  return [
    `- Profile: \`${s.profile}\`; steps of ${formatMs(s.stepDurationMs)} or ${formatNumber(s.maxRequestsPerStep)} requests, whichever comes first`,
    `- Workload: ${w.source}${w.inputTokens !== undefined ? `, ${w.inputTokens} input tokens` : ''}${w.outputTokens !== undefined ? `, ${w.outputTokens} output tokens (max_tokens pins it)` : ''}${w.spread ? ` ± ${formatPercent(w.spread, 0)}` : ''}; admission estimate ≈ ${formatNumber(w.costPerRequest)} tokens per request`,
    `- SLO: ${slo}`,
    `- Retry policy: ${s.retryPolicy} — every 429 and error is counted as it happened; a closed-loop slot that gets a 429 waits its retry-after, then sends a new request`,
    `- Transport: ${s.transportWorkers === 0 ? 'main thread' : `${s.transportWorkers} worker thread(s)`} (one scheduler)`,
    `- Pacing accuracy (open-loop steps): worst |achieved − offered| = ${formatPercent(summary.pacing.worstRateError, 2)}, worst send-jitter p99 = ${formatMs(summary.pacing.worstJitterP99Ms)} (targets: ≤ 1%, ≤ 5 ms)`,
  ];
}

function targetLines(target: TargetLoadSummary, summary: LoadSummary): string[] {
  const lines = [`## ${escapeMd(target.name)}`, ''];
  lines.push(
    `- Floor (synchronous): ${fmtRate(target.floorRps)} req/s; saturation throughput: ${fmtRate(target.saturationRps)} req/s`,
    `- Goodput point: ${target.goodput ? `${fmtRate(target.goodput.rate)} req/s offered → ${fmtRate(target.goodput.goodputRps)} good req/s, ${formatNumber(target.goodput.tokensPerMin)} tokens/min` : summary.start.slo ? 'no measured rate met the SLO' : MISSING}`,
    '',
    '| # | step | offered | achieved | jitter p99 | ok / sent | 429 quota / capacity | errors | TTFT p50 / p90 / p95 / p99 | ITL p50 | TPOT p50 | e2e p50 / p99 | out tok/s | req/min | tok/min | SLO | PTU util | client | server rate |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const step of target.steps) lines.push(stepRow(step));
  if (target.steps.some((s) => s.server))
    lines.push(
      '',
      "server rate: the emulator's own admissions per second; in brackets against the rate of the client's sends it admitted (429s are refusals, not admissions).",
    );
  if (target.steps.some((s) => s.clientBound))
    lines.push(
      '',
      '**client-bound**: the client, not the server, limited these steps (event-loop lag p99 > 10 ms or > 80 % of a core); their latencies include client delay.',
    );
  const ci = target.steps.find((s) => s.latency.ttft?.percentiles.p50.ci);
  if (ci?.latency.ttft)
    lines.push(
      '',
      `Percentiles carry 95% bootstrap intervals in report.json; e.g. step ${ci.step} TTFT p50 ${ms(ci.latency.ttft, 'p50')} [${formatMs(ci.latency.ttft.percentiles.p50.ci!.low)}, ${formatMs(ci.latency.ttft.percentiles.p50.ci!.high)}].`,
    );
  return lines;
}

function stepRow(s: StepStats): string {
  const name = `${escapeMd(s.label)}${s.role === 'warmup' ? ' (warm-up, excluded)' : s.role === 'saturation' ? ' **saturation**' : ''}`;
  if (s.skipped !== null)
    return `| ${s.step} | ${name} | ${fmtRate(s.offeredRate)} | skipped: ${escapeMd(s.skipped)} (--allow-429 to run it) |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |`;
  const errors =
    Object.entries(s.failures)
      .filter(([k]) => k !== 'quota' && k !== 'capacity')
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || '0';
  const t = s.latency.ttft;
  const flag = s.clientBound ? ' ⚠' : '';
  return [
    '',
    String(s.step),
    name,
    fmtRate(s.offeredRate),
    `${fmtRate(s.achievedRate)}${s.rateError === null ? '' : ` (${formatSignedPct(s.rateError)})`}`,
    s.jitter ? formatMs(s.jitter.p99) : MISSING,
    `${s.ok} / ${s.requests}`,
    `${s.throttled429.quota} / ${s.throttled429.capacity}`,
    errors,
    t ? `${ms(t, 'p50')} / ${ms(t, 'p90')} / ${ms(t, 'p95')} / ${ms(t, 'p99')}${flag}` : MISSING,
    s.latency.itl ? ms(s.latency.itl, 'p50') : MISSING,
    s.latency.tpot ? ms(s.latency.tpot, 'p50') : MISSING,
    s.latency.e2e ? `${ms(s.latency.e2e, 'p50')} / ${ms(s.latency.e2e, 'p99')}${flag}` : MISSING,
    formatNumber(s.outputTokensPerSec, 1),
    formatNumber(s.requestsPerMin, 1),
    formatNumber(s.tokensPerMin),
    s.slo ? `${s.slo.meets ? 'met' : 'missed'} (${formatPercent(s.slo.attainment)})` : MISSING,
    s.utilizationPct ? `${s.utilizationPct.max.toFixed(1)}% max` : MISSING,
    s.clientBound ? '**client-bound**' : 'ok',
    s.server ? `${fmtRate(s.server.rate)}${s.server.agreement === null ? '' : ` (${formatSignedPct(s.server.agreement)})`}` : MISSING,
    '',
  ]
    .join(' | ')
    .trim();
}

function ms(stats: LatencyStats, p: 'p50' | 'p90' | 'p95' | 'p99'): string {
  return formatMs(stats.percentiles[p].value);
}

export function fmtRate(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? MISSING : formatNumber(value, value >= 100 ? 0 : 2);
}

function formatSignedPct(value: number): string {
  const text = (value * 100).toFixed(2);
  return `${value > 0 && Number(text) !== 0 ? '+' : ''}${Number(text) === 0 ? '0.00' : text}%`;
}

/** Target names and labels come from the user's config: keep them from breaking the table. */
function escapeMd(text: string): string {
  return text.replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}
