/**
 * The limiter mirrors of one deployment and what the rate headers teach them: tokens, requests, the
 * optional 1 s request sub-window, the token pacer, the OpenAI-dialect switch (per-minute buckets) and
 * the storm fallback. Answers "when do the mirrors admit a request of this cost" and explains quota
 * 429s; the gate owns everything else (pause, β, concurrency, breaker, first contact).
 */
import type { RateInfo } from '../types.ts';
import type { ResolvedSchedulerOptions } from './defaults.ts';
import { serverUsage } from './gate-sizing.ts';
import { ChargeRatio } from './charge-ratio.ts';
import { LimiterMirror } from './limiter-mirror.ts';
import type { UsageVerdict } from './limiter-mirror.ts';

/** Mirror usage right after booking one request: what its response's `remaining-*` is compared with. */
export interface Booking {
  readonly tokensUsed: number;
  /** Our own part of `tokensUsed` (without the foreign ledger): what charge learning compares. */
  readonly ownTokensUsed: number;
  readonly requestsUsed: number;
  /** Our estimates booked so far, this request included (orders requests for charge learning). */
  readonly cum: number;
  /** Send time of the oldest entry in our token window right after booking. @unit milliseconds */
  readonly oldestAt: number;
}

/** What the mirrors need to know about the request a response or a 429 answers. */
export interface BookedRequest extends Booking {
  /** @unit milliseconds (clock time) */
  readonly at: number;
  readonly cost: number;
}

export class GateMirrors {
  readonly tokens: LimiterMirror;
  readonly requests: LimiterMirror;
  #sub: LimiterMirror | undefined;
  /** Token pacing bucket (see SchedulerOptions.pacing); created once a token budget is known. */
  #pacer: LimiterMirror | undefined;
  /** The server speaks the OpenAI dialect (duration resets): per-minute token buckets. */
  #bucketServer = false;
  #storm = false;
  #lastQuotaAt = Number.NEGATIVE_INFINITY;
  readonly #options: ResolvedSchedulerOptions;
  /** Server charge ÷ our estimate; token budgets are divided by it (charge-ratio.ts). */
  readonly #charge = new ChargeRatio();
  #cum = 0;

  constructor(limits: { readonly tpm?: number; readonly rpm?: number }, options: ResolvedSchedulerOptions, now: number) {
    this.#options = options;
    const guardMs = options.expiryGuardMs;
    const depth = options.conservativeDepthMs;
    this.tokens = new LimiterMirror(
      { budget: limits.tpm, windowMs: options.tokenWindowMs, guardMs, conservativeDepthMs: depth, windowDivisors: [6, 60] },
      now,
    );
    const requestBudget = limits.rpm === undefined ? undefined : Math.max(1, Math.ceil(limits.rpm / 6));
    this.requests = new LimiterMirror(
      { budget: requestBudget, windowMs: options.requestWindowMs, guardMs, conservativeDepthMs: depth, windowDivisors: [10] },
      now,
    );
    if (options.subWindow === 'on') this.#enableSubWindow(now);
    this.#ensurePacer(now);
  }

  /** The learned server charge per unit of our estimate (1 until learned). */
  get chargeRatio(): number {
    return this.#charge.value;
  }

  get subWindowEnabled(): boolean {
    return this.#sub !== undefined;
  }

  /** In storm mode (§5.4.7) 429s are expected while the fallback bucket settles. */
  get storm(): boolean {
    return this.#storm;
  }

  /** Earliest time ≥ `t` at which every mirror admits a request of `cost`, budgets scaled by `beta`. */
  earliest(now: number, t: number, cost: number, beta: number): number {
    const tokenBeta = beta / this.#charge.value;
    const tokenAt = this.tokens.earliest(now, cost, tokenBeta);
    if (tokenAt > t) t = tokenAt;
    const requestAt = this.requests.earliest(now, 1, beta);
    if (requestAt > t) t = requestAt;
    if (this.#sub !== undefined) {
      const subAt = this.#sub.earliest(now, 1, beta);
      if (subAt > t) t = subAt;
    }
    if (this.#pacer !== undefined) {
      const paceAt = this.#pacer.earliest(now, cost, tokenBeta);
      if (paceAt > t) t = paceAt;
    }
    return t;
  }

