/**
 * Latency model (§10.2–10.4): log-normal overhead, prefill, reasoning tokens decoded before the first
 * visible token, per-request decode speed, slowdown past a concurrency knee and a heavy tail. All draws
 * come from the request's seeded RNG, so a run is reproducible.
 */
import type { Random } from '../internal/rng.ts';
import { logNormal, normal } from '../internal/rng.ts';
import type { ModelProfile, ReasoningEffort } from './profiles.ts';
import { reasoningEffortFactor } from './profiles.ts';

export interface LatencyInputs {
  profile: ModelProfile;
  promptTokens: number;
  reasoningTokens: number;
  inFlight: number;
  knee: number;
  alpha: number;
  heavyTail: boolean;
  /** false = no random draws (medians and means). */
  jitter: boolean;
  /** Busy-period multiplier (fault). */
  busy: number;
  /** Global latencyScale; 0 = no waiting at all. */
  scale: number;
}

export interface LatencyPlan {
  /** From admission to the first visible token (includes hidden reasoning). */
  firstTokenMs: number;
  /** Time per generated token after the first. */
  perTokenMs: number;
  /** The part of firstTokenMs spent on hidden reasoning (when reasoning summaries stream). */
  reasoningMs: number;
}

export function drawReasoningTokens(profile: ModelProfile, effort: ReasoningEffort | undefined, random: Random): number {
  if (!profile.reasoning || profile.reasoningTokensMedian <= 0) return 0;
  const factor = reasoningEffortFactor[effort ?? 'medium'] ?? 1;
  if (factor === 0) return 0;
  return Math.max(1, Math.round(logNormal(random, profile.reasoningTokensMedian * factor, 0.5)));
}

export function planLatency(x: LatencyInputs, random: Random): LatencyPlan {
  if (x.scale === 0) return { firstTokenMs: 0, perTokenMs: 0, reasoningMs: 0 };
  const l = x.profile.latency;
  let overhead = x.jitter ? logNormal(random, l.overheadMedianMs, l.overheadSigma) : l.overheadMedianMs;
  // Heavy tail: 1.5 % of requests get a 3–10× overhead multiplier (p99 TTFT ≈ 3–5 × p50).
  if (x.jitter && x.heavyTail && random() < 0.015) overhead *= 3 + random() * 7;
  const decode = x.jitter ? Math.max(5, l.decodeTokPerSecMean + l.decodeTokPerSecSd * normal(random)) : l.decodeTokPerSecMean;
  const slowdown = 1 + (x.alpha * Math.max(0, x.inFlight - x.knee)) / x.knee;
  const perTokenMs = (1000 / decode) * slowdown;
  const prefillMs = (x.promptTokens / l.prefillTokPerSec) * 1000;
  const firstTokenMs = overhead + prefillMs + x.reasoningTokens * perTokenMs;
  const k = x.busy * x.scale;
  return { firstTokenMs: firstTokenMs * k, perTokenMs: perTokenMs * k, reasoningMs: x.reasoningTokens * perTokenMs * k };
}
