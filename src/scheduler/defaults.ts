/**
 * Every tunable of the quota-aware scheduler and the simple runner, with its default, in one place.
 * Starting values come from scheduler-design.md §5.11; the benchmark compresses the window lengths.
 */
import type { Clock } from '../internal/clock.ts';

/** Retry budget for non-quota failures (quota 429s never consume it). */
export interface RetryOptions {
  /** Attempts per item, counting only non-quota failures. */
  readonly maxAttempts: number;
  /** First step of the decorrelated backoff used when the server gives no hint. @unit milliseconds */
  readonly baseDelayMs: number;
  /** Cap of that backoff. @unit milliseconds */
  readonly maxDelayMs: number;
}

export interface SchedulerOptions {
  readonly clock?: Clock;
  /** Uniform [0, 1) source for every jitter; inject a seeded one for reproducible runs. */
  readonly random?: () => number;
  readonly retry?: Partial<RetryOptions>;
  /** Global in-flight cap shared by all lanes (memory and sockets). */
  readonly maxInFlight?: number;
  /** Run deadline measured from `run()`; retryable items still pending then fail with reason 'deadline'. @unit milliseconds */
  readonly deadlineMs?: number;
  /** Length of the server's token window (Azure: 60 s sliding). @unit milliseconds */
  readonly tokenWindowMs?: number;
  /** Length of the server's request window (Azure: RPM/6 per 10 s). @unit milliseconds */
  readonly requestWindowMs?: number;
  /** Added to sliding windows: the server stamps at arrival, we at send. @unit milliseconds */
  readonly expiryGuardMs?: number;
  /** How long a lane whose every deployment is open keeps its items before dead-lettering them. @unit milliseconds */
  readonly unavailableAfterMs?: number;
  /** Depth of the conservative bucket used before the first rate headers arrive. @unit milliseconds */
  readonly conservativeDepthMs?: number;
  /** 1 s request sub-window (RPM/60): 'auto' enables it when a quota 429 arrives with requests remaining. */
  readonly subWindow?: 'auto' | 'on' | 'off';
  /** Upper bound on the adaptive in-flight cap of one deployment. */
  readonly maxPerDeployment?: number;
  /** Fixed per-deployment cap instead of AIMD (still bounded by the deployment's maxConcurrency). */
  readonly fixedConcurrency?: number;
  /** Sampling window of the failure-rate breaker. @unit milliseconds */
  readonly breakerWindowMs?: number;
  /** Minimum spacing of β cuts; β is the budget multiplier for unseen usage. @unit milliseconds */
  readonly betaCooldownMs?: number;
  /** Prior latency used for the starting in-flight cap (Little's law). @unit milliseconds */
  readonly priorLatencyMs?: number;
  /** Minimum length of an AIMD update window. @unit milliseconds */
  readonly aimdWindowMs?: number;
  /**
   * Token pacing on top of the mirrors: at most `burstShare` of the window budget at once, then at most
   * `rateMultiple` × the budget's average rate. A sliding window replays its first window's pattern for
   * the whole run, so an unpaced burst keeps coming back; spreading it costs nothing in steady state and
   * keeps send stamps close to the server's. `false` turns it off.
   */
  readonly pacing?: { readonly rateMultiple: number; readonly burstShare: number } | false;
  /** Items behind a waiting head that dispatch may send first when they fit now (lane-dispatch.ts); 0 = strict FIFO. */
  readonly backfillDepth?: number;
  /** Learn the server's charge per request from `remaining-tokens` and scale the token budget (charge-ratio.ts). */
  readonly chargeLearning?: boolean;
  /** Periodic view of every gate (progress displays, tuning); called from dispatch, at most once per `everyMs`. */
  readonly diagnostics?: { readonly everyMs: number; readonly onSnapshot: (gates: readonly GateSnapshot[]) => void };
}

/** What one deployment's gate looks like at a moment. */
export interface GateSnapshot {
  readonly id: string;
  readonly inFlight: number;
  readonly cap: number;
  readonly beta: number;
  /** @unit milliseconds (clock time) */
  readonly pauseUntil: number;
  readonly breaker: 'closed' | 'open' | 'half-open';
  /** When the next request may go out as far as health is concerned (breaker probe, first-contact probe). @unit milliseconds (clock time) */
  readonly nextProbeAt: number;
  /** The deployment has answered at least once (before that: one request in flight, a bounded probe). */
  readonly answered: boolean;
  /** Learned server charge ÷ client estimate (1 until learned; charge-ratio.ts). */
  readonly chargeRatio?: number;
  readonly tokens: MirrorSnapshot;
  readonly requests: MirrorSnapshot;
}

export interface MirrorSnapshot {
  readonly shape: 'sliding' | 'bucket';
  readonly budget: number | undefined;
  readonly used: number;
  /** @unit milliseconds */
  readonly windowMs: number;
  /** @unit milliseconds */
  readonly skewMs: number;
}

