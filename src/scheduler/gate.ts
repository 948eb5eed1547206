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
import type { Booking } from './gate-mirrors.ts';
import { GateMirrors } from './gate-mirrors.ts';
import { startConcurrency } from './gate-sizing.ts';
import type { GateSnapshot, ResolvedSchedulerOptions } from './defaults.ts';
import { BudgetMultiplier } from './budget-multiplier.ts';
import { aimdTuning, gateJitterMaxMs, gateJitterRatio, stormThreshold } from './defaults.ts';
import { FirstContact } from './first-contact.ts';
import type { LimiterMirror, UsageVerdict } from './limiter-mirror.ts';
import { Pause } from './pause.ts';
import type { BackoffState } from './retry.ts';
import { clampWait, decorrelatedBackoff, hintWaitMs } from './retry.ts';

/** What the gate remembers about one dispatched attempt. */
export interface DispatchTicket extends Booking {
  /** @unit milliseconds (clock time) */
  readonly at: number;
  readonly cost: number;
}

const INF = Number.POSITIVE_INFINITY;

export class Gate {
  readonly id: string;
  readonly handle: DeploymentHandle;
  readonly mirrors: GateMirrors;
  readonly breaker: Breaker;
  /** Requests of this deployment currently in flight. */
  inFlight = 0;
  /** The last 401/403/404 error, reported when a lane gives up on this deployment. */
  lastConfigError: unknown;
  /** The last failure of any kind, reported when the breaker grace expires. */
  lastError: unknown;
  readonly #options: ResolvedSchedulerOptions;
  #concurrency: AdaptiveConcurrency | undefined;
  readonly #first = new FirstContact();
  readonly #blind = new Blind429();
  /** A successful answer carried rate headers: a quota governs this deployment (concurrency.ts). */
  #rateHeadersSeen = false;
  readonly #beta: BudgetMultiplier;
  readonly #pause = new Pause();
  #pauseBackoff: BackoffState | undefined;

