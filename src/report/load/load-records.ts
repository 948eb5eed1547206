/**
 * The load journal (`journal.jsonl` of `batchbench load`): one JSON line per event, written as the run
 * goes. Reports are pure functions of it, so `batchbench report DIR` re-renders them byte for byte.
 * A load journal is recognised by its first record, `kind: 'load-start'`.
 */

export interface LoadTargetInfo {
  readonly name: string;
  readonly api: string;
  readonly deployments: readonly { readonly id: string; readonly tpm?: number; readonly rpm?: number }[];
}

export interface LoadStartRecord {
  readonly v: 1;
  readonly kind: 'load-start';
  readonly runId: string;
  readonly startedAt: string;
  /** Every endpoint is the embedded emulator. */
  readonly emulator: boolean;
  /** The profile as given, e.g. `sweep`, `rate 10,20`. */
  readonly profile: string;
  readonly workload: {
    readonly source: string;
    readonly inputTokens?: number;
    readonly outputTokens?: number;
    readonly spread?: number;
    /** Azure's admission estimate of a typical request (prompt chars / 4 + max tokens). */
    readonly costPerRequest: number;
  };
  readonly stepDurationMs: number;
  readonly maxRequestsPerStep: number;
  readonly slo?: { readonly ttftMs?: number; readonly e2eMs?: number; readonly percentile: number };
  /** Load mode never retries: a 429 or error is a data point, not hidden by a retry. */
  readonly retryPolicy: 'none';
  readonly transportWorkers: number;
  readonly targets: readonly LoadTargetInfo[];
}

export interface LoadStepRecord {
  readonly v: 1;
  readonly kind: 'load-step';
  readonly target: string;
  /** 0-based, per target; warm-up steps too (they are marked). */
  readonly step: number;
  readonly label: string;
  readonly mode: 'synchronous' | 'concurrency' | 'rate';
  readonly role: 'warmup' | 'fixed' | 'floor' | 'saturation' | 'sweep' | 'search';
  readonly concurrency?: number;
  readonly rate?: number;
  readonly arrivals?: 'constant' | 'poisson';
  readonly durationMs: number;
  readonly maxRequests: number;
  /** Epoch ms at which the step started. */
  readonly startedAt: number;
  /** Set when the step was not run because it would exceed the known quota (without --allow-429). */
  readonly skipped?: string;
  /** Set when it was run anyway with --allow-429. */
  readonly quotaWarning?: string;
}

export interface LoadRequestRecord {
  readonly v: 1;
  readonly kind: 'load-request';
  readonly target: string;
  readonly step: number;
  readonly seq: number;
  readonly deploymentId: string;
  /** Open loop: when the request was due (epoch ms). Closed loop: null. */
  readonly scheduledAt: number | null;
  /** When the SDK handed the request to the HTTP client (epoch ms); TTFT and e2e count from here. */
  readonly sentAt: number;
  /** SDK request building before that moment (client work). @unit milliseconds */
  readonly sdkPrepMs?: number;
  /** Open loop: how long the request, built ahead, waited for its due time before `sentAt`. @unit milliseconds */
  readonly heldMs?: number;
  /** `ok` or the error category (quota, capacity, server, timeout, …). */
  readonly outcome: string;
  readonly status?: number;
  readonly errorCode?: string;
  readonly ttftMs?: number;
  /** Until the response's last byte reached the transport (never before the last output was read). */
  readonly e2eMs: number;
  readonly promptTokens?: number;
  readonly outputTokens?: number;
  readonly requestId?: string;
  /** `azure-openai-deployment-utilization` (PTU), in percent. */
  readonly utilizationPct?: number;
  readonly retryAfterMs?: number;
}

export interface ClientOverheadRecord {
  readonly thread: string;
  readonly lagP50Ms: number;
  readonly lagP99Ms: number;
  readonly lagMaxMs: number;
  readonly cpuMs: number;
  readonly wallMs: number;
}

export interface LoadStepEndRecord {
  readonly v: 1;
  readonly kind: 'load-step-end';
  readonly target: string;
  readonly step: number;
  readonly endedAt: number;
  readonly client: readonly ClientOverheadRecord[];
  /** Server truth from the emulator's admission log, when the target is the embedded emulator. */
  readonly server?: { readonly admissions: number; readonly rate: number | null; readonly firstAt?: number; readonly lastAt?: number };
}

export interface LoadEndRecord {
  readonly v: 1;
  readonly kind: 'load-end';
  readonly endedAt: string;
  readonly reason: 'completed' | 'aborted';
}

export type LoadJournalRecord = LoadStartRecord | LoadStepRecord | LoadRequestRecord | LoadStepEndRecord | LoadEndRecord;
