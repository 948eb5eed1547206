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
  if (events.length === 0) return null;
  const sorted = [...events].sort((a, b) => a.atMs - b.atMs);
  let start = 0;
  let windowTokens = 0;
  let tpmPeak = 0;
  let rpmPeak = 0;
  let totalTokens = 0;
  for (let end = 0; end < sorted.length; end++) {
    const event = sorted[end]!;
    windowTokens += event.tokens;
    totalTokens += event.tokens;
    // Half-open window (t − 60 s, t], as Azure's sliding limiter counts.
    while (sorted[start]!.atMs <= event.atMs - WINDOW_MS) windowTokens -= sorted[start++]!.tokens;
    tpmPeak = Math.max(tpmPeak, windowTokens);
    rpmPeak = Math.max(rpmPeak, end - start + 1);
  }
  // A 10 s run of 100 requests achieved 100 requests in its busiest minute, not 600 per minute.
  const minutes = Math.max(spanMs, WINDOW_MS) / WINDOW_MS;
  return { tpmPeak, tpmMean: totalTokens / minutes, rpmPeak, rpmMean: sorted.length / minutes };
}
