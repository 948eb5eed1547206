/**
 * What `eval` prints besides the reports: the one JSON document of `--json` (everything a script needs
 * per target, from report.json) and the resume command in the form the user started the run with.
 */
import type { RunSummary } from '../report/summary-types.ts';

/**
 * The command that continues a run: `npm run <script> -- --resume DIR` when the run was started through
 * an npm script (npm sets npm_lifecycle_event), else `batchbench eval --resume DIR`.
 */
export function resumeCommand(env: Readonly<Record<string, string | undefined>>, runDir: string): string {
  const script = env.npm_lifecycle_event;
  if (script && /^[\w:.-]+$/.test(script)) return `npm run ${script} -- --resume ${quoteArg(runDir)}`;
  return `batchbench eval --resume ${quoteArg(runDir)}`;
}

export interface JsonOutputInput {
  readonly runDir: string;
  readonly reason: string;
  readonly ok: number;
  readonly failed: number;
  readonly blocked: Readonly<Record<string, readonly string[]>>;
  readonly thresholdFailures: readonly string[];
  readonly regression: { readonly baseline: string; readonly regressed: boolean } | null;
  readonly summary: RunSummary | null;
}

/** The `--json` document: one object, printed alone on stdout. */
export function jsonOutput(input: JsonOutputInput): unknown {
  const { summary } = input;
  return {
    runDir: input.runDir,
    reason: input.reason,
    ok: input.ok,
    failed: input.failed,
    blocked: input.blocked,
    thresholdFailures: input.thresholdFailures,
    regression: input.regression,
    totalCost: summary?.totalCost ?? null,
    judging: summary?.judging ? { attempts: summary.judging.attempts, tokens: summary.judging.tokens, cost: summary.judging.cost } : null,
    targets: (summary?.targets ?? []).map((t) => ({
      target: t.target,
      results: t.results,
      ok: t.ok,
      failed: t.failed,
      cached: t.cached,
      unscored: t.unscored ?? 0,
      truncated: t.truncated ?? 0,
      empty: t.empty ?? 0,
      accuracy: t.accuracy
        ? {
            rate: t.accuracy.rate,
            passed: t.accuracy.passed,
            scored: t.accuracy.scored,
            ci: t.accuracy.ci,
            cells: t.accuracy.cells ?? t.results,
            rateOverAllCells: t.accuracy.rateOverAllCells ?? null,
          }
        : null,
      latencyMs: { p50: t.latency.e2e?.percentiles.p50.value ?? null, p95: t.latency.e2e?.percentiles.p95.value ?? null },
      ttftMs: { p50: t.latency.ttft?.percentiles.p50.value ?? null, p95: t.latency.ttft?.percentiles.p95.value ?? null },
      tokens: t.tokens.total,
      cost: t.cost?.total ?? null,
      errorsByCategory: t.errorsByCategory,
    })),
  };
}

// --- internal ---

function quoteArg(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
