/**
 * Pure helpers of the gate: the starting in-flight cap of a deployment, and the comparison of a
 * limiter's server-side count with the mirror. Kept apart so gate.ts stays about the dispatch question.
 */
import type { DeploymentHandle } from '../types.ts';
import { AdaptiveConcurrency } from './concurrency.ts';
import type { ResolvedSchedulerOptions } from './defaults.ts';
import { aimdTuning } from './defaults.ts';
import type { LimiterMirror, UsageVerdict } from './limiter-mirror.ts';

const INF = Number.POSITIVE_INFINITY;

/**
 * c₀ = clamp(max(⌈r × L̂ × 1.5⌉, min(first-window burst, 16)), 4, max): Little's law on the mirrors'
 * request rate and a prior latency, but at least part of what the first window admits at once, because
 * a sliding window rewards sending its first budget early (the bound counts it at t = 0). Capped: a
 * burst of hundreds of requests overloads the client and the server more than it gains.
 */
export function startConcurrency(
  now: number,
  cost: number,
  gate: {
    readonly handle: DeploymentHandle;
    readonly tokens: LimiterMirror;
    readonly requests: LimiterMirror;
    readonly options: ResolvedSchedulerOptions;
  },
): AdaptiveConcurrency {
  const options = gate.options;
  const max = Math.max(1, Math.min(gate.handle.maxConcurrency, options.maxPerDeployment));
  let ratePerMs = INF;
  let burst = INF;
  const tokenBudget = gate.tokens.budget;
  const requestBudget = gate.requests.budget;
  if (tokenBudget !== undefined) {
    ratePerMs = Math.min(ratePerMs, tokenBudget / Math.max(1, cost) / gate.tokens.windowMs);
    burst = Math.min(burst, tokenBudget / Math.max(1, cost));
  }
  if (requestBudget !== undefined) {
    ratePerMs = Math.min(ratePerMs, requestBudget / gate.requests.windowMs);
    burst = Math.min(burst, requestBudget);
  }
  const littles = ratePerMs === INF ? 0 : Math.ceil(ratePerMs * options.priorLatencyMs * 1.5);
  const start = Math.max(aimdTuning.minStart, littles, burst === INF ? 0 : Math.min(Math.ceil(burst), aimdTuning.maxBurstStart));
  const fixed = options.fixedConcurrency;
  return new AdaptiveConcurrency({ start, max, minWindowMs: options.aimdWindowMs, ...(fixed === undefined ? {} : { fixed }) }, now);
}

/**
 * Compares one limiter's server count (limit − remaining) with the mirror, when the headers allow;
 * `scale` converts server units into the mirror's (1 ÷ the learned charge ratio).
 */
export function serverUsage(
  mirror: LimiterMirror,
  limit: number | undefined,
  remaining: number | undefined,
  sentAt: number,
  now: number,
  scale = 1,
): UsageVerdict {
  const budget = limit !== undefined && limit > 0 ? limit : mirror.budget;
  if (budget === undefined || remaining === undefined || remaining < 0) return 'unknown';
  return mirror.observeServerUsage((budget - remaining) * scale, sentAt, now);
}
