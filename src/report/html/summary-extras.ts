/**
 * Run-level facts report.html adds to its header: the pass rule, the run's total cost (judging
 * included) and the summary's warnings, shown first. Each appears only when the summary carries it
 * (older report.json files do not). The per-target figures (unscored, cut off, time split, pauses,
 * judging) come from the shared tables in view-tables.ts.
 */
import { formatUsd } from '../format.ts';
import type { RunSummary } from '../summary-types.ts';

export interface RunFacts {
  readonly pass: string | null;
  readonly totalCost: string | null;
  readonly warnings: readonly string[];
}

export function runFacts(summary: RunSummary): RunFacts {
  const pass = summary.pass;
  const total = summary.totalCost;
  const judging = summary.judging?.cost;
  return {
    pass:
      pass === undefined
        ? null
        : `pass rule: ${pass === 'all' ? 'every scorer passes' : pass === 'any' ? 'any scorer passes' : `scorer ${pass} passes`}`,
    totalCost:
      total === undefined || total === null ? null : `total cost ${formatUsd(total)}${judging ? ` (judging ${formatUsd(judging)})` : ''}`,
    warnings: summary.warnings ?? [],
  };
}
