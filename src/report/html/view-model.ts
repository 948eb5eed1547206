/**
 * The data embedded in report.html: preformatted tables (the same digits as the terminal and
 * summary.md), chart series and the row sample in a compact array form. Text fields share a size budget
 * so 2,000 rows × 3 targets stay well under 3 MB however long the outputs are.
 */
import type { BaselineSection } from '../baseline/baseline-tracker.ts';
import { baselineTable, describeLimits } from '../baseline/render-baseline.ts';
import { formatMs } from '../format.ts';
import type { SampledRow } from '../row-sample.ts';
import type { RunSummary } from '../summary-types.ts';
import { labelsTable, settingsTable } from './extra-tables.ts';
import type { ReportExtras } from './report-extras.ts';
import { runFacts } from './summary-extras.ts';
import {
  batchJobsTable,
  deploymentsTable,
  flexTierTable,
  errorsTable,
  judgingTable,
  latencyTable,
  overviewTable,
  pairwiseTable,
  qualityTable,
  throughputTable,
  tokensTable,
  turnaroundTable,
  type ViewTable,
} from '../view-tables.ts';

/** Characters of prompt/expected/output text the report may embed in total. */
const TEXT_BUDGET_CHARS = 1_800_000;
const MIN_FIELD_CHARS = 160;
const MAX_FIELD_CHARS = 4000;

/** [scorer, value, passed, note (reason, a judge's rationale, or error)] */
export type ViewScore = readonly [string, number | null, boolean | null, string | null];
/** [status, output, fullChars, passed, score, latencyMs, ttftMs, error, cached, attempts, finishReason, scores] */
export type ViewCell = readonly [
  string,
  string,
  number,
  boolean | null,
  number | null,
  number | null,
  number | null,
  string | null,
  boolean,
  number,
  string | null,
  readonly ViewScore[],
];
/** [role, content] */
export type ViewMessage = readonly [string, string];
/** [rowId, rowIndex, repeat, prompt, promptChars, expected, expectedChars, cells aligned with `targets`, description, conversation] */
export type ViewRow = readonly [
  string,
  number,
  number,
  string,
  number,
  string | null,
  number,
  readonly (ViewCell | null)[],
  string | null,
  readonly ViewMessage[] | null,
];

export interface ReportViewModel {
  readonly meta: {
    readonly runId: string | null;
    readonly dataset: string | null;
    readonly startedAt: string | null;
    readonly endedAt: string | null;
    readonly endReason: string | null;
    readonly emulator: boolean;
    readonly rows: number;
    readonly repeats: number;
    readonly targets: readonly string[];
    readonly scorers: readonly string[];
    readonly methods: RunSummary['methods'];
    /** One line on attempts, 429s and time paused, from the run-end record. */
    readonly scheduler: string | null;
    /** How scorer verdicts combine into pass/fail, when the summary says. */
    readonly pass: string | null;
    /** The run's whole cost, judging included, when the summary says. */
    readonly totalCost: string | null;
    /** Sentences a reader must see first (e.g. answers often cut off by the token limit). */
    readonly warnings: readonly string[];
  };
  readonly overview: ViewTable;
  /** How each target was asked: API, deployments, system prompt, sampling and token settings. */
  readonly settings: ViewTable;
  readonly details: readonly ViewTable[];
  readonly pairwise: readonly { readonly verdict: string; readonly sentence: string }[];
  readonly charts: RunSummary['series'] & {
    readonly pareto: readonly {
      readonly target: string;
      readonly accuracy: number | null;
      readonly p95Ms: number | null;
      readonly costPer1k: number | null;
    }[];
  };
  readonly rowSample: { readonly seen: number; readonly fieldChars: number; readonly items: readonly ViewRow[] };
  /** The "vs baseline" section; the key is absent (not null) without a comparison, so such reports are unchanged. */
  readonly baseline?: BaselineView;
}

export interface BaselineView {
  readonly label: string;
  readonly regressed: boolean;
  readonly verdict: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Regressions and notes (everything after the verdict). */
  readonly sentences: readonly string[];
  readonly limits: string;
}

