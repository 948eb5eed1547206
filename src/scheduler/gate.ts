/**
 * The gate of one deployment: limiter mirrors (tokens, requests, optional 1 s sub-window), the
 * pause-until set by quota 429s, the budget multiplier β, the adaptive in-flight cap and the breaker.
 * It answers one question for dispatch — the earliest time this deployment can start a request of a
 * given cost — and learns from every outcome. It never sends anything itself.
 */
import type { Completion, DeploymentHandle, RateInfo } from '../types.ts';
import { Blind429, blindTuning, isBlind } from './blind-429.ts';
import { Breaker } from './breaker.ts';
import type { AdaptiveConcurrency } from './concurrency.ts';
import { serverUsage, startConcurrency } from './gate-sizing.ts';
import type { GateSnapshot, ResolvedSchedulerOptions } from './defaults.ts';
import { BudgetMultiplier } from './budget-multiplier.ts';
import { aimdTuning, gateJitterRatio, stormThreshold } from './defaults.ts';
import { FirstContact } from './first-contact.ts';
import { LimiterMirror } from './limiter-mirror.ts';
import type { UsageVerdict } from './limiter-mirror.ts';
import { Pause } from './pause.ts';
import type { BackoffState } from './retry.ts';
import { clampWait, decorrelatedBackoff, hintWaitMs } from './retry.ts';

/** What the gate remembers about one dispatched attempt. */
export interface DispatchTicket {
  /** @unit milliseconds (clock time) */
  readonly at: number;
  readonly cost: number;
  /** Mirror usage right after booking this request, to learn a budget from `remaining-*`. */
  readonly tokensUsed: number;
  readonly requestsUsed: number;
}

const INF = Number.POSITIVE_INFINITY;

export class Gate {
  readonly id: string;
  readonly handle: DeploymentHandle;
  readonly tokens: LimiterMirror;
  readonly requests: LimiterMirror;
  readonly breaker: Breaker;
  /** Requests of this deployment currently in flight. */
  inFlight = 0;
  /** The last 401/403/404 error, reported when a lane gives up on this deployment. */
  lastConfigError: unknown;
  /** The last failure of any kind, reported when the breaker grace expires. */
  lastError: unknown;
  #sub: LimiterMirror | undefined;
  /** Token pacing bucket (see SchedulerOptions.pacing); created once a token budget is known. */
  #pacer: LimiterMirror | undefined;
  readonly #options: ResolvedSchedulerOptions;
  #concurrency: AdaptiveConcurrency | undefined;
  readonly #first = new FirstContact();
  readonly #blind = new Blind429();
  /** The server speaks the OpenAI dialect (duration resets): per-minute token buckets. */
  #bucketServer = false;
  readonly #beta: BudgetMultiplier;
  #lastQuotaAt = -INF;
  readonly #pause = new Pause();
  #storm = false;
  #pauseBackoff: BackoffState | undefined;

  constructor(handle: DeploymentHandle, options: ResolvedSchedulerOptions, now: number) {
    this.id = handle.id;
    this.handle = handle;
    this.#options = options;
    const guardMs = options.expiryGuardMs;
    const depth = options.conservativeDepthMs;
    this.tokens = new LimiterMirror({ budget: handle.limits.tpm, windowMs: options.tokenWindowMs, guardMs, conservativeDepthMs: depth, windowDivisors: [6, 60] }, now);
    const requestBudget = handle.limits.rpm === undefined ? undefined : Math.max(1, Math.ceil(handle.limits.rpm / 6));
    this.requests = new LimiterMirror({ budget: requestBudget, windowMs: options.requestWindowMs, guardMs, conservativeDepthMs: depth, windowDivisors: [10] }, now);
    if (options.subWindow === 'on') this.#enableSubWindow(now);
    this.#ensurePacer(now);
    this.breaker = new Breaker(options.breakerWindowMs, options.random);
    this.#beta = new BudgetMultiplier(options.betaCooldownMs, now);
  }

  /** Budget multiplier for unseen usage, in [0.5, 1]. */
  get beta(): number {
    return this.#beta.current;
  }

  get pauseUntil(): number {
    return this.#pause.until;
  }

  get subWindowEnabled(): boolean {
    return this.#sub !== undefined;
  }

