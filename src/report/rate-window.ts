/**
 * Achieved TPM and RPM in Azure's units: the most tokens and requests finished within any 60 s window,
 * and the mean rate over the whole span. Events are (end time, tokens) pairs.
 */
import type { RateSummary } from './summary-types.ts';

const WINDOW_MS = 60_000;

export interface RateEvent {
  /** Epoch ms at which the request finished. */
  readonly atMs: number;
  readonly tokens: number;
}

/** Peak and mean per-minute rates; `null` when there are no events. */
export function rateSummary(events: readonly RateEvent[], spanMs: number): RateSummary | null {
  return rateSummaryOf(
    events.map((e) => e.atMs),
    events.map((e) => e.tokens),
    spanMs,
  );
}

/**
 * `rateSummary` over columns: event i finished at `atMs[i]` with `tokens[i]` tokens (the summary fold
 * keeps events as typed-array columns, not objects).
 */
export function rateSummaryOf(atMs: ArrayLike<number>, tokens: ArrayLike<number>, spanMs: number): RateSummary | null {
  const n = atMs.length;
  if (n === 0) return null;
  // Stable order by end time (ties keep arrival order), as sorting the event objects did.
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => (atMs[a] as number) - (atMs[b] as number) || a - b);
  let start = 0;
  let windowTokens = 0;
  let tpmPeak = 0;
  let rpmPeak = 0;
  let totalTokens = 0;
  for (let end = 0; end < n; end++) {
    const at = atMs[order[end]!] as number;
    const eventTokens = tokens[order[end]!] as number;
    windowTokens += eventTokens;
    totalTokens += eventTokens;
    // Half-open window (t − 60 s, t], as Azure's sliding limiter counts.
    while ((atMs[order[start]!] as number) <= at - WINDOW_MS) windowTokens -= tokens[order[start++]!] as number;
    tpmPeak = Math.max(tpmPeak, windowTokens);
    rpmPeak = Math.max(rpmPeak, end - start + 1);
  }
  // A 10 s run of 100 requests achieved 100 requests in its busiest minute, not 600 per minute.
  const minutes = Math.max(spanMs, WINDOW_MS) / WINDOW_MS;
  return { tpmPeak, tpmMean: totalTokens / minutes, rpmPeak, rpmMean: n / minutes };
}
