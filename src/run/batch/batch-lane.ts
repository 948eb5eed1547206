/**
 * Runs one `mode: 'batch'` target through Global Batch: cells → planned files → upload (with an expiry)
 * → submit while the enqueued-token ledger has room (backing off 5, 10, 20 … s on token_limit_exceeded,
 * never dropping a line) → poll → collect each terminal job into result outcomes. Every file, job, status
 * transition and collection is journaled first, so a resume re-attaches instead of uploading or
 * submitting again. An abort (Ctrl-C) stops polling and leaves the jobs running: paid work is never
 * cancelled silently.
 */
import type { BatchClient, JobView } from '../../providers/batch-client.ts';
import { TERMINAL_STATUSES } from '../../providers/batch-client.ts';
import type { Clock } from '../../internal/clock.ts';
import { sleep } from '../../internal/sleep-until.ts';
import type { Outcome, ResolvedTarget, WorkItem } from '../../types.ts';
import { collectJob } from './batch-collect.ts';
import type { BatchRecord, BatchResumeState } from './batch-records.ts';
import { EnqueuedLedger } from './ledger.ts';
import { FilePacker, MAX_FILE_BYTES, planLine, tokenLimitBackoffMs } from './plan.ts';

/** Input files expire after 14 days (Azure's minimum), which also lifts the file cap to 10,000. */
const FILE_EXPIRY_SECONDS = 1_209_600;

export interface BatchLaneOptions {
  readonly target: ResolvedTarget;
  readonly client: BatchClient;
  readonly items: AsyncIterable<WorkItem>;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  readonly settle: (item: WorkItem, outcome: Outcome) => Promise<void>;
  readonly journal: (record: BatchRecord) => Promise<void>;
  readonly resume?: BatchResumeState;
  readonly progress?: (line: string) => void;
  /** First token_limit_exceeded wait. @default 5000 @unit milliseconds */
  readonly backoffBaseMs?: number;
}

interface Queued {
  keys: readonly string[];
  tokens: number;
  bytes: number;
  jsonl?: string;
  fileId?: string;
}

interface Active {
  jobId: string;
  fileId: string;
  keys: readonly string[];
  submittedAt: number;
  status: string | undefined;
}

export interface BatchLaneResult {
  /** Jobs still running when the lane stopped (abort). */
  readonly leftRunning: readonly string[];
  /** Cells of expired or cancelled jobs that got no record: the run is not complete until a resume sends them. */
  readonly notRun: number;
}

