/**
 * Global Batch jobs (§9.3–§9.6) on the emulated clock. The state machine advances lazily whenever a job
 * is read (GET, list, cancel, stats), so a virtual or scaled clock drives a "24 h" job in a test without
 * timers: validating → in_progress (shuffled lines at the deployment's batch tokens/minute) → finalizing →
 * completed; or failed, expired, cancelling → cancelled. Enqueued tokens are held until a job is terminal.
 */
import { createRng, hashString } from '../internal/rng.ts';
import type { BatchLine, BatchValidationError, ValidInput } from './batch-validate.ts';
import { validateBatchInput } from './batch-validate.ts';
import { estimateLine, runBatchLine, unrunLine } from './batch-line.ts';
import type { EmulatorCore } from './emulator-core.ts';
import type { FileStore } from './files.ts';

export type BatchStatus = 'validating' | 'failed' | 'in_progress' | 'finalizing' | 'completed' | 'expired' | 'cancelling' | 'cancelled';
const TERMINAL = new Set<BatchStatus>(['failed', 'completed', 'expired', 'cancelled']);
const DAY_MS = 24 * 3600 * 1000;
/** Lines run per read at most, so one poll of a 100 000-line job never blocks the server for long. */
const MAX_LINES_PER_READ = 5_000;

export interface Job {
  id: string;
  endpoint: string;
  inputFileId: string;
  metadata: Record<string, string> | null;
  status: BatchStatus;
  /** Emulated ms of each transition (object fields are seconds). */
  at: Partial<Record<'created' | 'in_progress' | 'finalizing' | 'completed' | 'failed' | 'expired' | 'cancelling' | 'cancelled', number>>;
  expiresAtMs: number;
  errors: BatchValidationError[];
  deployment: string | undefined;
  held: number;
  input: ValidInput | undefined;
  order: number[];
  next: number;
  /** Batch tokens spent so far (line estimates); time = in_progress + spent / tokens-per-minute. */
  spentTokens: number;
  out: string[];
  err: string[];
  completed: number;
  failed: number;
  outputFileId: string | null;
  errorFileId: string | null;
  total: number;
  caughtUp: boolean;
}

export function isTerminal(j: Job): boolean {
  return TERMINAL.has(j.status);
}

const sec = (ms: number | undefined): number | null => (ms === undefined ? null : Math.floor(ms / 1000));

/** Unset timestamps and file ids are omitted (the shared spec types them non-nullable). */
export function batchObject(j: Job) {
  const o: Record<string, unknown> = {
    id: j.id,
    object: 'batch',
    endpoint: j.endpoint,
    errors:
      j.errors.length > 0
        ? { object: 'list', data: j.errors.map((e) => ({ code: e.code, message: e.message, param: null, line: e.line })) }
        : null,
    input_file_id: j.inputFileId,
    completion_window: '24h',
    status: j.status,
    output_file_id: j.outputFileId,
    error_file_id: j.errorFileId,
    created_at: sec(j.at.created) as number,
    in_progress_at: sec(j.at.in_progress),
    expires_at: sec(j.expiresAtMs),
    finalizing_at: sec(j.at.finalizing),
    completed_at: sec(j.at.completed),
    failed_at: sec(j.at.failed),
    expired_at: sec(j.at.expired),
    cancelling_at: sec(j.at.cancelling),
    cancelled_at: sec(j.at.cancelled),
    request_counts: { total: j.total, completed: j.completed, failed: j.failed },
    metadata: j.metadata,
  };
  for (const k of Object.keys(o)) if (o[k] === null && k !== 'metadata') delete o[k];
  return o;
}

export class BatchStore {
  readonly jobs = new Map<string, Job>();
  created = 0;
  readonly #core: EmulatorCore;
  readonly #files: FileStore;

  constructor(core: EmulatorCore, files: FileStore) {
    this.#core = core;
    this.#files = files;
  }

  clear(): void {
    this.jobs.clear();
    this.created = 0;
  }

  /** Enqueued tokens held by the deployment's non-terminal jobs. */
  held(deployment: string): number {
    let sum = 0;
    for (const j of this.jobs.values()) if (j.deployment === deployment && !isTerminal(j)) sum += j.held;
    return sum;
  }