  constructor(handle: DeploymentHandle, options: ResolvedSchedulerOptions, now: number) {
    this.id = handle.id;
    this.handle = handle;
    this.#options = options;
    this.mirrors = new GateMirrors(handle.limits, options, now);
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

  get tokens(): LimiterMirror {
    return this.mirrors.tokens;
  }

  get requests(): LimiterMirror {
    return this.mirrors.requests;
  }

  get subWindowEnabled(): boolean {
    return this.mirrors.subWindowEnabled;
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
    // biome-ignore lint/complexity/useMathMinMax: a NaN `available` must yield `now` (Math.max would give NaN)
    let t = available > now ? available : now;
    const probeAt = this.#first.availableAt(now);
    if (probeAt > t) t = probeAt;
    if (this.#pause.until > t) t = this.#pause.until;
    return this.mirrors.earliest(now, t, cost, beta);
  }

  /** Smallest free share of any mirror's budget: the last tie-break between equally early members. */
  roomFraction(now: number): number {
    return this.mirrors.roomFraction(now, this.#beta.current);
  }

  /** Books a request sent at `now`. */
  onDispatch(now: number, cost: number): DispatchTicket {
    if (this.#concurrency === undefined) this.#concurrency = this.#createConcurrency(now, cost);
    this.inFlight++;
    this.#concurrency.onDispatch(this.inFlight);
    this.breaker.onDispatch(now);
    return { at: now, cost, ...this.mirrors.record(now, cost) };
  }

  onSuccess(now: number, ticket: DispatchTicket, completion: Completion): void {
    this.#settle(now, ticket, completion.rate);
    this.#pauseBackoff = undefined;
    this.#blind.onAnswer();
    if (this.breaker.onSuccess(now)) this.#concurrency?.reset(now);
    // checked until the first rate header: after that nothing on this path looks at headers again
    if (!this.#rateHeadersSeen && !isBlind(undefined, completion.rate)) {
      this.#rateHeadersSeen = true;
      this.#concurrency?.quotaGoverned();
    }
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

  /** True once per gate, at first contact, when the handle can ask its model list (DeploymentHandle.checkListed). */
  takeListCheck(): boolean {
    return this.handle.checkListed !== undefined && this.#first.takeListCheck();
  }

  /** The model list named the deployment: URL, credentials and deployment work, so first contact's one-request cap lifts. */
  onListed(): void {
    this.#first.onAnswer();
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

  /**
   * Capacity 429, 5xx, timeout, connection error: cut concurrency, feed the breaker. A capacity 429 is
   * refused before admission (`refused`): like a quota 429 the server never charged it.
   */
  onOverload(now: number, ticket: DispatchTicket, error: unknown, rate: RateInfo | undefined, timeoutLike: boolean, refused = false): void {
    if (refused) this.mirrors.onRejected(ticket, now);
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
   * A quota 429: pause the whole deployment for the hinted wait (+ up to 10 % jitter, at most 1 s), empty
   * the mirrors, and, unless our timing or a booked tenant explains it, cut β and watch for a storm.
   * Returns false when the hint is too long to wait (deployment unavailable).
   */
  onQuota(
    now: number,
    ticket: DispatchTicket,
    retryAfterMs: number | undefined,
    rate: RateInfo | undefined,
    random: () => number,
  ): boolean {
    // refunded first: the 429's own headers count nothing of it, so neither must what they are compared with
    this.mirrors.onRejected(ticket, now);
    const verdict = this.#settle(now, ticket, rate);
    this.breaker.onNeutral();
    if (isBlind(retryAfterMs, rate)) {
      // nothing to wait for: overload, not a quota window (blind-429.ts); mirrors and β stay as they are
      const signal = this.#blind.onReject(now, random);
      this.#concurrency?.onBlindReject(now, this.inFlight + 1, blindTuning.cut, signal.newBurst);
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
    const until = now + waitMs + random() * Math.min(waitMs * gateJitterRatio, gateJitterMaxMs);
    this.#pause.extend(now, until);
    this.mirrors.exhaust(now);
    if (this.mirrors.maybeEnableSubWindow(now, ticket, rate)) return true;
    // Our own timing (skew, requests overtaking each other) explains this 429: the mirrors corrected
    // themselves, so neither β nor the storm guard should punish the budget for it.
    const explained = this.mirrors.explain429(now, ticket, rate, this.#beta.current);
    if (explained === 'skew' || (explained === 'unknown' && (verdict === 'skew' || verdict === 'consistent'))) return true;
    // The 429's headers showed our late arrivals (a burst that reached the server after we stamped it)
    // and raised the skew; checked against that raised skew the burst counts as alive at the send and
    // the 429 looks foreign. With no tenant booked the server sees nobody but us: β would only throw a
    // tenth of the next window away (S3's mini, no tenant: 110k of 115k after one such 429 at a window
    // turn, a window past its bound). While a tenant or an over-charge is booked, β still answers it.
    if (verdict === 'skew' && this.tokens.foreignUsed(now) === 0) return true;
    // This 429's own headers showed usage nobody of ours explains, and the foreign ledger booked it:
    // the mirror now holds what the server holds, so cutting β as well would count the tenant twice.
    if (verdict === 'foreign') return true;
    this.#beta.cut(now);
    if (this.#pause.countUnexplained() >= stormThreshold) this.mirrors.enterStorm(now);
    return true;
  }

  snapshot(now: number): GateSnapshot {
    const mirror = (m: LimiterMirror) => ({ shape: m.shape, budget: m.budget, used: m.used(now), windowMs: m.windowMs, skewMs: m.skewMs });
    return {
      id: this.id,
      inFlight: this.inFlight,
      cap: this.cap,
      beta: this.#beta.current,
      pauseUntil: this.#pause.until,
      breaker: this.breaker.state,
      nextProbeAt: Math.max(this.breaker.availableAt(now), this.#first.availableAt(now)),
      answered: this.#first.answered,
      chargeRatio: this.mirrors.chargeRatio,
      tokens: mirror(this.tokens),
      requests: mirror(this.requests),
    };
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
    const { verdict, tokens } = this.mirrors.learn(now, ticket, rate);
    // The server counts no more than we sent: no unseen tenant right now, so β may climb back faster
    // than the design's +0.02 per clean window (at most +0.02 per tenth of a window).
    if (tokens === 'consistent') this.#beta.evidenceOfNoForeignUsage(now, this.tokens.windowMs);
    return verdict;
  }

  #createConcurrency(now: number, cost: number): AdaptiveConcurrency {
    return startConcurrency(now, cost, { handle: this.handle, tokens: this.tokens, requests: this.requests, options: this.#options });
  }
}
