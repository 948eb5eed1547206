/**
 * The Global Batch job timeline, folded from the journal's batch records (`batch-job`, `batch-status`,
 * `batch-collected`; written by run/batch/, read here by shape because report/ never imports run/).
 * Per job: when it was submitted, when it went in progress, finalizing and ended, its last request
 * counts and when its results were collected. Journal data only, so `batchbench report DIR` re-renders
 * it byte for byte. Lifecycle times are the service's own timestamps when the job object carried them
 * (so a transition between two polls still has its time), else when a poll first saw the status.
 */
import type { BatchJobTimeline } from './summary-types.ts';

type Counts = { readonly total: number; readonly completed: number; readonly failed: number } | null;

/** The fields of the batch journal records the timeline reads. */
export type BatchTimelineRecord =
  | { readonly kind: 'batch-job'; readonly target: string; readonly jobId: string; readonly submittedAt: number }
  | {
      readonly kind: 'batch-status';
      readonly target: string;
      readonly jobId: string;
      readonly status: string;
      readonly counts: Counts;
      readonly errors?: readonly { readonly code: string }[];
      readonly times?: Readonly<Record<string, number>>;
      readonly at: number;
    }
  | { readonly kind: 'batch-collected'; readonly target: string; readonly jobId: string; readonly at: number };

const KINDS: ReadonlySet<string> = new Set(['batch-job', 'batch-status', 'batch-collected']);
const ENDED: ReadonlySet<string> = new Set(['completed', 'failed', 'expired', 'cancelled']);

export function isBatchTimelineRecord(record: { readonly kind: string }): record is BatchTimelineRecord {
  return KINDS.has(record.kind);
}

interface JobState {
  target: string;
  jobId: string;
  submittedAt: number;
  /** Status → epoch ms a poll first saw it. */
  seen: Map<string, number>;
  /** The service's timestamps from the latest status record (`in_progress` → ms, …). */
  times: Readonly<Record<string, number>>;
  status: string | null;
  counts: Counts;
  error: string | null;
  collectedAt: number | null;
}

export class BatchTimelineFold {
  readonly #jobs = new Map<string, JobState>();

  add(record: BatchTimelineRecord): void {
    if (record.kind === 'batch-job') {
      this.#jobs.set(record.jobId, {
        target: record.target,
        jobId: record.jobId,
        submittedAt: record.submittedAt,
        seen: new Map(),
        times: {},
        status: null,
        counts: null,
        error: null,
        collectedAt: null,
      });
      return;
    }
    const job = this.#jobs.get(record.jobId);
    if (!job) return; // a status without its job record (torn journal): nothing to place it against
    if (record.kind === 'batch-collected') {
      job.collectedAt ??= record.at;
      return;
    }
    if (!job.seen.has(record.status)) job.seen.set(record.status, record.at);
    job.status = record.status;
    if (record.counts) job.counts = record.counts;
    if (record.times) job.times = record.times;
    job.error ??= record.errors?.[0]?.code ?? null;
  }

  /** Jobs in submission order (ties by id). */
  finish(): BatchJobTimeline[] {
    return [...this.#jobs.values()]
      .sort((a, b) => a.submittedAt - b.submittedAt || (a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0))
      .map((job) => {
        const at = (status: string): number | null => job.times[status] ?? job.seen.get(status) ?? null;
        const ended = job.status !== null && ENDED.has(job.status) ? job.status : null;
        return {
          target: job.target,
          jobId: job.jobId,
          submittedAt: job.submittedAt,
          createdAt: job.times['created'] ?? null,
          inProgressAt: at('in_progress'),
          finalizingAt: at('finalizing'),
          status: job.status,
          endedAt: ended === null ? null : at(ended),
          counts: job.counts,
          error: job.error,
          collectedAt: job.collectedAt,
        };
      });
  }
}
