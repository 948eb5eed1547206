/**
 * Folds the requests of one load step into its statistics: offered vs achieved rate, send jitter,
 * latency percentiles with bootstrap intervals (azure-v1-behaviour.md §14 definitions: ITL =
 * (e2e − TTFT) / (output − 1), TPOT = e2e / output), throughput, 429s by kind, errors, SLO attainment,
 * client overhead and, against the emulator, the server's own admission rate. Pure and seeded.
 */
import { createRng } from '../../internal/rng.ts';
import { latencyStats } from '../latency-stats.ts';
import { percentile } from '../stats/percentile.ts';
import type { LatencyStats } from '../summary-types.ts';
import type { ClientOverheadRecord, LoadRequestRecord, LoadStepEndRecord, LoadStepRecord } from './load-records.ts';

export interface SloSpec {
  readonly ttftMs?: number;
  readonly e2eMs?: number;
  /** e.g. 99: at least 99 % of the step's requests must succeed within every bound. */
  readonly percentile: number;
}

export interface StepStats {
  readonly target: string;
  readonly step: number;
  readonly label: string;
  readonly mode: LoadStepRecord['mode'];
  readonly role: LoadStepRecord['role'];
  readonly offeredRate: number | null;
  readonly concurrency: number | null;
  readonly skipped: string | null;
  readonly quotaWarning: string | null;
  readonly requests: number;
  readonly ok: number;
  /** Failures by category (`quota` and `capacity` are the two kinds of 429). */
  readonly failures: Readonly<Record<string, number>>;
  readonly throttled429: { readonly quota: number; readonly capacity: number };
  /** Sends per second, from the least-squares slope of send time on sequence (rateOfTimes). */
  readonly achievedRate: number | null;
  /** achieved / offered − 1 (open loop). */
  readonly rateError: number | null;
  /** Actual − scheduled send time (open loop). @unit milliseconds */
  readonly jitter: { readonly p50: number; readonly p99: number; readonly max: number } | null;
  /** Successful responses per second over first send → last response. */
  readonly throughputRps: number;
  readonly requestsPerMin: number;
  readonly outputTokensPerSec: number;
  readonly tokensPerMin: number;
  readonly latency: {
    readonly ttft: LatencyStats | null;
    readonly itl: LatencyStats | null;
    readonly tpot: LatencyStats | null;
    readonly e2e: LatencyStats | null;
  };
  readonly ttftValues: readonly number[];
  readonly slo: { readonly attainment: number; readonly meets: boolean; readonly goodputRps: number } | null;
  readonly utilizationPct: { readonly max: number; readonly last: number } | null;
  readonly client: readonly ClientOverheadRecord[];
  readonly clientBound: boolean;
  /**
   * Against the emulator: its admissions in the step and their rate; `agreement` = that rate / the rate
   * of the client's sends it admitted − 1 (a 429 is a send the server refused, not an admission, so a
   * throttled step compares like with like).
   */
  readonly server: { readonly admissions: number; readonly rate: number | null; readonly agreement: number | null } | null;
}

const RESAMPLES = 400;
/** Client-bound thresholds (lag p99 in ms, fraction of one core). */
export const CLIENT_BOUND_LIMITS = { lagP99Ms: 10, coreFraction: 0.8 } as const;

