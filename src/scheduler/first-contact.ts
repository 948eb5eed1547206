/**
 * Until a deployment has answered once (any HTTP response, even a 401 or a 429), nothing is known about
 * it: a wrong URL, a closed port or a DNS typo must cost a few requests and a few seconds, not a run.
 * So one request at a time goes to it (the gate's cap is 1; a model list that names the deployment
 * lifts that early: DeploymentHandle.checkListed, RunLoop #checkListed), and connection failures before the first
 * answer are a bounded probe: at most `maxProbes` attempts, spaced by `gapsMs`, within `maxProbeMs`;
 * then the deployment is dead, like a 401. After a first answer, connection failures are ordinary
 * overload (retries and the breaker's capped backoff).
 */

export const firstContactTuning = {
  /** Connection failures before the first answer that make the deployment dead. */
  maxProbes: 3,
  /** Whatever the count, the probe ends by this long after its first failure. @unit milliseconds */
  maxProbeMs: 15_000,
  /** Wait before the 2nd and the 3rd probe. @unit milliseconds */
  gapsMs: [1_000, 3_000],
} as const;

export type ProbeVerdict = 'retry' | 'dead';

export class FirstContact {
  #answered = false;
  #listCheckTaken = false;
  #failures = 0;
  #firstFailureAt = 0;
  #nextProbeAt = 0;

  /** The server has sent an HTTP response at least once. */
  get answered(): boolean {
    return this.#answered;
  }

  /** Connection failures seen before the first answer. */
  get failures(): number {
    return this.#failures;
  }

  /** True once, before the first answer: the one time the model list is asked (DeploymentHandle.checkListed). */
  takeListCheck(): boolean {
    if (this.#answered || this.#listCheckTaken) return false;
    this.#listCheckTaken = true;
    return true;
  }

  /** An HTTP answer, or a model list that named the deployment: the one-request cap lifts. */
  onAnswer(): void {
    this.#answered = true;
  }

  /** When the next probe may start (now once answered). @unit milliseconds (clock time) */
  availableAt(now: number): number {
    return this.#answered || this.#nextProbeAt <= now ? now : this.#nextProbeAt;
  }

  /** A connection failure (refused, DNS, TLS) before any answer. */
  onUnreachable(now: number): ProbeVerdict {
    if (this.#failures === 0) this.#firstFailureAt = now;
    this.#failures++;
    const elapsed = now - this.#firstFailureAt;
    if (this.#failures >= firstContactTuning.maxProbes || elapsed >= firstContactTuning.maxProbeMs) return 'dead';
    const gap = firstContactTuning.gapsMs[Math.min(this.#failures - 1, firstContactTuning.gapsMs.length - 1)] as number;
    // never plan a probe past the probe's end: the last one starts at the latest at maxProbeMs
    this.#nextProbeAt = Math.min(now + gap, this.#firstFailureAt + firstContactTuning.maxProbeMs);
    return 'retry';
  }
}
