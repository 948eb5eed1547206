/**
 * What report.html of a load run embeds: per target the step table, the points of the latency vs
 * throughput curves, a TTFT histogram per step, and the saturation and goodput points. Plain numbers
 * and strings; the page renders them through textContent only.
 */
import { methodLines } from './load-markdown.ts';
import type { LoadSummary } from './load-summary.ts';
import type { StepStats } from './step-stats.ts';

export interface LoadStepView {
  readonly step: number;
  readonly label: string;
  readonly role: string;
  readonly skipped: string | null;
  readonly offered: number | null;
  readonly achieved: number | null;
  readonly rateError: number | null;
  readonly jitterP99: number | null;
  readonly ok: number;
  readonly requests: number;
  readonly quota429: number;
  readonly capacity429: number;
  readonly otherErrors: number;
  readonly throughput: number;
  readonly ttft: readonly (number | null)[];
  readonly e2e: readonly (number | null)[];
  readonly itlP50: number | null;
  readonly tpotP50: number | null;
  readonly outputTokensPerSec: number;
  readonly requestsPerMin: number;
  readonly tokensPerMin: number;
  readonly slo: { readonly meets: boolean; readonly attainment: number } | null;
  readonly utilizationMax: number | null;
  readonly clientBound: boolean;
  readonly lagP99: number | null;
  readonly serverRate: number | null;
  readonly histogram: { readonly binMs: number; readonly start: number; readonly counts: readonly number[] } | null;
}

export interface LoadViewModel {
  readonly emulator: boolean;
  readonly runId: string;
  readonly profile: string;
  readonly method: readonly string[];
  readonly targets: readonly {
    readonly name: string;
    readonly floor: number | null;
    readonly saturation: number | null;
    readonly goodput: { readonly step: number; readonly rate: number; readonly goodputRps: number; readonly tokensPerMin: number } | null;
    readonly steps: readonly LoadStepView[];
  }[];
}

export function buildLoadViewModel(summary: LoadSummary): LoadViewModel {
  return {
    emulator: summary.start.emulator,
    runId: summary.start.runId,
    profile: summary.start.profile,
    // The markdown method lines, without markdown emphasis, read as plain text on the page.
    method: methodLines(summary).map((line) => line.replace(/^- /, '').replace(/`/g, '')),
    targets: summary.targets.map((t) => ({
      name: t.name,
      floor: t.floorRps,
      saturation: t.saturationRps,
      goodput: t.goodput,
      steps: t.steps.map(stepView),
    })),
  };
}

function stepView(s: StepStats): LoadStepView {
  const p = (stats: StepStats['latency']['ttft'], keys: readonly ('p50' | 'p90' | 'p95' | 'p99')[]) =>
    keys.map((k) => (stats ? round(stats.percentiles[k].value) : null));
  const other = Object.entries(s.failures).reduce((n, [k, v]) => (k === 'quota' || k === 'capacity' ? n : n + v), 0);
  return {
    step: s.step,
    label: s.label,
    role: s.role,
    skipped: s.skipped,
    offered: s.offeredRate,
    achieved: roundOrNull(s.achievedRate),
    rateError: s.rateError,
    jitterP99: s.jitter ? round(s.jitter.p99) : null,
    ok: s.ok,
    requests: s.requests,
    quota429: s.throttled429.quota,
    capacity429: s.throttled429.capacity,
    otherErrors: other,
    throughput: round(s.throughputRps),
    ttft: p(s.latency.ttft, ['p50', 'p90', 'p95', 'p99']),
    e2e: p(s.latency.e2e, ['p50', 'p90', 'p95', 'p99']),
    itlP50: s.latency.itl ? round(s.latency.itl.percentiles.p50.value) : null,
    tpotP50: s.latency.tpot ? round(s.latency.tpot.percentiles.p50.value) : null,
    outputTokensPerSec: round(s.outputTokensPerSec),
    requestsPerMin: round(s.requestsPerMin),
    tokensPerMin: round(s.tokensPerMin),
    slo: s.slo ? { meets: s.slo.meets, attainment: s.slo.attainment } : null,
    utilizationMax: s.utilizationPct?.max ?? null,
    clientBound: s.clientBound,
    lagP99: s.client.length ? round(Math.max(...s.client.map((c) => c.lagP99Ms))) : null,
    serverRate: roundOrNull(s.server?.rate ?? null),
    histogram: histogram(s.ttftValues),
  };
}

/** 20 equal bins between min and max (one bin when all values are equal). */
export function histogram(values: readonly number[]): LoadStepView['histogram'] {
  if (values.length === 0) return null;
  // reduce, not Math.min(...values): a step may hold 100 000 samples, too many for spread arguments.
  const min = values.reduce((m, v) => Math.min(m, v), Infinity);
  const max = values.reduce((m, v) => Math.max(m, v), -Infinity);
  const bins = max > min ? 20 : 1;
  const binMs = max > min ? (max - min) / bins : 1;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor((v - min) / binMs))]! += 1;
  return { binMs: round(binMs), start: round(min), counts };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

function roundOrNull(x: number | null): number | null {
  return x === null ? null : round(x);
}
