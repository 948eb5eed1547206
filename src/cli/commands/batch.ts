/** `batchbench batch status DIR` and `batchbench batch cancel DIR`: the Global Batch jobs of a run. */
import { resolve } from 'node:path';
import { batchJobs } from '../../run/batch/batch-admin.ts';
import { redactText } from '../../internal/redact.ts';
import { EXIT, type CliIo } from '../io.ts';

export async function batchCommand(args: { readonly action: 'status' | 'cancel'; readonly runDir: string }, io: CliIo): Promise<number> {
  const runDir = resolve(io.cwd, args.runDir);
  const jobs = await batchJobs(runDir, args.action, { env: io.env });
  if (jobs.length === 0) {
    io.stdout(`no Global Batch jobs in ${runDir}\n`);
    return EXIT.ok;
  }
  for (const j of jobs) {
    // The service's error text may quote a header or a URL with a key.
    const note = j.error ? ` (journaled state; service not reachable: ${redactText(j.error)})` : j.collected ? ' (results recorded)' : '';
    io.stdout(`${j.target}  ${j.jobId}  ${j.status}  ${j.counts}${note}\n`);
  }
  if (args.action === 'status' && jobs.some((j) => !j.collected))
    io.stdout(`collect finished jobs with: batchbench eval --resume ${runDir}\n`);
  return EXIT.ok;
}
