/**
 * Standard-SKU admission (§12.3, §12.4): the arrival-time estimate, sliding token and request windows over
 * one shared log, the exact wait τ on rejection, and the x-ratelimit-* headers.
 *
 * The log is a growable ring of (time, cost). Each window keeps the absolute index of its first entry and a
 * running cost sum, so a decision is O(entries that expired since the last call), not O(log length).
 */

export interface WindowSpec {
  ms: number;
  /** Max admitted requests in the window; undefined for the token window. */
  limit: number;
}

export interface LimiterSettings {
  tokenWindowMs: number;
  /** Effective TPM (TPM × effectiveLimitFactor), evaluated per decision. */
  tokenLimit: number;
  requestWindows: WindowSpec[];
  countRejected: boolean;
}

export type Decision =
  | { admitted: true; remainingTokens: number; remainingRequests: number; resetTokensMs: number; resetRequestsMs: number }
  | {
      admitted: false;
      reason: 'tokens' | 'requests';
      /** Exact wait in ms. */
      waitMs: number;
      /** The cost alone exceeds the token limit: Azure can never admit it. */
      neverFits: boolean;
      remainingTokens: number;
      remainingRequests: number;
      resetTokensMs: number;
      resetRequestsMs: number;
    };

/** Float slack so a retry exactly `waitMs` later is admitted despite rounding of epoch timestamps. */
const EPS = 1e-6;

export class SlidingWindowLimiter {
  #times = new Float64Array(1024);
  #costs = new Float64Array(1024);
  #head = 0; // absolute index of the oldest retained entry
  #tail = 0; // absolute index of the next write
  // window 0 = tokens, 1.. = request windows
  #starts: number[] = [0];
  #sums: number[] = [0];

