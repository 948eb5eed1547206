/**
 * Adaptive in-flight cap of one deployment (scheduler-design.md §5.5): AIMD on *overload* signals only
 * (capacity 429, 5xx, timeouts) with Netflix's "half used" guard, windowed updates, slow start, and a
 * Gradient2-style latency brake on seconds per output token. Quota 429s never reach this class: they
 * are a rate problem the mirrors and the pause already handle.
 *
 * Until the server shows it is governed by a quota (rate headers: `quotaGoverned()`), growth is
 * ack-clocked, as in TCP: a raised cap opens its new slots one per successful completion, not all at
 * once, and slow start adds one slot per completion (the cap doubles per round trip). A window's
 * doubling would otherwise put all the new requests in flight in the same instant, and against a server
 * with a hard in-flight cap every one of them past the cap is refused before the first refusal can say
 * so (8 429s for one step from 8 to 16 against a cap of 8). Where rate headers govern, the rate mirrors
 * pace the sends, so slow start doubles once per update window and a raise opens at once.
 */
import { aimdTuning } from './defaults.ts';

export interface ConcurrencyInit {
  /** Starting cap (Little's law estimate, clamped by the caller). */
  readonly start: number;
  /** Hard ceiling (the deployment's maxConcurrency and the per-deployment maximum). */
  readonly max: number;
  /** Shortest update window. @unit milliseconds */
  readonly minWindowMs: number;
  /** Fixed cap: no adaptation at all. */
  readonly fixed?: number;
}

export class AdaptiveConcurrency {
  #limit: number;
  /** Slots opened so far; below #limit while a raise is still being clocked in by completions. */
  #opened: number;
  #ackClocked = true;
  readonly #start: number;
  readonly #max: number;
  readonly #fixed: number | undefined;
  readonly #minWindowMs: number;
  #slowStart = true;
  #windowStart = 0;
  #samples = 0;
  #overload = false;
  #peakInFlight = 0;
  #rttEwma = 0;
  #shortPerToken = 0;
  #longPerToken = 0;
  /** In flight when a bare server last refused (blind 429): growing past it is probed only now and then. */
  #ceiling = Number.POSITIVE_INFINITY;
  #windowsAtCeiling = 0;

  constructor(init: ConcurrencyInit, now: number) {
    this.#max = Math.max(1, init.max);
    this.#fixed = init.fixed === undefined ? undefined : Math.max(1, Math.min(init.fixed, this.#max));
    this.#start = Math.max(aimdTuning.minLimit, Math.min(init.start, this.#max));
    this.#limit = this.#fixed ?? this.#start;
    this.#opened = this.#limit;
    this.#minWindowMs = init.minWindowMs;
    this.#windowStart = now;
  }