  /** In-flight cap: one request until the deployment first answers (a wrong key costs one request), then adaptive. */
  get cap(): number {
    if (!this.#first.answered) return 1;
    return this.#concurrency?.limit ?? aimdTuning.minStart;
  }

  /** False when the server can never admit `cost` (more than its whole token budget). */
  fits(cost: number): boolean {
    const budget = this.tokens.budget;
    return budget === undefined || cost <= budget;
  }

  /** Earliest time ≥ now this gate can start a request of `cost`; Infinity until a slot or probe frees. */
  earliestStart(now: number, cost: number): number {
    const available = this.breaker.availableAt(now);
    if (available === INF || this.inFlight >= this.cap) return INF;
    const beta = this.#beta.value(now, this.tokens.windowMs);
    let t = available > now ? available : now;
    const probeAt = this.#first.availableAt(now);
    if (probeAt > t) t = probeAt;
    if (this.#pause.until > t) t = this.#pause.until;
    const tokenAt = this.tokens.earliest(now, cost, beta);
    if (tokenAt > t) t = tokenAt;
    const requestAt = this.requests.earliest(now, 1, beta);
    if (requestAt > t) t = requestAt;
    if (this.#sub !== undefined) {
      const subAt = this.#sub.earliest(now, 1, beta);
      if (subAt > t) t = subAt;
    }
    if (this.#pacer !== undefined) {
      const paceAt = this.#pacer.earliest(now, cost, beta);
      if (paceAt > t) t = paceAt;
    }
    return t;
  }

  /** Smallest free share of any mirror's budget: the last tie-break between equally early members. */
  roomFraction(now: number): number {
    const beta = this.#beta.current;
    return Math.min(this.tokens.roomFraction(now, beta), this.requests.roomFraction(now, beta));
  }

  /** Books a request sent at `now`. */
  onDispatch(now: number, cost: number): DispatchTicket {
    if (this.#concurrency === undefined) this.#concurrency = this.#createConcurrency(now, cost);
    this.inFlight++;
    this.#concurrency.onDispatch(this.inFlight);
    this.breaker.onDispatch(now);
    this.tokens.record(now, cost);
    this.requests.record(now, 1);
    this.#sub?.record(now, 1);
    this.#pacer?.record(now, cost);
    return { at: now, cost, tokensUsed: this.tokens.used(now), requestsUsed: this.requests.used(now) };
  }

  onSuccess(now: number, ticket: DispatchTicket, completion: Completion): void {
    this.#settle(now, ticket, completion.rate);
    this.#pauseBackoff = undefined;
    this.#blind.onAnswer();
    if (this.breaker.onSuccess(now)) this.#concurrency?.reset(now);
    this.#concurrency?.onSuccess(now, now - ticket.at, completion.usage.completionTokens);
  }

  /** A request-level failure (400, content filter): the deployment itself is healthy. */
  onRequestFault(now: number, ticket: DispatchTicket, rate: RateInfo | undefined): void {
    this.#settle(now, ticket, rate);
    if (this.breaker.onSuccess(now)) this.#concurrency?.reset(now);
  }

  /** The server has sent an HTTP response at least once (before that: one request at a time). */
  get answered(): boolean {
    return this.#first.answered;
  }

  /**
   * A connection failure before the deployment ever answered: part of the bounded first-contact probe.
   * Returns true when the probe is over and the deployment is dead (opened like a configuration failure,
   * with `deadError` as the reason every remaining item reports).
   */
  onUnreachable(now: number, error: unknown, deadError: (attempts: number) => unknown): boolean {
    this.inFlight--;
    this.lastError = error;
    this.breaker.onNeutral();
    if (this.#first.onUnreachable(now) === 'retry') return false;
    this.lastConfigError = deadError(this.#first.failures);
    this.breaker.openForConfig(now);
    return true;
  }

  /** Capacity 429, 5xx, timeout, connection error: cut concurrency, feed the breaker. */
  onOverload(now: number, ticket: DispatchTicket, error: unknown, rate: RateInfo | undefined, timeoutLike: boolean): void {
    this.#settle(now, ticket, rate, !timeoutLike);
    this.lastError = error;
    this.#concurrency?.onOverload(now);
    this.breaker.onFailure(now, timeoutLike);
  }

  /** 401/403/404: the deployment cannot serve; open at once. */
  onConfigFailure(now: number, ticket: DispatchTicket, error: unknown): void {
    this.#settle(now, ticket, undefined);
    this.lastConfigError = error;
    this.lastError = error;
    this.breaker.openForConfig(now);
  }

  /** An attempt that ended without telling anything about health (aborted by us). */
  onNeutral(now: number, ticket: DispatchTicket): void {
    this.#settle(now, ticket, undefined, false);
    this.breaker.onNeutral();
  }

  /**
   * A quota 429: pause the whole deployment for the hinted wait (+0–10 % jitter), empty the mirrors,
   * cut β, and watch for a storm. Returns false when the hint is too long to wait (deployment unavailable).
   */
  onQuota(now: number, ticket: DispatchTicket, retryAfterMs: number | undefined, rate: RateInfo | undefined, random: () => number): boolean {
    const verdict = this.#settle(now, ticket, rate);
    this.breaker.onNeutral();
    if (isBlind(retryAfterMs, rate)) {
      // nothing to wait for: overload, not a quota window (blind-429.ts); mirrors and β stay as they are
      const signal = this.#blind.onReject(now, random);
      if (signal.newBurst) this.#concurrency?.onBlindReject(now, this.inFlight + 1, blindTuning.cut);
      this.#pause.extend(now, signal.until);
      return true;
    }
    let hint = hintWaitMs(retryAfterMs, rate);
    if (hint === undefined) {
      const step = decorrelatedBackoff(this.#pauseBackoff, this.#options.retry.baseDelayMs, this.#options.retry.maxDelayMs, random);
      this.#pauseBackoff = step.state;
      hint = step.delayMs;
    }
    const { waitMs, unavailable } = clampWait(hint);
    if (unavailable) {
      this.breaker.openForHint(now, waitMs);
      // a long wait (a `6m0s` reset) is a pause too: counted in pausedMs and visible in pauseUntil
      this.#pause.extend(now, now + waitMs);
      return false;
    }
    const until = now + waitMs * (1 + random() * gateJitterRatio);
    this.#pause.extend(now, until);
    this.tokens.exhaust(now);
    this.requests.exhaust(now);
    this.#sub?.exhaust(now);
    this.#lastQuotaAt = now;
    if (this.#maybeEnableSubWindow(now, ticket, rate)) return true;
    // Our own timing (skew, requests overtaking each other) explains this 429: the mirrors corrected
    // themselves, so neither β nor the storm guard should punish the budget for it.
    const explained = this.#explain429(now, ticket, rate);
    if (explained === 'skew' || (explained === 'unknown' && (verdict === 'skew' || verdict === 'consistent'))) return true;
    this.#beta.cut(now);
    if (this.#pause.countUnexplained() >= stormThreshold && !this.#storm) this.#enterStorm(now);
    return true;
  }

  snapshot(now: number): GateSnapshot {
    const mirror = (m: LimiterMirror) => ({ shape: m.shape, budget: m.budget, used: m.used(now), windowMs: m.windowMs, skewMs: m.skewMs });
    return { id: this.id, inFlight: this.inFlight, cap: this.cap, beta: this.#beta.current, pauseUntil: this.#pause.until, breaker: this.breaker.state, nextProbeAt: Math.max(this.breaker.availableAt(now), this.#first.availableAt(now)), answered: this.#first.answered, tokens: mirror(this.tokens), requests: mirror(this.requests) };
  }

  /** Bursts of hint-less 429s, each counted once (they cut the in-flight cap). */
  get blindBursts(): number {
    return this.#blind.signals;
  }

  /** Total paused time, counting only the part of the last pause that fell before `end`. @unit milliseconds */
  pausedMs(end: number): number {
    return this.#pause.pausedMs(end);
  }

  #settle(now: number, ticket: DispatchTicket, rate: RateInfo | undefined, answered = true): UsageVerdict {
    this.inFlight--;
    if (answered) this.#first.onAnswer();
    return rate === undefined ? 'unknown' : this.#learn(now, ticket, rate);
  }

  /** Learns from one response's rate headers; says whether the server counts usage we cannot explain. */
  #learn(now: number, ticket: DispatchTicket, rate: RateInfo): UsageVerdict {
    const hasTokenHeaders = (rate.limitTokens ?? -1) > 0 || (rate.remainingTokens ?? -1) >= 0;
    const hasRequestHeaders = (rate.limitRequests ?? -1) > 0 || (rate.remainingRequests ?? -1) >= 0;
    if (rate.resetFormat === 'duration' && !this.#bucketServer) this.#useBucketServer(now);
    this.tokens.observeLimit(rate.limitTokens);
    this.requests.observeLimit(rate.limitRequests);
    this.#pacer?.observeLimit(rate.limitTokens);
    this.#ensurePacer(now);
    this.tokens.observeRemaining(rate.remainingTokens, ticket.tokensUsed, ticket.at, now);
    this.requests.observeRemaining(rate.remainingRequests, ticket.requestsUsed, ticket.at, now);
    const verdicts: UsageVerdict[] = [serverUsage(this.tokens, rate.limitTokens, rate.remainingTokens, ticket.at, now), serverUsage(this.requests, rate.limitRequests, rate.remainingRequests, ticket.at, now)];
    if (this.#storm && now - this.#lastQuotaAt >= this.tokens.windowMs) this.#storm = false;
    if (!this.#storm && !this.#bucketServer) {
      // The first headers tell us the server keeps windows: use the sliding log and its full first window.
      if (hasTokenHeaders && this.tokens.shape === 'bucket') this.tokens.useSliding();
      if (hasRequestHeaders && this.requests.shape === 'bucket') this.requests.useSliding();
    }
    // The server counts no more than we sent: no unseen tenant right now, so β may climb back faster
    // than the design's +0.02 per clean window (at most +0.02 per tenth of a window).
    if (verdicts[0] === 'consistent') this.#beta.evidenceOfNoForeignUsage(now, this.tokens.windowMs);
    for (const worst of ['foreign', 'skew', 'consistent'] as const) if (verdicts.includes(worst)) return worst;
    return 'unknown';
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

  /** Storm guard (§5.4.7): the mirror is wrong; pace as a conservative bucket at 90 % until a clean window. */
  #enterStorm(now: number): void {
    this.#storm = true;
    this.tokens.useBucket(now, this.#options.conservativeDepthMs, 0.9);
    this.requests.useBucket(now, this.#options.conservativeDepthMs, 0.9);
  }

  /** Asks the mirror(s) the 429's headers blame whether our own timing explains it. */
  #explain429(now: number, ticket: DispatchTicket, rate: RateInfo | undefined): UsageVerdict {
    const tokensHit = rate?.remainingTokens === undefined || rate.remainingTokens < ticket.cost;
    const requestsHit = rate?.remainingRequests === undefined || rate.remainingRequests < 1;
    const verdicts: UsageVerdict[] = [];
    const beta = this.#beta.current;
    if (tokensHit) verdicts.push(this.tokens.learnFrom429(ticket.tokensUsed, ticket.at, now, beta));
    if (requestsHit) verdicts.push(this.requests.learnFrom429(ticket.requestsUsed, ticket.at, now, beta));
    return verdicts.includes('skew') ? 'skew' : verdicts.includes('foreign') ? 'foreign' : 'unknown';
  }

  /** A quota 429 while the server still reports requests and tokens left: a hidden per-second window. */
  #maybeEnableSubWindow(now: number, ticket: DispatchTicket, rate: RateInfo | undefined): boolean {
    if (this.#bucketServer) return false;
    if (this.#options.subWindow !== 'auto' || this.#sub !== undefined || rate === undefined) return false;
    const requestsLeft = rate.remainingRequests !== undefined && rate.remainingRequests >= 1;
    const tokensLeft = rate.remainingTokens === undefined || rate.remainingTokens < 0 || rate.remainingTokens >= ticket.cost;
    if (!requestsLeft || !tokensLeft) return false;
    this.#enableSubWindow(now);
    return this.#sub !== undefined;
  }

  #enableSubWindow(now: number): void {
    const budget = this.requests.budget;
    if (budget === undefined) return;
    this.#sub = new LimiterMirror(
      { budget: Math.max(1, Math.ceil(budget / 10)), windowMs: this.#options.requestWindowMs / 10, guardMs: this.#options.expiryGuardMs, conservativeDepthMs: 0 },
      now,
    );
  }

  #createConcurrency(now: number, cost: number): AdaptiveConcurrency {
    return startConcurrency(now, cost, { handle: this.handle, tokens: this.tokens, requests: this.requests, options: this.#options });
  }
}