  /** Smallest free share of the token and request budgets. */
  roomFraction(now: number, beta: number): number {
    return Math.min(this.tokens.roomFraction(now, beta / this.#charge.value), this.requests.roomFraction(now, beta));
  }

  /** Books a request sent at `now`. */
  record(now: number, cost: number): Booking {
    const scale = 1 / this.#charge.value;
    this.tokens.record(now, cost, scale);
    this.requests.record(now, 1);
    this.#sub?.record(now, 1);
    this.#pacer?.record(now, cost, scale);
    this.#cum += cost;
    return {
      tokensUsed: this.tokens.used(now),
      ownTokensUsed: this.tokens.ownUsed(now),
      requestsUsed: this.requests.used(now),
      cum: this.#cum,
      oldestAt: this.tokens.oldestAt(now),
    };
  }

  /** A quota 429 says there is no room now. */
  exhaust(now: number): void {
    this.tokens.exhaust(now);
    this.requests.exhaust(now);
    this.#sub?.exhaust(now);
    this.#lastQuotaAt = now;
  }

  /** `booked` was refused with a 429 (quota, or capacity before admission): never charged, so our windows and charge learning drop it. */
  onRejected(booked: BookedRequest, now: number): void {
    this.#charge.onRejected(booked.cum, booked.cost);
    this.tokens.refund(booked.at, booked.cost, now);
    this.requests.refund(booked.at, 1, now);
    this.#sub?.refund(booked.at, 1, now);
    this.tokens.noteRefusal(booked.at, now);
    this.requests.noteRefusal(booked.at, now);
    this.#sub?.noteRefusal(booked.at, now);
  }

  /**
   * Learns from one response's rate headers. `verdict`: whether the server counts usage we cannot
   * explain (the worst over the limiters); `tokens`: the token limiter's own verdict.
   */
  learn(now: number, booked: BookedRequest, rate: RateInfo): { readonly verdict: UsageVerdict; readonly tokens: UsageVerdict } {
    const hasTokenHeaders = (rate.limitTokens ?? -1) > 0 || (rate.remainingTokens ?? -1) >= 0;
    const hasRequestHeaders = (rate.limitRequests ?? -1) > 0 || (rate.remainingRequests ?? -1) >= 0;
    if (rate.resetFormat === 'duration' && !this.#bucketServer) this.#useBucketServer(now);
    this.tokens.observeLimit(rate.limitTokens);
    this.requests.observeLimit(rate.limitRequests);
    this.#pacer?.observeLimit(rate.limitTokens);
    this.#ensurePacer(now);
    this.#learnCharge(booked, rate.remainingTokens);
    const scale = 1 / this.#charge.value;
    this.tokens.observeRemaining(rate.remainingTokens, booked.tokensUsed, booked.at, now, scale);
    this.requests.observeRemaining(rate.remainingRequests, booked.requestsUsed, booked.at, now);
    const tokenVerdict = serverUsage(this.tokens, rate.limitTokens, rate.remainingTokens, booked.at, now, scale);
    const verdicts: UsageVerdict[] = [tokenVerdict, serverUsage(this.requests, rate.limitRequests, rate.remainingRequests, booked.at, now)];
    if (this.#storm && now - this.#lastQuotaAt >= this.tokens.windowMs) this.#storm = false;
    if (!this.#storm && !this.#bucketServer) {
      // The first headers tell us the server keeps windows: use the sliding log and its full first window.
      if (hasTokenHeaders && this.tokens.shape === 'bucket') this.tokens.useSliding();
      if (hasRequestHeaders && this.requests.shape === 'bucket') this.requests.useSliding();
    }
    const tokens = verdicts[0] as UsageVerdict;
    for (const worst of ['foreign', 'skew', 'consistent'] as const) if (verdicts.includes(worst)) return { verdict: worst, tokens };
    return { verdict: 'unknown', tokens };
  }

  /** Asks the mirror(s) the 429's headers blame whether our own timing explains it. */
  explain429(now: number, booked: BookedRequest, rate: RateInfo | undefined, beta: number): UsageVerdict {
    const tokensHit = rate?.remainingTokens === undefined || rate.remainingTokens < booked.cost;
    const requestsHit = rate?.remainingRequests === undefined || rate.remainingRequests < 1;
    const verdicts: UsageVerdict[] = [];
    if (tokensHit) verdicts.push(this.tokens.learnFrom429(booked.tokensUsed, booked.at, now, beta / this.#charge.value));
    if (requestsHit) verdicts.push(this.requests.learnFrom429(booked.requestsUsed, booked.at, now, beta));
    return verdicts.includes('skew') ? 'skew' : verdicts.includes('foreign') ? 'foreign' : 'unknown';
  }

  /** Feeds the charge learner one response's `remaining-tokens` (server units → a point of charge-ratio.ts). */
  #learnCharge(booked: BookedRequest, remaining: number | undefined): void {
    const budget = this.tokens.budget;
    if (!this.#options.chargeLearning || budget === undefined || remaining === undefined || !Number.isFinite(remaining) || remaining < 0)
      return;
    const windowMs = this.tokens.windowMs;
    const limiter = this.#bucketServer
      ? { shape: 'bucket' as const, budget, refillPerMs: budget / windowMs, windowMs }
      : { shape: 'sliding' as const, budget, refillPerMs: 0, windowMs };
    this.#charge.observe(
      { cum: booked.cum, used: booked.ownTokensUsed, at: booked.at, oldestAt: booked.oldestAt, serverUsed: budget - remaining },
      limiter,
    );
  }

  /** A quota 429 while the server still reports requests and tokens left: a hidden per-second window. */
  maybeEnableSubWindow(now: number, booked: BookedRequest, rate: RateInfo | undefined): boolean {
    if (this.#bucketServer) return false;
    if (this.#options.subWindow !== 'auto' || this.#sub !== undefined || rate === undefined) return false;
    const requestsLeft = rate.remainingRequests !== undefined && rate.remainingRequests >= 1;
    const tokensLeft = rate.remainingTokens === undefined || rate.remainingTokens < 0 || rate.remainingTokens >= booked.cost;
    if (!requestsLeft || !tokensLeft) return false;
    this.#enableSubWindow(now);
    return this.#sub !== undefined;
  }

  /** Storm guard (§5.4.7): the mirror is wrong; pace as a conservative bucket at 90 % until a clean window. */
  enterStorm(now: number): void {
    if (this.#storm) return;
    this.#storm = true;
    this.tokens.useBucket(now, this.#options.conservativeDepthMs, 0.9);
    this.requests.useBucket(now, this.#options.conservativeDepthMs, 0.9);
  }

  /**
   * Reset headers written as durations (`6m0s`, `1s`, `20ms`) are the OpenAI dialect: its limits are per
   * minute (not Azure's requests per 10 s) and enforced as token buckets that start full. Mirror them as
   * such, and drop the pacer and the 1 s sub-window, which exist for Azure's sliding windows.
   */
  #useBucketServer(now: number): void {
    this.#bucketServer = true;
    this.tokens.useServerBucket(now, 60_000);
    this.requests.useServerBucket(now, 60_000);
    this.#pacer = undefined;
    this.#sub = undefined;
  }

  #ensurePacer(now: number): void {
    const pacing = this.#options.pacing;
    if (this.#bucketServer) return;
    const budget = this.tokens.budget;
    if (pacing === false || this.#pacer !== undefined || budget === undefined) return;
    const windowMs = this.tokens.windowMs;
    // depth = burstShare × budget when refilling at rateMultiple × budget / window
    const depthMs = (pacing.burstShare * windowMs) / pacing.rateMultiple;
    this.#pacer = new LimiterMirror({ budget, windowMs, guardMs: 0, conservativeDepthMs: depthMs, windowDivisors: [6, 60] }, now);
    this.#pacer.useBucket(now, depthMs, pacing.rateMultiple);
    this.#pacer.refill(now);
  }

  #enableSubWindow(now: number): void {
    const budget = this.requests.budget;
    if (budget === undefined) return;
    this.#sub = new LimiterMirror(
      {
        budget: Math.max(1, Math.ceil(budget / 10)),
        windowMs: this.#options.requestWindowMs / 10,
        guardMs: this.#options.expiryGuardMs,
        conservativeDepthMs: 0,
      },
      now,
    );
  }
}
