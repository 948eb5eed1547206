/**
 * What an interrupted run left behind: keys with a final record (never sent again), and successful
 * attempts whose result was not yet recorded when the process died (re-scored, not re-sent).
 */
import { readJournal } from '../sink/read-journal.ts';
import type { AttemptRecord } from '../types.ts';

export interface ResumeState {
  /** Keys whose latest final record is a success or a non-retryable failure to keep. */
  readonly completed: Set<string>;
  /** Keys whose latest final record is a failure. */
  readonly failed: Set<string>;
  /** Successful attempts with their answer but no result record yet, by key. */
  readonly recovered: Map<string, AttemptRecord>;
}

export async function loadResumeState(journalPath: string): Promise<ResumeState> {
  const completed = new Set<string>();
  const failed = new Set<string>();
  const okAttempts = new Map<string, AttemptRecord>();
  for await (const record of readJournal(journalPath)) {
    if (record.kind === 'attempt' && record.outcome === 'ok' && record.output !== undefined) okAttempts.set(record.key, record);
    else if (record.kind === 'result') {
      completed.add(record.key);
      if (record.status === 'failed') failed.add(record.key);
      else failed.delete(record.key);
    }
  }
  const recovered = new Map([...okAttempts].filter(([key]) => !completed.has(key)));
  return { completed, failed, recovered };
}