  /** Decides at time `now` for a request of `cost` tokens; admits (logs) it when it fits. */
  decide(now: number, cost: number, s: LimiterSettings): Decision {
    this.#ensureWindows(s.requestWindows.length + 1);
    this.#advance(0, now - s.tokenWindowMs);
    for (let k = 0; k < s.requestWindows.length; k++) this.#advance(k + 1, now - (s.requestWindows[k]?.ms ?? 0));
    this.#compact(s.requestWindows.length + 1);

    let reason: 'tokens' | 'requests' | undefined;
    let waitMs = 0;
    let neverFits = false;
    for (let k = 0; k < s.requestWindows.length; k++) {
      const w = s.requestWindows[k] as WindowSpec;
      const start = this.#starts[k + 1] as number;
      const count = this.#tail - start;
      if (count + 1 > w.limit) {
        // the (count + 1 − limit)-th oldest entry must leave the window
        const idx = start + (count + 1 - w.limit) - 1;
        const tau = this.#timeAt(idx) + w.ms - now;
        if (reason === undefined || tau > waitMs) {
          reason = 'requests';
          waitMs = tau;
        }
      }
    }
    const tokenSum = this.#sums[0] as number;
    if (cost > s.tokenLimit) {
      reason = 'tokens';
      waitMs = Math.max(waitMs, s.tokenWindowMs);
      neverFits = true;
    } else if (tokenSum + cost > s.tokenLimit) {
      let freed = 0;
      let idx = this.#starts[0] as number;
      while (idx < this.#tail && tokenSum - freed + cost > s.tokenLimit) freed += this.#costAt(idx++);
      const tau = this.#timeAt(idx - 1) + s.tokenWindowMs - now;
      if (reason === undefined || tau > waitMs) {
        reason = 'tokens';
        waitMs = tau;
      }
    }
    if (reason === undefined || s.countRejected) this.#push(now, cost);
    const status = this.#status(now, s);
    if (reason === undefined) return { admitted: true, ...status };
    return { admitted: false, reason, waitMs: Math.max(0, waitMs), neverFits, ...status };
  }

  /** Tokens admitted in the current token window (after pruning at `now`). */
  tokensInWindow(now: number, tokenWindowMs: number): number {
    this.#advance(0, now - tokenWindowMs);
    return this.#sums[0] as number;
  }

  clear(): void {
    this.#head = this.#tail = 0;
    this.#starts = this.#starts.map(() => 0);
    this.#sums = this.#sums.map(() => 0);
  }

  #status(now: number, s: LimiterSettings) {
    const tokenStart = this.#starts[0] as number;
    const primary = s.requestWindows[0];
    const reqStart = (this.#starts[1] ?? this.#tail) as number;
    const count = this.#tail - reqStart;
    return {
      remainingTokens: Math.max(0, Math.floor(s.tokenLimit - (this.#sums[0] as number))),
      remainingRequests: primary ? Math.max(0, primary.limit - count) : 0,
      resetTokensMs: tokenStart < this.#tail ? Math.max(0, this.#timeAt(tokenStart) + s.tokenWindowMs - now) : 0,
      resetRequestsMs: primary && reqStart < this.#tail ? Math.max(0, this.#timeAt(reqStart) + primary.ms - now) : 0,
    };
  }

  #ensureWindows(n: number): void {
    while (this.#starts.length < n) {
      // a newly added window starts empty-ish at the head; it prunes itself on the next advance
      this.#starts.push(this.#head);
      let sum = 0;
      for (let i = this.#head; i < this.#tail; i++) sum += this.#costAt(i);
      this.#sums.push(sum);
    }
  }

  #advance(k: number, cutoff: number): void {
    let start = this.#starts[k] as number;
    let sum = this.#sums[k] as number;
    if (start < this.#head) {
      start = this.#head;
      sum = 0;
      for (let i = start; i < this.#tail; i++) sum += this.#costAt(i);
    }
    while (start < this.#tail && this.#timeAt(start) <= cutoff + EPS) sum -= this.#costAt(start++);
    this.#starts[k] = start;
    this.#sums[k] = start === this.#tail ? 0 : sum; // resync to avoid float drift when empty
  }

  /** Only windows still configured hold entries back, so removing a window (PATCH) frees its memory. */
  #compact(windows: number): void {
    let min = this.#tail;
    for (let k = 0; k < windows; k++) min = Math.min(min, this.#starts[k] as number);
    this.#head = min;
  }

  #push(t: number, cost: number): void {
    const cap = this.#times.length;
    if (this.#tail - this.#head >= cap) {
      const times = new Float64Array(cap * 2);
      const costs = new Float64Array(cap * 2);
      for (let i = this.#head; i < this.#tail; i++) {
        times[i % (cap * 2)] = this.#timeAt(i);
        costs[i % (cap * 2)] = this.#costAt(i);
      }
      this.#times = times;
      this.#costs = costs;
    }
    const slot = this.#tail % this.#times.length;
    this.#times[slot] = t;
    this.#costs[slot] = cost;
    this.#tail++;
    for (let k = 0; k < this.#sums.length; k++) this.#sums[k] = (this.#sums[k] as number) + cost;
  }

  #timeAt(i: number): number {
    return this.#times[i % this.#times.length] as number;
  }

  #costAt(i: number): number {
    return this.#costs[i % this.#costs.length] as number;
  }
}

export interface EstimateInput {
  promptChars: number;
  limit: number | undefined;
  n: number;
  bestOf: number;
}

/** §12.3: ceil(chars / charsPerToken) + completion × max(n, best_of); legacy gpt-35 mode: max_tokens ?? 16. */
export function estimateCost(input: EstimateInput, charsPerToken: number, reservation: number, legacyGpt35 = false): number {
  if (legacyGpt35) return input.limit ?? 16;
  const completion = input.limit ?? reservation;
  return Math.ceil(input.promptChars / charsPerToken) + completion * Math.max(input.n, input.bestOf, 1);
}

/** Whole seconds for headers, rounded up (Azure reports integer seconds). */
export const toSeconds = (ms: number): number => Math.max(0, Math.ceil(ms / 1000));
