/**
 * Compact series for the HTML charts, computed once in the summary so report.json carries them too.
 * Sizes are bounded whatever the run size: ≤ 101 CDF points per target, ≤ 30 histogram bins, ≤ 120
 * timeline bins.
 */
import type { LatencyColumn } from './latency-column.ts';
import type { ChartSeries, TimelineSeries } from './summary-types.ts';

const CDF_STEPS = 100;
const HISTOGRAM_BINS = 30;
const MAX_TIMELINE_BINS = 120;

export interface SeriesSource {
  readonly target: string;
  readonly e2e: Pick<LatencyColumn, 'length' | 'percentile' | 'forEachValue'>;
  readonly ttft: Pick<LatencyColumn, 'length' | 'percentile' | 'forEachValue'>;
  readonly timeline: TimelineColumns;
}

/** A target's attempts for the timeline chart, as columns: attempt i ended at `endMs[i]` (epoch ms). */
export interface TimelineColumns {
  readonly endMs: ArrayLike<number>;
  readonly completionTokens: ArrayLike<number>;
  /** Hidden reasoning tokens (part of completionTokens), so charts can show answer tokens apart. */
  readonly reasoningTokens: ArrayLike<number>;
  /** 1 when the attempt was answered with a 429, else 0. */
  readonly throttled: ArrayLike<number>;
}

export function chartSeries(sources: readonly SeriesSource[], runStartMs: number | null, runEndMs: number | null): ChartSeries {
  const latencyCdf: Record<string, [number, number][]> = {};
  for (const source of sources) latencyCdf[source.target] = cdfPoints(source.e2e);
  return {
    latencyCdf,
    ttftHistogram: histogram(sources),
    timeline: runStartMs === null || runEndMs === null ? null : timeline(sources, runStartMs, runEndMs),
  };
}

// --- internal ---

function cdfPoints(values: SeriesSource['e2e']): [number, number][] {
  if (values.length === 0) return [];
  const points: [number, number][] = [];
  for (let step = 0; step <= CDF_STEPS; step++) {
    const fraction = step / CDF_STEPS;
    points.push([round(values.percentile(fraction)), fraction]);
  }
  return points;
}

/** Shared bins from 0 to the largest per-target p99, so one slow outlier does not flatten the chart. */
function histogram(sources: readonly SeriesSource[]): ChartSeries['ttftHistogram'] {
  let upper = 0;
  for (const s of sources) if (s.ttft.length) upper = Math.max(upper, s.ttft.percentile(0.99));
  if (upper <= 0) return { edgesMs: [], counts: {} };
  const width = niceStep(upper / HISTOGRAM_BINS);
  const bins = Math.max(1, Math.ceil(upper / width));
  const edgesMs = Array.from({ length: bins + 1 }, (_, i) => round(i * width));
  const counts: Record<string, number[]> = {};
  for (const s of sources) {
    const row = new Array<number>(bins).fill(0);
    s.ttft.forEachValue((value, count) => {
      row[Math.min(bins - 1, Math.max(0, Math.floor(value / width)))]! += count;
    });
    counts[s.target] = row;
  }
  return { edgesMs, counts };
}

function timeline(sources: readonly SeriesSource[], startMs: number, endMs: number): TimelineSeries {
  const spanMs = Math.max(1, endMs - startMs);
  const binMs = niceStep(Math.max(1000, spanMs / MAX_TIMELINE_BINS));
  const bins = Math.max(1, Math.ceil(spanMs / binMs));
  const outputTokensPerSec: Record<string, number[]> = {};
  const reasoningTokensPerSec: Record<string, number[]> = {};
  const throttled: Record<string, number[]> = {};
  for (const s of sources) {
    const tokens = new Array<number>(bins).fill(0);
    const reasoning = new Array<number>(bins).fill(0);
    const limited = new Array<number>(bins).fill(0);
    const t = s.timeline;
    for (let i = 0; i < t.endMs.length; i++) {
      const bin = Math.min(bins - 1, Math.max(0, Math.floor(((t.endMs[i] as number) - startMs) / binMs)));
      tokens[bin]! += t.completionTokens[i] as number;
      reasoning[bin]! += t.reasoningTokens[i] as number;
      if (t.throttled[i]) limited[bin]! += 1;
    }
    outputTokensPerSec[s.target] = tokens.map((t) => round((t * 1000) / binMs));
    reasoningTokensPerSec[s.target] = reasoning.map((t) => round((t * 1000) / binMs));
    throttled[s.target] = limited;
  }
  return { binMs, startsMs: Array.from({ length: bins }, (_, i) => i * binMs), outputTokensPerSec, reasoningTokensPerSec, throttled };
}

/** Rounds a step up to 1, 2 or 5 × 10^k so axis labels read well. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const scaled = raw / power;
  return (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10) * power;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