  /** The quota estimate of a file, read tolerantly before validation (fail-fast check at create). */
  estimateFile(content: Buffer): { deployment: string; tokens: number } | undefined {
    let deployment: string | undefined;
    let tokens = 0;
    for (const line of content.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        const o = JSON.parse(line) as { url?: string; body?: { model?: unknown } };
        if (typeof o.body?.model !== 'string') continue;
        deployment ??= o.body.model;
        const rt = this.#core.deployments.get(o.body.model);
        if (rt) tokens += estimateLine(rt, o.url?.includes('responses') ? 'responses' : 'chat', o.body);
      } catch {
        /* validation reports it */
      }
    }
    return deployment === undefined ? undefined : { deployment, tokens };
  }

  add(
    id: string,
    endpoint: string,
    inputFileId: string,
    metadata: Record<string, string> | null,
    estimate: { deployment: string; tokens: number } | undefined,
  ): Job {
    const now = this.#core.clock.now();
    const j: Job = {
      id,
      endpoint,
      inputFileId,
      metadata,
      status: 'validating',
      at: { created: now },
      expiresAtMs: now + DAY_MS,
      errors: [],
      deployment: estimate?.deployment,
      held: estimate?.tokens ?? 0,
      input: undefined,
      order: [],
      next: 0,
      spentTokens: 0,
      out: [],
      err: [],
      completed: 0,
      failed: 0,
      outputFileId: null,
      errorFileId: null,
      total: 0,
      caughtUp: true,
    };
    this.jobs.set(id, j);
    this.created++;
    return j;
  }

  cancel(j: Job): void {
    this.advance(j);
    if (isTerminal(j) || j.status === 'cancelling') return;
    j.status = 'cancelling';
    j.at.cancelling = this.#core.clock.now();
  }

  advanceAll(): void {
    for (const j of this.jobs.values()) this.advance(j);
  }

  advance(j: Job): void {
    const now = this.#core.clock.now();
    const s = this.#core.config.batch ?? {};
    if (j.status === 'validating' && now >= (j.at.created as number) + (s.validationMs ?? 30_000))
      this.#validate(j, (j.at.created as number) + (s.validationMs ?? 30_000));
    if (j.status === 'in_progress' || j.status === 'cancelling') this.#run(j, now);
    if (j.status === 'cancelling' && now >= (j.at.cancelling as number) + (s.cancelMs ?? 60_000) && j.caughtUp) {
      this.#finish(
        j,
        'cancelled',
        (j.at.cancelling as number) + (s.cancelMs ?? 60_000),
        'batch_cancelled',
        'This line was not executed because the batch was cancelled.',
      );
    }
    if (j.status === 'in_progress' && j.input && j.next >= j.input.lines.length) {
      j.status = 'finalizing';
      j.at.finalizing = Math.min(now, this.#lineTime(j, j.spentTokens));
    }
    if (j.status === 'in_progress' && s.expireAfter24h !== false && now >= j.expiresAtMs && j.caughtUp) {
      this.#finish(
        j,
        'expired',
        j.expiresAtMs,
        'batch_expired',
        'This request could not be executed before the completion window expired.',
      );
    }
    if (j.status === 'finalizing' && now >= (j.at.finalizing as number) + (s.finalizingMs ?? 10_000))
      this.#finish(j, 'completed', (j.at.finalizing as number) + (s.finalizingMs ?? 10_000));
  }

  #validate(j: Job, at: number): void {
    const file = this.#files.get(j.inputFileId);
    const skus = new Map([...this.#core.deployments].map(([n, rt]) => [n, rt.resolved.config.sku] as const));
    const v = file
      ? validateBatchInput(file.content, skus)
      : { code: 'invalid_request', message: `File with id '${j.inputFileId}' not found.`, line: null };
    if ('code' in v) return this.#fail(j, at, v);
    j.input = v;
    j.total = v.lines.length;
    j.deployment = v.deployment;
    const rt = this.#core.deployments.get(v.deployment);
    const limit = rt?.resolved.config.enqueuedTokens ?? 1_000_000_000;
    // Slow-fail regions: the quota is checked only now, after validation (§9.5).
    if (rt?.resolved.config.batchFailFast === false && this.held(v.deployment) > limit)
      return this.#fail(j, at, { code: 'token_limit_exceeded', message: tokenLimitMessage(limit, v.deployment), line: null });
    j.status = 'in_progress';
    j.at.in_progress = at;
    const random = createRng(hashString(`${this.#core.seed}|order|${j.id}`));
    j.order = v.lines.map((_, i) => i);
    for (let i = j.order.length - 1; i > 0; i--) {
      const k = Math.floor(random() * (i + 1));
      [j.order[i], j.order[k]] = [j.order[k] as number, j.order[i] as number];
    }
  }

  #fail(j: Job, at: number, e: BatchValidationError): void {
    j.status = 'failed';
    j.at.failed = at;
    j.errors = [e];
  }

  #tpm(j: Job): number {
    return this.#core.deployments.get(j.deployment ?? '')?.resolved.config.batchTokensPerMinute ?? 10_000_000;
  }

  #lineTime(j: Job, tokens: number): number {
    return (j.at.in_progress as number) + (tokens / this.#tpm(j)) * 60_000;
  }

  #run(j: Job, now: number): void {
    const input = j.input;
    const rt = this.#core.deployments.get(j.deployment ?? '');
    if (!input || !rt || j.at.in_progress === undefined) return;
    let until = now;
    if (j.at.cancelling !== undefined) until = Math.min(until, j.at.cancelling);
    if ((this.#core.config.batch?.expireAfter24h ?? true) && until > j.expiresAtMs) until = j.expiresAtMs;
    const budget = ((until - j.at.in_progress) / 60_000) * this.#tpm(j);
    let ran = 0;
    while (j.next < input.lines.length && j.spentTokens < budget && ran < MAX_LINES_PER_READ) {
      const line = input.lines[j.order[j.next] as number] as BatchLine;
      const r = runBatchLine(this.#core, rt, input.api, line.customId, line.body, j.id);
      j.spentTokens += Math.max(1, r.cost);
      (r.ok ? j.out : j.err).push(r.json);
      if (r.ok) j.completed++;
      else j.failed++;
      j.next++;
      ran++;
    }
    // Capped by MAX_LINES_PER_READ: more lines are due, so no stop (cancel, expiry) may be applied yet.
    j.caughtUp = !(ran === MAX_LINES_PER_READ && j.next < input.lines.length && j.spentTokens < budget);
  }

  #finish(j: Job, status: BatchStatus, at: number, unrunCode?: 'batch_expired' | 'batch_cancelled', message?: string): void {
    if (unrunCode && j.input) {
      for (let k = j.next; k < j.input.lines.length; k++) {
        j.err.push(unrunLine((j.input.lines[j.order[k] as number] as BatchLine).customId, unrunCode, message ?? ''));
        j.failed++;
      }
      j.next = j.input.lines.length;
    }
    j.status = status;
    j.at[status as 'completed' | 'expired' | 'cancelled'] = at;
    const nowSec = Math.floor(at / 1000);
    // The output file and the error file always exist on a finished job; the error file may be empty.
    j.outputFileId = this.#files.addOutput(`${j.id}_output.jsonl`, j.out.length ? `${j.out.join('\n')}\n` : '', nowSec).id;
    j.errorFileId = this.#files.addOutput(`${j.id}_error.jsonl`, j.err.length ? `${j.err.join('\n')}\n` : '', nowSec).id;
    j.out = [];
    j.err = [];
    if (j.input) j.input = { ...j.input, lines: [] };
    j.order = [];
  }
}

/** Azure's exact message (MS Q&A 2285577), with the limit as 30K / 200M / 1B. */
export function tokenLimitMessage(limit: number, deployment: string): string {
  const short =
    limit >= 1e9
      ? `${+(limit / 1e9).toFixed(1)}B`
      : limit >= 1e6
        ? `${+(limit / 1e6).toFixed(1)}M`
        : limit >= 1e3
          ? `${+(limit / 1e3).toFixed(1)}K`
          : String(limit);
  return `The number of enqueued tokens has surpassed the configured limit of ${short} for the deployment '${deployment}'. Please either increase the limit or try again once the current jobs have finished.`;
}