  /** Current cap on requests in flight. */
  get limit(): number {
    return Math.max(1, Math.floor(Math.min(this.#limit, this.#opened)));
  }

  /** The server sends rate headers: its quota, not a hidden in-flight cap, limits it; raises open at once. */
  quotaGoverned(): void {
    if (!this.#ackClocked) return;
    this.#ackClocked = false;
    this.#opened = this.#limit;
  }

  /** Observes the in-flight count right after a dispatch (for the "half used" guard). */
  onDispatch(inFlight: number): void {
    if (inFlight > this.#peakInFlight) this.#peakInFlight = inFlight;
  }

  /** A completed request: latency and output length feed the brake. */
  onSuccess(now: number, latencyMs: number, outputTokens: number): void {
    this.#rttEwma = this.#rttEwma === 0 ? latencyMs : this.#rttEwma * 0.9 + latencyMs * 0.1;
    const perToken = latencyMs / Math.max(1, outputTokens);
    if (this.#longPerToken === 0) {
      this.#longPerToken = perToken;
      this.#shortPerToken = perToken;
    } else {
      this.#shortPerToken += (perToken - this.#shortPerToken) * aimdTuning.shortEwma;
      this.#longPerToken += (perToken - this.#longPerToken) * aimdTuning.longEwma;
    }
    this.#samples++;
    this.#slowStartPerCompletion();
    if (this.#opened < this.#limit) this.#opened = Math.min(this.#limit, this.#opened + 1);
    this.#maybeUpdate(now);
  }

  /**
   * TCP's slow start where completions clock the sends (no quota governs): each completion, while the
   * cap is in use and latency is healthy, adds one slot, so the cap doubles per round trip. Doubling
   * once per update window instead (≥ 2 round trips and ≥ `minSamples` completions) held a hint-less
   * deployment at its starting 4 for 2–3 round trips before the first raise: S13's three-deployment pool
   * ended at 0.825–0.871 of its bound, 0.865–0.929 with this (three bench runs). The growth stops at the
   * first overload, refusal or latency rise (they end slow start) and below a refusal seen before.
   */
  #slowStartPerCompletion(): void {
    if (!this.#slowStart || !this.#ackClocked || this.#fixed !== undefined || this.#overload) return;
    if (this.#peakInFlight * 2 < this.#limit || this.#gradient() < 1 || this.#limit + 1 >= this.#ceiling) return;
    this.#limit = Math.min(this.#max, this.#limit + 1);
  }

  /** An overload signal (capacity 429, 5xx, timeout, connection error). */
  onOverload(now: number): void {
    this.#overload = true;
    this.#samples++;
    this.#maybeUpdate(now);
  }

  /**
   * A hint-less 429 (blind-429.ts): the server refused at about `inFlight` concurrent requests.
   * The first refusal of a burst cuts multiplicatively from there at once, without waiting for an update
   * window: the window exists to average noisy signals, and a plain refusal is not noise. Later
   * refusals of the same burst do not cut again, but each one lowers the ceiling to what was still in
   * flight when it came (requests sent in one instant are refused one after another, each leaving one
   * fewer in flight: the last says how many the server admitted), so one overshoot costs one burst.
   */
  onBlindReject(now: number, inFlight: number, cut: number, newBurst = true): void {
    if (this.#fixed !== undefined) return;
    if (!newBurst) {
      if (inFlight >= this.#ceiling) return;
      this.#ceiling = Math.max(1, inFlight);
      this.#setLimit(Math.max(aimdTuning.minLimit, Math.min(this.#limit, this.#ceiling * cut)));
      return;
    }
    this.#ceiling = Math.max(1, inFlight);
    this.#windowsAtCeiling = 0;
    this.#setLimit(Math.max(aimdTuning.minLimit, Math.min(this.#limit, this.#ceiling) * cut));
    this.#slowStart = false;
    this.#startWindow(now);
  }

  /** Back to slow start (after the breaker closes). */
  reset(now: number): void {
    this.#limit = this.#fixed ?? this.#start;
    this.#opened = this.#limit;
    this.#slowStart = true;
    this.#startWindow(now);
  }

  #maybeUpdate(now: number): void {
    if (this.#fixed !== undefined) return;
    const windowMs = Math.max(this.#minWindowMs, 2 * this.#rttEwma);
    if (this.#samples < aimdTuning.minSamples || now - this.#windowStart < windowMs) return;
    let limit = this.#limit;
    // Gradient2: after latency improves a lot, let the long average catch up instead of waiting 600 samples
    if (this.#longPerToken > 2 * this.#shortPerToken) this.#longPerToken *= 0.95;
    if (this.#overload) {
      limit = limit * aimdTuning.cut;
      this.#slowStart = false;
    } else {
      const gradient = this.#gradient();
      if (gradient < 1) {
        limit = Math.min(limit, 0.8 * limit + 0.2 * (limit * gradient + 4));
        this.#slowStart = false;
      } else if (this.#peakInFlight * 2 >= limit) {
        // where completions clock the sends, slow start already grew per completion (#slowStartPerCompletion)
        if (!this.#slowStart) limit += 1;
        else if (!this.#ackClocked) limit *= 2;
        // just below a refusal seen before: try to pass it only every few windows (the server may have grown)
        if (limit >= this.#ceiling && ++this.#windowsAtCeiling % aimdTuning.ceilingProbeWindows !== 0)
          limit = Math.max(this.#limit, this.#ceiling - 1);
      }
    }
    this.#setLimit(Math.max(aimdTuning.minLimit, Math.min(this.#max, limit)));
    this.#startWindow(now);
  }

  /** A cut takes effect at once; a raise keeps the slots opened so far and opens the rest one per completion. */
  #setLimit(limit: number): void {
    this.#opened = this.#ackClocked ? Math.min(this.#opened, limit) : limit;
    this.#limit = limit;
  }

  /** clamp(1.5 × long / short, 0.5, 1): below 1 when recent seconds per token rose past 1.5× normal. */
  #gradient(): number {
    if (this.#shortPerToken <= 0 || this.#longPerToken <= 0) return 1;
    const g = (aimdTuning.brakeRatio * this.#longPerToken) / this.#shortPerToken;
    return Math.min(1, Math.max(0.5, g));
  }

  #startWindow(now: number): void {
    this.#windowStart = now;
    this.#samples = 0;
    this.#overload = false;
    this.#peakInFlight = 0;
  }
}