export async function runBatchLane(o: BatchLaneOptions): Promise<BatchLaneResult> {
  const { target, clock } = o;
  const deployment = target.deployments[0]!; // a batch target sends every line to its first deployment
  const settings = target.batch ?? { enqueuedTokens: 1_000_000_000, pollIntervalMs: 60_000, maxLinesPerFile: 100_000 };
  const ledger = new EnqueuedLedger(settings.enqueuedTokens);
  const pending = new Map<string, WorkItem>();
  const active: Active[] = [];
  const queue: Queued[] = [];
  const attached = new Set<string>();
  const fileTokens = new Map<string, number>();

  // Re-attach: jobs a killed run submitted, then files it uploaded but never submitted.
  const submittedFiles = new Set<string>();
  for (const job of o.resume?.jobs.values() ?? []) {
    const file = o.resume?.files.get(job.record.fileId);
    submittedFiles.add(job.record.fileId);
    if (job.collected || !file) continue;
    active.push({ jobId: job.record.jobId, fileId: file.fileId, keys: file.keys, submittedAt: job.record.submittedAt, status: job.status });
    ledger.hold(job.record.jobId, file.tokens);
    for (const k of file.keys) attached.add(k);
  }
  for (const file of o.resume?.files.values() ?? []) {
    if (submittedFiles.has(file.fileId)) continue;
    queue.push({ keys: file.keys, tokens: file.tokens, bytes: file.bytes, fileId: file.fileId });
    for (const k of file.keys) attached.add(k);
  }

  const packer = new FilePacker({ maxLines: settings.maxLinesPerFile, maxBytes: MAX_FILE_BYTES, maxTokens: settings.enqueuedTokens });
  const enqueue = (f: ReturnType<FilePacker['flush']>) =>
    f && queue.push({ keys: f.keys, tokens: f.tokens, bytes: f.bytes, jsonl: f.jsonl });
  for await (const item of o.items) {
    pending.set(item.key, item);
    if (!attached.has(item.key)) enqueue(packer.add(planLine(item, target, deployment.deployment)));
  }
  enqueue(packer.flush());
  // A resumed file may carry keys finished since (or not pulled at all): only pending cells matter.
  const live = (keys: readonly string[]) => keys.some((k) => pending.has(k));

  const failCells = async (keys: readonly string[], code: string, message: string) => {
    for (const key of keys) {
      const item = pending.get(key);
      if (!item) continue;
      pending.delete(key);
      await o.settle(item, {
        status: 'failed',
        reason: 'fatal',
        error: { name: 'BatchError', code, message, category: 'bad_request', retryable: false },
        deploymentId: deployment.id,
        attempts: 1,
        durationMs: 0,
      });
    }
  };

  let backoffAttempt = 0;
  let waitUntil = 0;
  let notRun = 0;
  const submitReady = async () => {
    while (queue.length > 0 && clock.now() >= waitUntil && !o.signal.aborted) {
      const next = queue[0]!;
      if (!live(next.keys)) {
        queue.shift();
        continue;
      }
      if (!ledger.fits(next.tokens)) return;
      if (next.fileId === undefined) {
        const fileId = await o.client.upload(`${target.name}-${clock.now()}.jsonl`, next.jsonl ?? '', FILE_EXPIRY_SECONDS);
        await o.journal({
          v: 1,
          kind: 'batch-file',
          target: target.name,
          deploymentId: deployment.id,
          fileId,
          keys: next.keys,
          tokens: next.tokens,
          bytes: next.bytes,
          at: new Date(clock.now()).toISOString(),
        });
        next.fileId = fileId;
        delete next.jsonl; // the service holds the bytes now
      }
      const created = await o.client.create(next.fileId, { batchbench_target: target.name });
      if (!created.ok) {
        waitUntil = clock.now() + tokenLimitBackoffMs(backoffAttempt++, o.backoffBaseMs);
        o.progress?.(`batch ${target.name}: token_limit_exceeded, resubmitting in ${Math.round((waitUntil - clock.now()) / 1000)} s\n`);
        return;
      }
      backoffAttempt = 0;
      queue.shift();
      const submittedAt = clock.now();
      await o.journal({
        v: 1,
        kind: 'batch-job',
        target: target.name,
        deploymentId: deployment.id,
        fileId: next.fileId,
        jobId: created.job.id,
        submittedAt,
      });
      fileTokens.set(next.fileId, next.tokens);
      ledger.hold(created.job.id, next.tokens);
      active.push({ jobId: created.job.id, fileId: next.fileId, keys: next.keys, submittedAt, status: undefined });
    }
  };

  const onTerminal = async (a: Active, job: JobView) => {
    // One instant ends every cell's turnaround and is journaled as the job's collection time.
    const now = clock.now();
    ledger.release(a.jobId);
    active.splice(active.indexOf(a), 1);
    // Slow-fail regions: the quota failure arrives as a failed job; the file is resubmitted as is.
    if (job.status === 'failed' && job.errors.some((e) => e.code === 'token_limit_exceeded')) {
      queue.unshift({
        keys: a.keys,
        tokens: fileTokens.get(a.fileId) ?? o.resume?.files.get(a.fileId)?.tokens ?? 0,
        bytes: 0,
        fileId: a.fileId,
      });
      waitUntil = clock.now() + tokenLimitBackoffMs(backoffAttempt++, o.backoffBaseMs);
    } else {
      // Cells settle as the files stream in; if the download breaks, the next poll collects only the rest.
      const cells = collectJob(
        o.client,
        job,
        a.keys.filter((k) => pending.has(k)),
        target.api,
        { deploymentId: deployment.id, submittedAt: a.submittedAt, now },
      );
      let unrun = 0;
      for await (const c of cells) {
        const item = pending.get(c.key);
        if (!item) continue;
        pending.delete(c.key);
        if (c.outcome.status === 'failed' && c.outcome.reason === 'aborted') unrun++;
        await o.settle(item, c.outcome);
      }
      notRun += unrun;
      if (unrun > 0)
        o.progress?.(`batch ${target.name} ${a.jobId}: ${unrun} cell(s) not run (${job.status}); --resume sends only them again\n`);
    }
    await o.journal({ v: 1, kind: 'batch-collected', target: target.name, jobId: a.jobId, at: now });
  };

  const poll = async () => {
    for (const a of [...active]) {
      if (o.signal.aborted) return;
      let job: JobView;
      try {
        job = await o.client.retrieve(a.jobId);
      } catch {
        continue; // a failed poll is retried at the next interval
      }
      if (job.status !== a.status) {
        a.status = job.status;
        await o.journal({
          v: 1,
          kind: 'batch-status',
          target: target.name,
          jobId: a.jobId,
          status: job.status,
          counts: job.counts,
          ...(job.errors.length ? { errors: job.errors } : {}),
          ...(Object.keys(job.times).length ? { times: job.times } : {}),
          at: clock.now(),
        });
        const c = job.counts;
        o.progress?.(
          `batch ${target.name} ${a.jobId}: ${job.status}${c ? ` ${c.completed + c.failed}/${c.total} (${c.failed} failed)` : ''}\n`,
        );
      }
      if (!TERMINAL_STATUSES.has(job.status)) continue;
      try {
        await onTerminal(a, job);
      } catch (error) {
        // A failed download is retried at the next poll: the job stays active and nothing was recorded twice.
        if (!active.includes(a)) active.push(a);
        ledger.hold(a.jobId, 0);
        o.progress?.(`batch ${target.name} ${a.jobId}: collecting results failed (${(error as Error).message}); retrying\n`);
      }
    }
  };

  while ((queue.length > 0 || active.length > 0) && !o.signal.aborted) {
    try {
      await submitReady();
    } catch (error) {
      // Upload or create refused for good (auth, bad request): the file's cells fail, the rest go on.
      const failed = queue.shift();
      if (failed) await failCells(failed.keys, 'batch_submit_failed', (error as Error).message);
      continue;
    }
    if (active.length === 0 && queue.length > 0 && clock.now() < waitUntil) await sleep(clock, waitUntil - clock.now(), o.signal);
    else if (active.length > 0) {
      await sleep(clock, settings.pollIntervalMs, o.signal);
      await poll();
    }
  }
  return { leftRunning: active.map((a) => a.jobId), notRun };
}
