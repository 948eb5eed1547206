/**
 * Quality gates: the configured thresholds checked against the run's summary (report.json, the same
 * numbers every report shows). Each failure names the target, the metric, the limit and the value.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResolvedThresholds } from '../config/bench-config.ts';
import type { RunSummary, TargetSummary } from '../report/summary-types.ts';

export interface GateResult {
  readonly failures: readonly string[];
}

export async function readSummary(runDir: string): Promise<RunSummary | undefined> {
  try {
    return JSON.parse(await readFile(join(runDir, 'report.json'), 'utf8')) as RunSummary;
  } catch {
    return undefined;
  }
}

/**
 * @param stopped targets that could not be completed (a wrong key, a missing deployment): their gates
 * without data are skipped — the run already fails (exit 3) with the cause, and "accuracy n/a" lines
 * would only bury it. Gates of every other target still fail without data.
 */
export function evaluateThresholds(
  summary: RunSummary,
  thresholds: ResolvedThresholds,
  stopped: ReadonlySet<string> | ReadonlyMap<string, unknown> = new Set(),
): GateResult {
  const failures: string[] = [];
  for (const target of summary.targets) {
    const own = thresholds.perTarget?.[target.target];
    const accuracy = own?.accuracy ?? thresholds.accuracy;
    const p95 = own?.p95LatencyMs ?? thresholds.p95LatencyMs;
    const noDataIsFine = stopped.has(target.target);
    if (accuracy !== undefined) {
      const rate = target.accuracy?.rate;
      if ((rate === undefined && !noDataIsFine) || (rate !== undefined && rate < accuracy))
        failures.push(`${target.target}: accuracy ${pct(rate)} is below the threshold ${pct(accuracy)}`);
    }
    if (p95 !== undefined) {
      const value = target.latency.e2e?.percentiles.p95.value;
      if ((value === undefined && !noDataIsFine) || (value !== undefined && value > p95))
        failures.push(`${target.target}: p95 latency ${ms(value)} is above the threshold ${ms(p95)}`);
    }
    if (thresholds.maxErrorRate !== undefined) {
      const rate = errorRate(target);
      if (rate > thresholds.maxErrorRate)
        failures.push(`${target.target}: error rate ${pct(rate)} is above the threshold ${pct(thresholds.maxErrorRate)}`);
    }
  }
  return { failures };
}

function errorRate(target: TargetSummary): number {
  return target.results === 0 ? 0 : target.failed / target.results;
}

const pct = (value: number | undefined) => (value === undefined ? 'n/a' : `${(value * 100).toFixed(1)}%`);
const ms = (value: number | undefined) => (value === undefined ? 'n/a' : `${Math.round(value)} ms`);
