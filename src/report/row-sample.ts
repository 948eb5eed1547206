/**
 * A capped sample of (row, repeat) cells for the HTML row explorer. Rows where targets disagree or a
 * target failed are kept first, then rows every target answered wrongly, then the rest in row order, so memory stays bounded by the cap however
 * long the run. Eviction runs when the sample reaches twice the cap (amortised O(1) per result); a row
 * evicted early loses the targets that reported before its eviction, which is why interesting rows are
 * preferred: they are the ones a reader opens the explorer for.
 */
import type { ChatMessage, ResultRecord } from '../types.ts';
import { redactText } from '../internal/redact.ts';
import { pairKey, resultPassed, resultScore } from './metrics.ts';

/** @default 2000 cells (row × repeat) */
export const DEFAULT_SAMPLE_ROWS = 2000;
/** Longest text kept per field; the HTML view truncates further to its size budget. */
const MAX_TEXT_CHARS = 4000;

/** One target's answer to a sampled row. */
export interface SampledCell {
  readonly status: 'ok' | 'failed';
  readonly output: string;
  /** Length of the full output, when `output` was cut. */
  readonly outputChars: number;
  readonly passed: boolean | null;
  readonly score: number | null;
  readonly scores: Readonly<Record<string, number | null>>;
  readonly latencyMs: number | null;
  readonly ttftMs: number | null;
  readonly error: string | null;
  readonly cached: boolean;
  readonly attempts: number;
  readonly finishReason: string | null;
  /** Every scorer's verdict, with its reason (an LLM judge's rationale) or error. */
  readonly scoreDetails: readonly ScoreDetail[];
}

/** One scorer's result on one cell: value and pass are `null` when the scorer failed. */
export interface ScoreDetail {
  readonly scorer: string;
  readonly value: number | null;
  readonly passed: boolean | null;
  /** The scorer's reason (a judge's rationale) or its error message. */
  readonly note: string | null;
}

export interface SampledRow {
  readonly rowId: string;
  readonly rowIndex: number;
  readonly repeat: number;
  readonly prompt: string;
  /** Length of the full prompt, when `prompt` was cut. */
  readonly promptChars: number;
  readonly expected: string | null;
  readonly expectedChars: number;
  readonly description: string | null;
  /** The whole conversation, for chat rows. */
  readonly messages: readonly ChatMessage[] | null;
  readonly cells: Readonly<Record<string, SampledCell>>;
}

export interface RowSampler {
  add(record: ResultRecord): void;
  /** Kept rows in (row index, repeat) order. */
  rows(): SampledRow[];
}

export function createRowSampler(cap = DEFAULT_SAMPLE_ROWS): RowSampler {
  const kept = new Map<string, { row: SampledRow & { cells: Record<string, SampledCell> }; interest: number }>();

  function evict(): void {
    const ranked = [...kept.entries()].sort(([, x], [, y]) => y.interest - x.interest || byPosition(x.row, y.row));
    for (const [key] of ranked.slice(cap)) kept.delete(key);
  }

  return {
    add(record) {
      const key = pairKey(record);
      let entry = kept.get(key);
      if (!entry) {
        const row = {
          rowId: record.rowId,
          rowIndex: record.rowIndex,
          repeat: record.repeat,
          prompt: clip(record.prompt),
          promptChars: record.prompt.length,
          expected: record.expected === undefined ? null : clip(record.expected),
          expectedChars: record.expected?.length ?? 0,
          description: record.description ?? null,
          messages: record.messages?.map((m) => ({ role: m.role, content: clip(m.content) })) ?? null,
          cells: {},
        };
        entry = { row, interest: 0 };
        kept.set(key, entry);
      }
      entry.row.cells[record.target] = toCell(record);
      entry.interest = interest(entry.row.cells);
      if (kept.size >= cap * 2) evict();
    },
    rows() {
      if (kept.size > cap) evict();
      return [...kept.values()].map((e) => e.row).sort(byPosition);
    },
  };
}

// --- internal ---

function toCell(record: ResultRecord): SampledCell {
  if (record.status === 'failed') {
    return {
      status: 'failed',
      output: '',
      outputChars: 0,
      passed: null,
      score: null,
      scores: {},
      latencyMs: null,
      ttftMs: null,
      error: `${record.reason}: ${redactText(record.error.message, { keyLikeRuns: true })}`,
      cached: record.cached === true,
      attempts: record.attempts,
      finishReason: null,
      scoreDetails: [],
    };
  }
  const scores: Record<string, number | null> = {};
  for (const s of record.scores) scores[s.scorer] = s.status === 'ok' ? s.value : null;
  return {
    status: 'ok',
    output: clip(record.output),
    outputChars: record.output.length,
    passed: resultPassed(record),
    score: resultScore(record.scores),
    scores,
    latencyMs: record.timing.endMs,
    ttftMs: record.timing.firstTokenMs ?? null,
    error: null,
    cached: record.cached === true,
    attempts: record.attempts,
    finishReason: record.finishReason,
    scoreDetails: record.scores.map((e) =>
      e.status === 'ok'
        ? { scorer: e.scorer, value: e.value, passed: e.passed, note: e.reason === undefined ? null : clip(e.reason) }
        : { scorer: e.scorer, value: null, passed: null, note: clip(e.error) },
    ),
  };
}

/** 2: a target failed or targets disagree; 1: every verdict is a wrong answer (the "failed scoring" filter); 0: all pass. */
function interest(cells: Readonly<Record<string, SampledCell>>): number {
  const values = Object.values(cells);
  if (values.some((c) => c.status === 'failed')) return 2;
  const verdicts = new Set(values.map((c) => c.passed).filter((p) => p !== null));
  if (verdicts.size > 1) return 2;
  return verdicts.has(false) ? 1 : 0;
}

function byPosition(a: SampledRow, b: SampledRow): number {
  return a.rowIndex - b.rowIndex || a.repeat - b.repeat || (a.rowId < b.rowId ? -1 : a.rowId > b.rowId ? 1 : 0);
}

function clip(text: string): string {
  return text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text;
}
