/**
 * A terminal job's files → one outcome per cell, yielded as the files stream in (a 100,000-line output
 * file is never held whole). Output and error lines become ok / failed outcomes with
 * their usage, finish reason and codes; lines the job never ran (`batch_expired`, `batch_cancelled`, or
 * absent from both files of an expired or cancelled job) become `aborted`, which records nothing, so a
 * resume sends them again.
 */
import type { BatchClient, JobView } from '../../providers/batch-client.ts';
import { parseBatchLine } from '../../providers/batch-output.ts';
import type { ApiKind, Outcome, SerializedError } from '../../types.ts';

export interface CollectedCell {
  readonly key: string;
  readonly outcome: Outcome;
}

const lineError = (code: string, message: string, category: SerializedError['category'], status?: number): SerializedError => ({
  name: 'BatchLineError',
  code,
  message,
  ...(category ? { category } : {}),
  ...(status === undefined ? {} : { status }),
  retryable: false,
});

export async function* collectJob(
  client: BatchClient,
  job: JobView,
  keys: readonly string[],
  api: ApiKind,
  ctx: { deploymentId: string; submittedAt: number; now: number },
): AsyncGenerator<CollectedCell> {
  const durationMs = Math.max(0, ctx.now - ctx.submittedAt);
  const base = { deploymentId: ctx.deploymentId, attempts: 1, durationMs };
  const wanted = new Set(keys);
  const aborted = (key: string, code: string, message: string): CollectedCell => ({
    key,
    outcome: { status: 'failed', reason: 'aborted', error: lineError(code, message, 'aborted'), ...base },
  });
  if (job.status === 'failed') {
    const e = job.errors[0] ?? { code: 'batch_failed', message: 'the batch job failed', line: null };
    const where = e.line === null ? '' : ` (input line ${e.line})`;
    for (const key of keys)
      yield {
        key,
        outcome: { status: 'failed', reason: 'fatal', error: lineError(e.code, `${e.message}${where}`, 'bad_request'), ...base },
      };
    return;
  }
  for (const fileId of [job.outputFileId, job.errorFileId]) {
    for await (const line of client.lines(fileId)) {
      if (line.trim() === '') continue;
      const r = parseBatchLine(line, api, { submittedAt: ctx.submittedAt, resultAt: ctx.now });
      if (!r || !wanted.delete(r.customId)) continue; // unknown or repeated ids are ignored
      if (r.ok) yield { key: r.customId, outcome: { status: 'ok', completion: r.completion, ...base } };
      else if (r.resumable) yield aborted(r.customId, r.code, r.message);
      else
        yield {
          key: r.customId,
          outcome: { status: 'failed', reason: 'fatal', error: lineError(r.code, r.message, r.category, r.status), ...base },
        };
    }
  }
  // Cells in neither file: not run (expired, cancelled) → resumable; a completed job that lost them → failed.
  for (const key of wanted) {
    yield job.status === 'completed'
      ? {
          key,
          outcome: {
            status: 'failed',
            reason: 'fatal',
            error: lineError('missing_output', 'the batch completed without a line for this cell', 'server'),
            ...base,
          },
        }
      : aborted(key, `batch_${job.status}`, `the batch ended ${job.status} before this line ran`);
  }
}
