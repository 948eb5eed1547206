/**
 * Circuit breaker per deployment (scheduler-design.md §5.8), modelled on cockatiel's SamplingBreaker.
 * Only non-quota outcomes count. Half-open admits exactly one real queued request (no synthetic ping,
 * no wasted quota); its success closes the breaker, its failure re-opens it with the next backoff step.
 */
import { breakerTuning } from './defaults.ts';
import type { BackoffState } from './retry.ts';
import { decorrelatedBackoff } from './retry.ts';

export type BreakerState = 'closed' | 'open' | 'half-open';
/** Why the breaker opened: a configuration failure (401/403/404), a failure rate, or a day-long hint. */
export type OpenReason = 'config' | 'rate' | 'hint';

const BUCKETS = 10;

export class Breaker {
  #state: BreakerState = 'closed';
  #reason: OpenReason | undefined;
  #openUntil = 0;
  #probeInFlight = false;
  #consecutive = 0;
  #backoff: BackoffState | undefined;
  #configStep = 0;
  readonly #bucketMs: number;
  readonly #random: () => number;
  readonly #ok = new Float64Array(BUCKETS);
  readonly #bad = new Float64Array(BUCKETS);
  readonly #bucketIndex = new Float64Array(BUCKETS).fill(-1);

  constructor(windowMs: number, random: () => number) {
    this.#bucketMs = Math.max(1, windowMs / BUCKETS);
    this.#random = random;
  }

  get state(): BreakerState {
    return this.#state;
  }

  /** Why it is open (or was last opened). */
  get reason(): OpenReason | undefined {
    return this.#reason;
  }

  /** Open for a configuration failure: the deployment cannot serve anything until a probe succeeds. */
  get configOpen(): boolean {
    return this.#state !== 'closed' && this.#reason === 'config';
  }

  /** When a request may next be sent: now when closed, the half-open time when open, never while probing. */
  availableAt(now: number): number {
    if (this.#state === 'closed') return now;
    if (this.#state === 'open') return Math.max(now, this.#openUntil);
    return this.#probeInFlight ? Number.POSITIVE_INFINITY : now;
  }

  /** A request was sent at `now`; when the open time has passed it becomes the half-open probe. */
  onDispatch(now: number): void {
    if (this.#state === 'open' && now >= this.#openUntil) this.#state = 'half-open';
    if (this.#state === 'half-open') this.#probeInFlight = true;
  }

  /** A request completed without a deployment failure. Returns true when this closed the breaker. */
  onSuccess(now: number): boolean {
    this.#sample(now, false);
    this.#consecutive = 0;
    if (this.#state === 'closed') return false;
    if (this.#state === 'half-open' || now >= this.#openUntil) {
      this.#state = 'closed';
      this.#reason = undefined;
      this.#probeInFlight = false;
      this.#backoff = undefined;
      this.#configStep = 0;
      return true;
    }
    return false; // a straggler from before the opening; stay open
  }

  /** A quota 429 or an aborted attempt: neither health nor failure, but it ends a probe. */
  onNeutral(): void {
    this.#probeInFlight = false;
  }

  /** An overload failure (capacity 429, 5xx, timeout, connection). */
  onFailure(now: number, timeoutLike: boolean): void {
    this.#sample(now, true);
    this.#consecutive = timeoutLike ? this.#consecutive + 1 : 0;
    if (this.#state === 'half-open') {
      this.#open(now, this.#reason ?? 'rate');
      return;
    }
    if (this.#state === 'open') return;
    if (this.#consecutive >= breakerTuning.consecutiveTimeouts || this.#rateTripped(now)) this.#open(now, 'rate');
  }

  /** 401/403/404: open at once, 60 s doubling to 15 min between probes. */
  openForConfig(now: number): void {
    this.#open(now, 'config');
  }

  /** A hint longer than the clamp: open until the server said to come back. */
  openForHint(now: number, waitMs: number): void {
    this.#state = 'open';
    this.#reason = 'hint';
    this.#probeInFlight = false;
    this.#openUntil = Math.max(this.#openUntil, now + waitMs);
  }

  #open(now: number, reason: OpenReason): void {
    this.#state = 'open';
    this.#reason = reason;
    this.#probeInFlight = false;
    let delay: number;
    if (reason === 'config') {
      delay = Math.min(breakerTuning.fatalOpenBaseMs * 2 ** this.#configStep, breakerTuning.fatalOpenMaxMs);
      this.#configStep++;
    } else {
      const next = decorrelatedBackoff(this.#backoff, breakerTuning.rateOpenBaseMs, breakerTuning.rateOpenMaxMs, this.#random);
      this.#backoff = next.state;
      delay = Math.max(breakerTuning.rateOpenBaseMs / 2, next.delayMs);
    }
    this.#openUntil = now + delay;
    this.#ok.fill(0);
    this.#bad.fill(0);
    this.#consecutive = 0;
  }

  #sample(now: number, failed: boolean): void {
    const index = Math.floor(now / this.#bucketMs);
    const slot = index % BUCKETS;
    if (this.#bucketIndex[slot] !== index) {
      this.#bucketIndex[slot] = index;
      this.#ok[slot] = 0;
      this.#bad[slot] = 0;
    }
    if (failed) this.#bad[slot] = (this.#bad[slot] as number) + 1;
    else this.#ok[slot] = (this.#ok[slot] as number) + 1;
  }

  #rateTripped(now: number): boolean {
    const current = Math.floor(now / this.#bucketMs);
    let ok = 0;
    let bad = 0;
    for (let i = 0; i < BUCKETS; i++) {
      if (current - (this.#bucketIndex[i] as number) >= BUCKETS) continue; // stale bucket
      ok += this.#ok[i] as number;
      bad += this.#bad[i] as number;
    }
    const total = ok + bad;
    return total >= breakerTuning.minSamples && bad / total >= breakerTuning.failureRatio;
  }
}
