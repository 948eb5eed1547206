/**
 * Per-deployment breakdown inside a target (a pool spreads one model over several deployments): counts,
 * attempts, 429s and headline latency, so a slow or throttled member of a pool stands out.
 */
import type { AttemptRecord, ResultRecord } from '../types.ts';
import { LatencyColumn } from './latency-column.ts';
import { pauseOf, unionMs, type PauseInterval } from './pause-intervals.ts';
import type { DeploymentSummary } from './summary-types.ts';

export class DeploymentAccumulator {
  readonly id: string;
  readonly #counts = { results: 0, ok: 0, failed: 0, attempts: 0, quota429: 0, capacity429: 0 };
  readonly #e2e = new LatencyColumn();
  readonly #ttft = new LatencyColumn();
  /** Quota pauses of this deployment (see pause-intervals.ts). */
  readonly pauses: PauseInterval[] = [];

  constructor(id: string) {
    this.id = id;
  }

  addAttempt(record: AttemptRecord): void {
    this.#counts.attempts++;
    if (record.outcome === 'quota') this.#counts.quota429++;
    if (record.outcome === 'capacity') this.#counts.capacity429++;
    const pause = pauseOf(record);
    if (pause) this.pauses.push(pause);
  }

  addResult(record: ResultRecord): void {
    this.#counts.results++;
    if (record.status === 'failed') {
      this.#counts.failed++;
      return;
    }
    this.#counts.ok++;
    if (record.cached) return;
    this.#e2e.push(record.timing.endMs);
    if (record.timing.firstTokenMs !== undefined) this.#ttft.push(record.timing.firstTokenMs);
  }

  finish(): DeploymentSummary {
    const e2e = this.#e2e;
    const ttft = this.#ttft;
    return {
      id: this.id,
      ...this.#counts,
      e2eP50Ms: e2e.length ? e2e.percentile(0.5) : null,
      e2eP95Ms: e2e.length ? e2e.percentile(0.95) : null,
      ttftP50Ms: ttft.length ? ttft.percentile(0.5) : null,
      pausedMs: unionMs(this.pauses),
    };
  }
}