export interface ResolvedSchedulerOptions {
  readonly clock: Clock;
  readonly random: () => number;
  readonly retry: RetryOptions;
  readonly maxInFlight: number;
  readonly deadlineMs: number;
  readonly tokenWindowMs: number;
  readonly requestWindowMs: number;
  readonly expiryGuardMs: number;
  readonly unavailableAfterMs: number;
  readonly conservativeDepthMs: number;
  readonly subWindow: 'auto' | 'on' | 'off';
  readonly maxPerDeployment: number;
  readonly fixedConcurrency: number | undefined;
  readonly breakerWindowMs: number;
  readonly betaCooldownMs: number;
  readonly priorLatencyMs: number;
  readonly aimdWindowMs: number;
  readonly diagnostics: SchedulerOptions['diagnostics'];
  readonly pacing: { readonly rateMultiple: number; readonly burstShare: number } | false;
  readonly chargeLearning: boolean;
  readonly backfillDepth: number;
}

export const retryDefaults: RetryOptions = { maxAttempts: 6, baseDelayMs: 1_000, maxDelayMs: 60_000 };

/** Wait hints are clamped to this range; a longer hint makes the deployment unavailable. @unit milliseconds */
export const hintClampMs = { min: 50, max: 120_000 } as const;

/**
 * Spread added to a gate's reopening time, for other processes sharing the quota: up to 10 % of the
 * hint, at most 1 s. A second is plenty to de-synchronise processes, and 10 % of a 47 s hint (a full
 * 60 s window) reopened the deployment up to 4.7 s after the server had room: 8 % of a window lost.
 */
export const gateJitterRatio = 0.1;
/** @unit milliseconds */
export const gateJitterMaxMs = 1_000;

/** β: budget multiplier for unseen usage on a shared quota. */
export const betaTuning = { cut: 0.9, floor: 0.5, recoveryPerWindow: 0.02 } as const;

/** Breaker thresholds (§5.8). */
export const breakerTuning = {
  minSamples: 10,
  failureRatio: 0.5,
  consecutiveTimeouts: 5,
  /** Rate-based opening: decorrelated backoff for halfOpenAfter. @unit milliseconds */
  rateOpenBaseMs: 5_000,
  rateOpenMaxMs: 30_000,
  /** Configuration failures (401/403/404): 60 s doubling to 15 min. @unit milliseconds */
  fatalOpenBaseMs: 60_000,
  fatalOpenMaxMs: 900_000,
} as const;

/** AIMD constants (§5.5). */
export const aimdTuning = {
  ceilingProbeWindows: 8,
  cut: 0.9,
  minSamples: 10,
  minLimit: 1,
  minStart: 4,
  maxBurstStart: 16,
  brakeRatio: 1.5,
  longEwma: 2 / 601,
  shortEwma: 0.1,
} as const;

/** A storm: this many quota 429s from one deployment inside one pause episode (§5.4.7). */
export const stormThreshold = 3;

export const schedulerDefaults = {
  maxInFlight: 1024,
  deadlineMs: Number.POSITIVE_INFINITY,
  tokenWindowMs: 60_000,
  requestWindowMs: 10_000,
  expiryGuardMs: 250,
  unavailableAfterMs: 15 * 60_000,
  conservativeDepthMs: 2_000,
  subWindow: 'auto',
  maxPerDeployment: 256,
  breakerWindowMs: 30_000,
  betaCooldownMs: 2_000,
  priorLatencyMs: 5_000,
  aimdWindowMs: 1_000,
  pacing: { rateMultiple: 4, burstShare: 0.1 },
  chargeLearning: true,
  backfillDepth: 16,
} as const;

/** Fills every option with its default. */
export function resolveSchedulerOptions(options: SchedulerOptions, fallbackClock: Clock): ResolvedSchedulerOptions {
  return {
    clock: options.clock ?? fallbackClock,
    random: options.random ?? Math.random,
    retry: { ...retryDefaults, ...options.retry },
    maxInFlight: options.maxInFlight ?? schedulerDefaults.maxInFlight,
    deadlineMs: options.deadlineMs ?? schedulerDefaults.deadlineMs,
    tokenWindowMs: options.tokenWindowMs ?? schedulerDefaults.tokenWindowMs,
    requestWindowMs: options.requestWindowMs ?? schedulerDefaults.requestWindowMs,
    expiryGuardMs: options.expiryGuardMs ?? schedulerDefaults.expiryGuardMs,
    unavailableAfterMs: options.unavailableAfterMs ?? schedulerDefaults.unavailableAfterMs,
    conservativeDepthMs: options.conservativeDepthMs ?? schedulerDefaults.conservativeDepthMs,
    subWindow: options.subWindow ?? schedulerDefaults.subWindow,
    maxPerDeployment: options.maxPerDeployment ?? schedulerDefaults.maxPerDeployment,
    fixedConcurrency: options.fixedConcurrency,
    breakerWindowMs: options.breakerWindowMs ?? schedulerDefaults.breakerWindowMs,
    betaCooldownMs: options.betaCooldownMs ?? schedulerDefaults.betaCooldownMs,
    priorLatencyMs: options.priorLatencyMs ?? schedulerDefaults.priorLatencyMs,
    aimdWindowMs: options.aimdWindowMs ?? schedulerDefaults.aimdWindowMs,
    diagnostics: options.diagnostics,
    pacing: options.pacing ?? schedulerDefaults.pacing,
    chargeLearning: options.chargeLearning ?? schedulerDefaults.chargeLearning,
    backfillDepth: options.backfillDepth ?? schedulerDefaults.backfillDepth,
  };
}
