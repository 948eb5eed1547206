/**
 * Ground-truth counters per deployment, read by tests and benchmarks through GET /_emulator/stats or
 * handle.stats(). Kept as plain numbers on the hot path; snapshots copy them.
 */

import { SendLog } from './send-log.ts';

export type RejectKind = 'quota_tokens' | 'quota_requests' | 'capacity' | 'overload' | 'ptu';

export interface DeploymentStats {
  received: number;
  admitted: number;
  rejected429: Record<RejectKind, number>;
  /** HTTP status → count (connection resets count as "reset", hangs as "hang"). */
  statuses: Record<string, number>;
  /** Σ admission estimates of admitted requests. */
  tokensEstimated: number;
  promptTokensUsed: number;
  completionTokensUsed: number;
  /** Requests answered 200 and fully written. */
  completed: number;
  /** Number of request fingerprints (deployment + route + body hash) completed more than once. */
  duplicateCompletions: number;
  inFlight: number;
  peakInFlight: number;
}

export interface EmulatorStats {
  /** Emulated clock time (ms) and ms since start/reset. */
  now: number;
  elapsedMs: number;
  deployments: Record<string, DeploymentStats>;
  totals: Omit<DeploymentStats, 'inFlight' | 'peakInFlight'> & { inFlight: number };
  /** Files/Batches counters: input-file uploads, batch jobs created, jobs not yet terminal. */
  batch?: { uploads: number; batchesCreated: number; active: number };
}

export interface AdmissionRecord {
  /** Emulated time (clock ms) of the admission decision. */
  t: number;
  cost: number;
}

export class DeploymentCounters {
  received = 0;
  admitted = 0;
  rejected429: Record<RejectKind, number> = { quota_tokens: 0, quota_requests: 0, capacity: 0, overload: 0, ptu: 0 };
  statuses = new Map<string, number>();
  tokensEstimated = 0;
  promptTokensUsed = 0;
  completionTokensUsed = 0;
  completed = 0;
  duplicateCompletions = 0;
  inFlight = 0;
  peakInFlight = 0;
  readonly fingerprints = new Map<string, number>();
  readonly completedIds: string[] = [];
  /** Per-request send times (server truth for load tests), GET /_emulator/sends. */
  readonly sends = new SendLog();
  #logT: number[] = [];
  #logCost: number[] = [];
  readonly #logLimit: number;

  constructor(logLimit: number) {
    this.#logLimit = logLimit;
  }

  status(code: number | string): void {
    const key = String(code);
    this.statuses.set(key, (this.statuses.get(key) ?? 0) + 1);
  }

  admit(t: number, cost: number): void {
    this.admitted++;
    this.tokensEstimated += cost;
    if (this.#logLimit === 0) return;
    if (this.#logT.length >= this.#logLimit) {
      // drop the older half at once (at least one: a limit of 1 must not keep everything): amortised O(1)
      const drop = Math.max(1, this.#logLimit >> 1);
      this.#logT = this.#logT.slice(drop);
      this.#logCost = this.#logCost.slice(drop);
    }
    this.#logT.push(t);
    this.#logCost.push(cost);
  }

  complete(fingerprint: string, requestId: string): void {
    this.completed++;
    const n = (this.fingerprints.get(fingerprint) ?? 0) + 1;
    this.fingerprints.set(fingerprint, n);
    if (n === 2) this.duplicateCompletions++;
    // Bounded: keep the most recent 100 000 ids (drop the older half at once, amortised O(1)).
    if (this.completedIds.length >= 100_000) this.completedIds.splice(0, 50_000);
    this.completedIds.push(requestId);
  }

  admissionLog(): AdmissionRecord[] {
    return this.#logT.map((t, i) => ({ t, cost: this.#logCost[i] ?? 0 }));
  }

  snapshot(): DeploymentStats {
    return {
      received: this.received,
      admitted: this.admitted,
      rejected429: { ...this.rejected429 },
      statuses: Object.fromEntries(this.statuses),
      tokensEstimated: this.tokensEstimated,
      promptTokensUsed: this.promptTokensUsed,
      completionTokensUsed: this.completionTokensUsed,
      completed: this.completed,
      duplicateCompletions: this.duplicateCompletions,
      inFlight: this.inFlight,
      peakInFlight: this.peakInFlight,
    };
  }
}

export function sumStats(list: DeploymentStats[]): EmulatorStats['totals'] {
  const totals: EmulatorStats['totals'] = {
    received: 0,
    admitted: 0,
    rejected429: { quota_tokens: 0, quota_requests: 0, capacity: 0, overload: 0, ptu: 0 },
    statuses: {},
    tokensEstimated: 0,
    promptTokensUsed: 0,
    completionTokensUsed: 0,
    completed: 0,
    duplicateCompletions: 0,
    inFlight: 0,
  };
  for (const s of list) {
    totals.received += s.received;
    totals.admitted += s.admitted;
    for (const k of Object.keys(s.rejected429) as RejectKind[]) totals.rejected429[k] += s.rejected429[k];
    for (const [k, v] of Object.entries(s.statuses)) totals.statuses[k] = (totals.statuses[k] ?? 0) + v;
    totals.tokensEstimated += s.tokensEstimated;
    totals.promptTokensUsed += s.promptTokensUsed;
    totals.completionTokensUsed += s.completionTokensUsed;
    totals.completed += s.completed;
    totals.duplicateCompletions += s.duplicateCompletions;
    totals.inFlight += s.inFlight;
  }
  return totals;
}