export function buildViewModel(
  summary: RunSummary,
  rows: readonly SampledRow[],
  cellsSeen: number,
  baseline?: BaselineSection,
  extras?: ReportExtras,
): ReportViewModel {
  const targets = summary.targets.map((t) => t.target);
  // Every clipped text shares the budget: prompt, expected, each output, scorer note and chat message.
  let texts = 0;
  for (const r of rows) {
    texts += 2 + (r.messages?.length ?? 0);
    for (const c of Object.values(r.cells)) texts += 1 + c.scoreDetails.filter((d) => d.note !== null).length;
  }
  const fieldCount = Math.max(1, texts);
  const fieldChars = Math.max(MIN_FIELD_CHARS, Math.min(MAX_FIELD_CHARS, Math.floor(TEXT_BUDGET_CHARS / fieldCount)));
  const clip = (text: string) => (text.length > fieldChars ? text.slice(0, fieldChars) : text);
  return {
    meta: {
      runId: summary.runId,
      dataset: summary.dataset,
      startedAt: summary.startedAt,
      endedAt: summary.endedAt,
      endReason: summary.endReason,
      emulator: summary.emulator,
      rows: summary.rows,
      repeats: summary.repeats,
      targets,
      scorers: summary.scorers,
      methods: summary.methods,
      scheduler: summary.scheduler ? schedulerLine(summary.scheduler) : null,
      ...runFacts(summary),
    },
    overview: leadWith(overviewTable(summary), OVERVIEW_LEAD),
    settings: settingsTable(summary, extras?.targets ?? []),
    details: detailTables(summary, targets, extras),
    pairwise: summary.pairwise.map((p) => ({ verdict: p.accuracy?.verdict ?? p.score?.verdict ?? 'no-difference', sentence: p.sentence })),
    charts: {
      ...summary.series,
      pareto: summary.targets.map((t) => ({
        target: t.target,
        accuracy: t.accuracy?.rate ?? t.score?.mean ?? null,
        p95Ms: t.latency.e2e?.percentiles.p95.value ?? null,
        costPer1k: t.cost?.per1kRows ?? null,
      })),
    },
    rowSample: {
      seen: cellsSeen,
      fieldChars,
      items: rows.map(
        (r): ViewRow => [
          r.rowId,
          r.rowIndex,
          r.repeat,
          clip(r.prompt),
          r.promptChars,
          r.expected === null ? null : clip(r.expected),
          r.expectedChars,
          targets.map((t) => {
            const c = r.cells[t];
            if (!c) return null;
            const scores = c.scoreDetails.map((d): ViewScore => [d.scorer, d.value, d.passed, d.note === null ? null : clip(d.note)]);
            return [
              c.status,
              clip(c.output),
              c.outputChars,
              c.passed,
              c.score,
              c.latencyMs,
              c.ttftMs,
              c.error === null ? null : clip(c.error),
              c.cached,
              c.attempts,
              c.finishReason,
              scores,
            ];
          }),
          r.description,
          r.messages?.map((m): ViewMessage => [m.role, clip(m.content)]) ?? null,
        ],
      ),
    },
    ...(baseline ? { baseline: baselineView(baseline) } : {}),
  };
}

// --- internal ---

/** Overview columns shown first, so failures and unscored cells sit beside the accuracy they qualify. */
const OVERVIEW_LEAD = ['target', 'results', 'accuracyAll', 'accuracy', 'accuracyCi', 'errors', 'unscored', 'truncated'];

/** The same table with the named columns (those present) moved to the front, in that order. */
function leadWith(table: ViewTable, keys: readonly string[]): ViewTable {
  const first = keys.map((k) => table.columns.findIndex((c) => c.key === k)).filter((i) => i >= 0);
  const order = [...first, ...table.columns.map((_, i) => i).filter((i) => !first.includes(i))];
  return { ...table, columns: order.map((i) => table.columns[i]!), rows: table.rows.map((r) => order.map((i) => r[i]!)) };
}

function detailTables(summary: RunSummary, targets: readonly string[], extras: ReportExtras | undefined): ViewTable[] {
  return [
    qualityTable(summary),
    ...(extras?.labels ? [labelsTable(extras.labels, targets, extras.source)] : []),
    pairwiseTable(summary),
    latencyTable(summary),
    // Batch and Flex tables only when the run had such targets, so other reports stay byte for byte as they were.
    ...[turnaroundTable(summary), batchJobsTable(summary), flexTierTable(summary)].filter((t) => t.rows.length),
    throughputTable(summary),
    deploymentsTable(summary),
    tokensTable(summary),
    judgingTable(summary),
    errorsTable(summary),
  ];
}

function baselineView(section: BaselineSection): BaselineView {
  const comparison = section.comparison();
  const table = baselineTable(comparison);
  const [verdict = '', ...sentences] = comparison.sentences;
  return {
    label: section.label,
    regressed: comparison.regressed,
    verdict,
    columns: table.columns,
    rows: table.rows,
    sentences,
    limits: describeLimits(comparison),
  };
}

function schedulerLine(s: NonNullable<RunSummary['scheduler']>): string {
  return `${s.attempts} attempts for ${s.items} items · ${s.quota429} quota and ${s.capacity429} capacity 429s · deployments paused ${formatMs(s.pausedMs)} · peak ${s.peakInFlight} in flight`;
}
