/**
 * Quality gates for a merged run. Each shard checked the thresholds against its own slice, which says
 * little about the whole; the merged run is checked again, against the thresholds its journal records,
 * exactly as an unsharded `eval` would have been.
 */
import type { ResolvedThresholds } from '../config/bench-config.ts';
import type { RunStartRecord } from '../types.ts';
import { evaluateThresholds, readSummary } from './thresholds.ts';

type PerTarget = Record<string, { accuracy?: number; p95LatencyMs?: number }>;

/**
 * Rebuilds the thresholds from the run-start record's flat form (`accuracy`, `maxErrorRate`,
 * `p95LatencyMs`, `<target>.accuracy`, `<target>.p95LatencyMs`). Target names may contain dots
 * (`gpt-4.1-mini`), so the metric is what follows the last dot.
 */
export function thresholdsFromJournal(flat: RunStartRecord['thresholds']): ResolvedThresholds {
  const perTarget: PerTarget = {};
  const global: { accuracy?: number; maxErrorRate?: number; p95LatencyMs?: number } = {};
  for (const [name, value] of Object.entries(flat ?? {})) {
    const dot = name.lastIndexOf('.');
    if (dot < 0) {
      if (name === 'accuracy' || name === 'maxErrorRate' || name === 'p95LatencyMs') global[name] = value;
      continue;
    }
    const metric = name.slice(dot + 1);
    if (metric !== 'accuracy' && metric !== 'p95LatencyMs') continue;
    const target = name.slice(0, dot);
    perTarget[target] = { ...perTarget[target], [metric]: value };
  }
  return { ...global, ...(Object.keys(perTarget).length ? { perTarget } : {}) };
}

/**
 * Checks the merged run's report.json against the recorded thresholds.
 * @returns one line per failed gate (empty when all pass or none are set)
 */
export async function mergedThresholdFailures(runDir: string, start: RunStartRecord): Promise<readonly string[]> {
  if (!start.thresholds || Object.keys(start.thresholds).length === 0) return [];
  const summary = await readSummary(runDir);
  if (!summary) return ['report.json was not written; thresholds could not be checked'];
  return evaluateThresholds(summary, thresholdsFromJournal(start.thresholds)).failures;
}
