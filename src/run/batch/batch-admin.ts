/**
 * `batchbench batch status|cancel DIR`: the Global Batch jobs a run journaled, asked of the service with
 * the run's own deployments (from its manifest). Cancel is explicit: a run never cancels paid work by itself.
 */
import { join } from 'node:path';
import { createBatchClient, TERMINAL_STATUSES } from '../../providers/batch-client.ts';
import type { ProviderDeps } from '../../providers/provider.ts';
import type { ResolvedTarget } from '../../types.ts';
import { readManifest } from '../manifest.ts';
import { loadBatchResume } from './batch-records.ts';

export interface BatchJobLine {
  readonly target: string;
  readonly jobId: string;
  readonly status: string;
  readonly counts: string;
  readonly collected: boolean;
  readonly error?: string;
}

export async function batchJobs(runDir: string, action: 'status' | 'cancel', deps: ProviderDeps): Promise<BatchJobLine[]> {
  const manifest = await readManifest(runDir);
  const targets = ((manifest.config as { targets?: ResolvedTarget[] }).targets ?? []).filter((t) => t.mode === 'batch');
  const lines: BatchJobLine[] = [];
  for (const target of targets) {
    const state = await loadBatchResume(join(runDir, 'journal.jsonl'), target.name);
    const client = createBatchClient(target.deployments[0]!, deps);
    for (const job of state.jobs.values()) {
      const base = { target: target.name, jobId: job.record.jobId, collected: job.collected };
      try {
        let view = await client.retrieve(job.record.jobId);
        if (action === 'cancel' && !TERMINAL_STATUSES.has(view.status) && view.status !== 'cancelling')
          view = await client.cancel(job.record.jobId);
        const c = view.counts;
        lines.push({ ...base, status: view.status, counts: c ? `${c.completed + c.failed}/${c.total} (${c.failed} failed)` : '—' });
      } catch (error) {
        // The service cannot be reached (e.g. the run's embedded emulator is gone): show the journaled state.
        lines.push({ ...base, status: job.status ?? 'submitted', counts: '—', error: (error as Error).message });
      }
    }
  }
  return lines;
}
