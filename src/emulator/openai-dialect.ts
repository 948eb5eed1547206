/**
 * The `openai` endpoint dialect: rate limits as OpenAI's platform states them, unlike Azure's sliding
 * windows. Two token buckets per deployment (tokens per minute, requests per minute) that start full
 * (an initial burst of a whole minute's budget) and refill continuously; the charge is the JSON of the
 * messages / input in chars ÷ charsPerToken + the completion limit (so a client estimating from the
 * message text alone is low); headers are per minute with resets as Go-style durations (`6m0s`, `1s`,
 * `20ms`); a 429 carries `retry-after` in whole seconds only (no `retry-after-ms`) and OpenAI's body.
 */

/** A bucket of `capacity` that refills at capacity per `periodMs`, continuously, starting full. */
export class RefillBucket {
  #level: number | undefined;
  #last = 0;

  /** The level at `now` (refilled, never above capacity). */
  level(now: number, capacity: number, periodMs: number): number {
    if (this.#level === undefined) {
      this.#level = capacity;
      this.#last = now;
    }
    if (now > this.#last) {
      this.#level = Math.min(capacity, this.#level + ((now - this.#last) * capacity) / periodMs);
      this.#last = now;
    }
    return Math.min(this.#level, capacity);
  }

  take(amount: number): void {
    this.#level = (this.#level ?? 0) - amount;
  }

  clear(): void {
    this.#level = undefined;
    this.#last = 0;
  }
}

export interface OpenAiDecision {
  admitted: boolean;
  reason: 'tokens' | 'requests';
  /** Exact wait until both buckets hold enough. @unit milliseconds */
  waitMs: number;
  remainingTokens: number;
  remainingRequests: number;
  /** Time until each bucket is full again. @unit milliseconds */
  resetTokensMs: number;
  resetRequestsMs: number;
  /** What the limiting bucket had used of its capacity when the request was refused. */
  used: number;
}

export class OpenAiLimiter {
  readonly tokens = new RefillBucket();
  readonly requests = new RefillBucket();

  decide(now: number, cost: number, limits: { tpm: number; rpm: number; periodMs: number }): OpenAiDecision {
    const { tpm, rpm, periodMs } = limits;
    const tokenLevel = this.tokens.level(now, tpm, periodMs);
    const requestLevel = this.requests.level(now, rpm, periodMs);
    const tokenWait = cost > tpm ? periodMs : cost > tokenLevel ? ((cost - tokenLevel) * periodMs) / tpm : 0;
    const requestWait = requestLevel < 1 ? ((1 - requestLevel) * periodMs) / rpm : 0;
    const admitted = tokenWait === 0 && requestWait === 0;
    if (admitted) {
      this.tokens.take(cost);
      this.requests.take(1);
    }
    const t = admitted ? tokenLevel - cost : tokenLevel;
    const r = admitted ? requestLevel - 1 : requestLevel;
    const reason = tokenWait >= requestWait ? 'tokens' : 'requests';
    return {
      admitted,
      reason,
      waitMs: Math.max(tokenWait, requestWait),
      remainingTokens: Math.max(0, Math.floor(t)),
      remainingRequests: Math.max(0, Math.floor(r)),
      resetTokensMs: ((tpm - t) * periodMs) / tpm,
      resetRequestsMs: ((rpm - r) * periodMs) / rpm,
      used: reason === 'tokens' ? Math.ceil(tpm - tokenLevel) : Math.ceil(rpm - requestLevel),
    };
  }

  clear(): void {
    this.tokens.clear();
    this.requests.clear();
  }
}

/** Go's time.Duration.String() at millisecond resolution (rounded up): `20ms`, `1s`, `1.5s`, `6m0s`, `1h0m0s`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms));
  if (total === 0) return '0s';
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = `${(total % 60_000) / 1000}`; // up to 3 decimals, no trailing zeros
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

export function openAiRateHeaders(d: OpenAiDecision, limits: { tpm: number; rpm: number }): Record<string, string> {
  const h: Record<string, string> = {
    'x-ratelimit-limit-requests': String(Math.floor(limits.rpm)),
    'x-ratelimit-limit-tokens': String(Math.floor(limits.tpm)),
    'x-ratelimit-remaining-requests': String(d.remainingRequests),
    'x-ratelimit-remaining-tokens': String(d.remainingTokens),
    'x-ratelimit-reset-requests': formatDuration(d.resetRequestsMs),
    'x-ratelimit-reset-tokens': formatDuration(d.resetTokensMs),
  };
  if (!d.admitted) h['retry-after'] = String(Math.max(1, Math.ceil(d.waitMs / 1000)));
  return h;
}

/** OpenAI's 429 body (`rate_limit_exceeded`, type = the limiter). */
export function openAiQuotaBody(d: OpenAiDecision, model: string, limits: { tpm: number; rpm: number }, cost: number): unknown {
  const tokens = d.reason === 'tokens';
  const what = tokens ? 'tokens per min (TPM)' : 'requests per min (RPM)';
  const message = `Rate limit reached for ${model} in organization org-emulator on ${what}: Limit ${Math.floor(tokens ? limits.tpm : limits.rpm)}, Used ${d.used}, Requested ${tokens ? cost : 1}. Please try again in ${formatDuration(d.waitMs)}. Visit https://platform.openai.com/account/rate-limits to learn more.`;
  return { error: { message, type: d.reason, param: null, code: 'rate_limit_exceeded' } };
}

/** The charge basis: the JSON of the messages (chat) or of the input plus instructions (Responses), in chars. */
export function chargedChars(body: unknown, api: 'chat' | 'responses'): number {
  const b = (body ?? {}) as { messages?: unknown; input?: unknown; instructions?: unknown };
  if (api === 'chat') return JSON.stringify(b.messages ?? []).length;
  return JSON.stringify(b.input ?? '').length + (typeof b.instructions === 'string' ? b.instructions.length : 0);
}
