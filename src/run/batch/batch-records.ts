/**
 * Journal records of Global Batch work: files uploaded (with the cell keys they carry), jobs submitted,
 * status transitions with request counts, and jobs whose results were collected. Readers that do not
 * know these kinds skip them (the report fold switches on the kinds it knows). A resume rebuilds from
 * them which jobs to re-attach to and which uploaded files still need a job.
 */
import { readJournal } from '../../sink/read-journal.ts';

export interface BatchFileRecord {
  readonly v: 1;
  readonly kind: 'batch-file';
  readonly target: string;
  readonly deploymentId: string;
  readonly fileId: string;
  readonly keys: readonly string[];
  readonly tokens: number;
  readonly bytes: number;
  readonly at: string;
}

export interface BatchJobRecord {
  readonly v: 1;
  readonly kind: 'batch-job';
  readonly target: string;
  readonly deploymentId: string;
  readonly fileId: string;
  readonly jobId: string;
  /** Epoch ms: the start of turnaround. */
  readonly submittedAt: number;
}

export interface BatchStatusRecord {
  readonly v: 1;
  readonly kind: 'batch-status';
  readonly target: string;
  readonly jobId: string;
  readonly status: string;
  readonly counts: { readonly total: number; readonly completed: number; readonly failed: number } | null;
  readonly errors?: readonly { readonly code: string; readonly message: string; readonly line: number | null }[];
  /** The service's own transition times (`created`, `in_progress`, … → epoch ms), for the report's job timeline. */
  readonly times?: Readonly<Record<string, number>>;
  readonly at: number;
}

export interface BatchCollectedRecord {
  readonly v: 1;
  readonly kind: 'batch-collected';
  readonly target: string;
  readonly jobId: string;
  readonly at: number;
}

export type BatchRecord = BatchFileRecord | BatchJobRecord | BatchStatusRecord | BatchCollectedRecord;

export interface BatchResumeState {
  readonly files: Map<string, BatchFileRecord>;
  /** Jobs by id, with their last status and whether their results were collected. */
  readonly jobs: Map<string, { record: BatchJobRecord; status: string | undefined; collected: boolean }>;
}

const BATCH_KINDS = new Set(['batch-file', 'batch-job', 'batch-status', 'batch-collected']);

export function isBatchRecord(record: { kind: string }): record is BatchRecord {
  return BATCH_KINDS.has(record.kind);
}

/** The batch state of one target from an earlier run's journal (empty when there is none). */
export async function loadBatchResume(journalPath: string, target: string): Promise<BatchResumeState> {
  const state: BatchResumeState = { files: new Map(), jobs: new Map() };
  for await (const r of readJournal(journalPath)) {
    const record = r as unknown as BatchRecord;
    if (!isBatchRecord(record) || record.target !== target) continue;
    if (record.kind === 'batch-file') state.files.set(record.fileId, record);
    else if (record.kind === 'batch-job') state.jobs.set(record.jobId, { record, status: undefined, collected: false });
    else {
      const job = state.jobs.get(record.jobId);
      if (!job) continue;
      if (record.kind === 'batch-status') job.status = record.status;
      else job.collected = true;
    }
  }
  return state;
}