export function stepStats(
  step: LoadStepRecord,
  requests: readonly LoadRequestRecord[],
  end: LoadStepEndRecord | undefined,
  slo: SloSpec | undefined,
): StepStats {
  const sent = [...requests].sort((a, b) => a.sentAt - b.sentAt);
  const ok = sent.filter((r) => r.outcome === 'ok');
  const failures: Record<string, number> = {};
  for (const r of sent) if (r.outcome !== 'ok') failures[r.outcome] = (failures[r.outcome] ?? 0) + 1;
  const firstSend = sent[0]?.sentAt;
  const lastEnd = sent.reduce((m, r) => Math.max(m, r.sentAt + r.e2eMs), 0);
  const wallMs = firstSend === undefined ? 0 : Math.max(1, lastEnd - firstSend);
  const perSec = (n: number) => (wallMs > 0 ? (n * 1000) / wallMs : 0);
  const open = step.mode === 'rate';
  const spanMs = sent.length >= 2 ? sent[sent.length - 1]!.sentAt - sent[0]!.sentAt : 0;
  const achievedRate = spanMs > 0 ? rateOfTimes(sent.map((r) => r.sentAt)) : sent.length === 1 ? perSec(1) : null;
  const jitters = sent.filter((r) => r.scheduledAt !== null).map((r) => r.sentAt - (r.scheduledAt as number));
  const outputTokens = ok.reduce((s, r) => s + (r.outputTokens ?? 0), 0);
  const promptTokens = ok.reduce((s, r) => s + (r.promptTokens ?? 0), 0);
  const random = createRng(`${step.target}|${step.step}`);
  const ttft = ok.flatMap((r) => (r.ttftMs === undefined ? [] : [r.ttftMs]));
  const itl = ok.flatMap((r) =>
    r.ttftMs !== undefined && (r.outputTokens ?? 0) > 1 ? [(r.e2eMs - r.ttftMs) / ((r.outputTokens as number) - 1)] : [],
  );
  const tpot = ok.flatMap((r) => ((r.outputTokens ?? 0) > 0 ? [r.e2eMs / (r.outputTokens as number)] : []));
  const utilization = sent.flatMap((r) => (r.utilizationPct === undefined ? [] : [r.utilizationPct]));
  const client = end?.client ?? [];
  const serverRate = end?.server?.rate ?? null;
  const admitted = sent.filter((r) => r.outcome !== 'quota' && r.outcome !== 'capacity');
  const admittedRate =
    admitted.length === sent.length ? achievedRate : admitted.length >= 2 ? rateOfTimes(admitted.map((r) => r.sentAt)) : null;
  return {
    target: step.target,
    step: step.step,
    label: step.label,
    mode: step.mode,
    role: step.role,
    offeredRate: step.rate ?? null,
    concurrency: step.concurrency ?? null,
    skipped: step.skipped ?? null,
    quotaWarning: step.quotaWarning ?? null,
    requests: sent.length,
    ok: ok.length,
    failures,
    throttled429: { quota: failures.quota ?? 0, capacity: failures.capacity ?? 0 },
    achievedRate,
    rateError: open && achievedRate !== null && step.rate ? achievedRate / step.rate - 1 : null,
    jitter: jitters.length
      ? { p50: percentile(jitters, 0.5), p99: percentile(jitters, 0.99), max: jitters.reduce((m, v) => Math.max(m, v), -Infinity) }
      : null,
    throughputRps: perSec(ok.length),
    requestsPerMin: perSec(ok.length) * 60,
    outputTokensPerSec: perSec(outputTokens),
    tokensPerMin: perSec(outputTokens + promptTokens) * 60,
    latency: {
      ttft: latencyStats(ttft, random, RESAMPLES),
      itl: latencyStats(itl, random, RESAMPLES),
      tpot: latencyStats(tpot, random, RESAMPLES),
      e2e: latencyStats(
        ok.map((r) => r.e2eMs),
        random,
        RESAMPLES,
      ),
    },
    ttftValues: ttft,
    slo: slo && sent.length ? sloOutcome(sent, slo, perSec) : null,
    utilizationPct: utilization.length
      ? { max: utilization.reduce((m, v) => Math.max(m, v), -Infinity), last: utilization[utilization.length - 1]! }
      : null,
    client,
    clientBound: client.some(
      (c) => c.lagP99Ms > CLIENT_BOUND_LIMITS.lagP99Ms || (c.wallMs > 0 && c.cpuMs / c.wallMs > CLIENT_BOUND_LIMITS.coreFraction),
    ),
    server: end?.server ? { ...end.server, agreement: serverRate !== null && admittedRate ? serverRate / admittedRate - 1 : null } : null,
  };
}

/**
 * Events per second from ascending event times: 1000 / the least-squares slope of time on index. Unlike
 * (n − 1) / (last − first), one late first or last event barely moves it, so short steps on a busy
 * machine still measure the rate, not the jitter of two sends. The server's admission log goes through
 * the same function, so client and server rates are comparable.
 * @returns null with fewer than two events or no spread in time
 */
export function rateOfTimes(times: readonly number[]): number | null {
  const n = times.length;
  if (n < 2) return null;
  const meanIndex = (n - 1) / 2;
  let meanTime = 0;
  for (const t of times) meanTime += t / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (i - meanIndex) * (times[i]! - meanTime);
    den += (i - meanIndex) ** 2;
  }
  const slopeMs = num / den;
  return slopeMs > 0 ? 1000 / slopeMs : null;
}

/**
 * A request is good when it succeeded within every bound; the step meets the SLO when at least p % of
 * its requests are good (failures count against it, as in guidellm), i.e. the p-th percentile of
 * latency, with failures as infinitely slow, is within the bounds.
 */
export function sloOutcome(
  sent: readonly LoadRequestRecord[],
  slo: SloSpec,
  perSec: (n: number) => number,
): { attainment: number; meets: boolean; goodputRps: number } {
  const good = sent.filter(
    (r) =>
      r.outcome === 'ok' &&
      (slo.ttftMs === undefined || (r.ttftMs ?? r.e2eMs) <= slo.ttftMs) &&
      (slo.e2eMs === undefined || r.e2eMs <= slo.e2eMs),
  ).length;
  const attainment = good / sent.length;
  return { attainment, meets: attainment >= slo.percentile / 100 - 1e-12, goodputRps: perSec(good) };
}
