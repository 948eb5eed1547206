/**
 * The emulator's state: resolved deployments with their limiters and counters, the fault schedule, the
 * answer book and the emulated clock. The HTTP layer (server.ts) and the admin API both drive this.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../internal/clock.ts';
import { SlidingWindowLimiter } from './admission.ts';
import { AnswerBook } from './answers.ts';
import type { DeploymentConfig, EmulatorConfig, ResolvedDeployment } from './config.ts';
import { resolveDeployment, validateEmulatorConfig } from './config.ts';
import { BatchStore } from './batches.ts';
import type { DialectState } from './endpoint-dialect.ts';
import { newDialectState } from './endpoint-dialect.ts';
import { FaultSchedule } from './faults.ts';
import { FileStore } from './files.ts';
import { PtuBucket } from './ptu.ts';
import { ScaledClock } from './scaled-clock.ts';
import type { AdmissionRecord, EmulatorStats } from './stats.ts';
import { DeploymentCounters, sumStats } from './stats.ts';

export interface DeploymentRuntime {
  resolved: ResolvedDeployment;
  limiter: SlidingWindowLimiter;
  ptu: PtuBucket;
  counters: DeploymentCounters;
  /** Received count per request fingerprint: the "attempt counter" in the RNG seed. */
  attempts: Map<string, number>;
  /** Prompt hashes seen, for the optional prompt-cache simulation. */
  promptCache: Set<number>;
  /** OpenAI-dialect buckets and the realism profile's header lag. */
  dialect: DialectState;
}

/** Runtime-patchable resource settings plus per-deployment patches (matched by name; new names are added). */
export interface EmulatorPatch {
  latencyScale?: number;
  zeroLatency?: boolean;
  timeScale?: number;
  answerKey?: Array<{ question: string; answer: string }>;
  contentFilter?: EmulatorConfig['contentFilter'];
  deployments?: Array<Partial<DeploymentConfig> & { name: string }>;
  /** Names of deployments to remove. */
  removeDeployments?: string[];
}

export class EmulatorCore {
  config: EmulatorConfig;
  readonly clock: ScaledClock;
  readonly deployments = new Map<string, DeploymentRuntime>();
  readonly faults = new FaultSchedule();
  readonly apiKeys: Set<string>;
  book: AnswerBook;
  startedAt: number;
  readonly seed: string;
  /** Files and Global Batch jobs (§9), cleared by reset(). */
  readonly files = new FileStore();
  readonly batches: BatchStore;

  constructor(config: EmulatorConfig, clock: Clock) {
    this.config = validateEmulatorConfig(config);
    this.clock = new ScaledClock(clock, config.timeScale ?? 1);
    const keys = config.apiKeys && config.apiKeys.length > 0 ? config.apiKeys : [randomBytes(16).toString('hex')];
    this.apiKeys = new Set(keys);
    this.book = new AnswerBook(config.answerKey ?? []);
    this.seed = String(config.seed ?? 0);
    this.startedAt = this.clock.now();
    this.batches = new BatchStore(this, this.files);
    for (const d of config.deployments) this.#addDeployment(d);
    for (const f of config.faults ?? []) this.faults.add(f);
    for (const d of config.deployments) for (const f of d.faults ?? []) this.faults.add({ ...f, deployment: f.deployment ?? d.name });
  }

  get primaryKey(): string {
    return this.apiKeys.values().next().value as string;
  }

  elapsedMs(): number {
    return this.clock.now() - this.startedAt;
  }

  latencyScale(): number {
    return this.config.zeroLatency ? 0 : (this.config.latencyScale ?? 1);
  }

  #addDeployment(d: DeploymentConfig): void {
    this.deployments.set(d.name, {
      resolved: resolveDeployment(d),
      limiter: new SlidingWindowLimiter(),
      ptu: new PtuBucket(),
      counters: new DeploymentCounters(this.config.admissionLogSize ?? 100_000),
      attempts: new Map(),
      promptCache: new Set(),
      dialect: newDialectState(),
    });
  }

  /** Validates the patched config as a whole first, so a bad patch changes nothing. */
  patch(p: EmulatorPatch): void {
    const byName = new Map(this.config.deployments.map((d) => [d.name, d] as const));
    for (const name of p.removeDeployments ?? []) byName.delete(name);
    for (const d of p.deployments ?? []) {
      const prev = byName.get(d.name);
      byName.set(d.name, { ...(prev ?? {}), ...d } as DeploymentConfig);
    }
    const next: EmulatorConfig = {
      ...this.config,
      ...(p.latencyScale !== undefined ? { latencyScale: p.latencyScale } : {}),
      ...(p.zeroLatency !== undefined ? { zeroLatency: p.zeroLatency } : {}),
      ...(p.timeScale !== undefined ? { timeScale: p.timeScale } : {}),
      ...(p.answerKey !== undefined ? { answerKey: p.answerKey } : {}),
      ...(p.contentFilter !== undefined ? { contentFilter: p.contentFilter } : {}),
      deployments: [...byName.values()],
    };
    validateEmulatorConfig(next);
    this.config = next;
    if (p.timeScale !== undefined) this.clock.setTimeScale(p.timeScale);
    if (p.answerKey !== undefined) this.book = new AnswerBook(p.answerKey);
    for (const name of [...this.deployments.keys()]) if (!byName.has(name)) this.deployments.delete(name);
    for (const d of next.deployments) {
      const rt = this.deployments.get(d.name);
      if (!rt) this.#addDeployment(d);
      else rt.resolved = resolveDeployment(d);
      // Deployment-level faults in a patch are added to the schedule.
      const patched = p.deployments?.find((x) => x.name === d.name);
      for (const f of patched?.faults ?? []) this.faults.add({ ...f, deployment: f.deployment ?? d.name });
    }
  }

  /** Clears windows, buckets, counters and attempt counters; keeps config and faults. Restarts elapsed time. */
  reset(): void {
    for (const rt of this.deployments.values()) {
      rt.limiter.clear();
      rt.ptu.clear();
      rt.counters = new DeploymentCounters(this.config.admissionLogSize ?? 100_000);
      rt.attempts.clear();
      rt.promptCache.clear();
      rt.dialect = newDialectState();
    }
    this.files.clear();
    this.batches.clear();
    this.startedAt = this.clock.now();
  }

  stats(): EmulatorStats {
    const deployments: EmulatorStats['deployments'] = {};
    for (const [name, rt] of this.deployments) deployments[name] = rt.counters.snapshot();
    this.batches.advanceAll();
    const jobs = [...this.batches.jobs.values()];
    const batch = {
      uploads: this.files.uploads,
      batchesCreated: this.batches.created,
      active: jobs.filter((j) => !['failed', 'completed', 'expired', 'cancelled'].includes(j.status)).length,
    };
    return { now: this.clock.now(), elapsedMs: this.elapsedMs(), deployments, totals: sumStats(Object.values(deployments)), batch };
  }

  admissionLog(deployment: string): AdmissionRecord[] {
    return this.deployments.get(deployment)?.counters.admissionLog() ?? [];
  }

  /** Completed request ids and per-fingerprint completion counts (for "completed twice" checks). */
  completions(deployment: string): { requestIds: string[]; byFingerprint: Record<string, number> } {
    const c = this.deployments.get(deployment)?.counters;
    return { requestIds: [...(c?.completedIds ?? [])], byFingerprint: Object.fromEntries(c?.fingerprints ?? []) };
  }
}
