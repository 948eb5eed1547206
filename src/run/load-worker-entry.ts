/**
 * A transport worker thread: builds its own providers (its own SDK clients and connection pools) and
 * runs the jobs the scheduler thread posts, answering with the outcome. Holds no schedule of its own.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { systemClock } from '../internal/clock.ts';
import { startClientMonitor } from '../load/client-monitor.ts';
import type { ResolvedTarget } from '../types.ts';
import { executeLoadRequest } from './load-execute.ts';
import { providerTable, stepAborts, type LoadJob } from './load-transport.ts';

const data = workerData as { targets: ResolvedTarget[]; env: Record<string, string | undefined> };
const providers = providerTable(data.targets, data.env);
const aborts = stepAborts();
let monitor: ReturnType<typeof startClientMonitor> | undefined;

type ToWorker =
  | { type: 'job'; id: number; job: LoadJob }
  | { type: 'abort'; stepKey: string }
  | { type: 'monitor-start' }
  | { type: 'monitor-stop'; id: number };

parentPort!.on('message', (m: ToWorker) => {
  if (m.type === 'job') {
    void executeLoadRequest(
      providers(m.job.target, m.job.deployment),
      m.job.input,
      aborts.signal(m.job.stepKey),
      systemClock,
      m.job.releaseAt,
    ).then((outcome) => parentPort!.postMessage({ type: 'done', id: m.id, outcome }));
  } else if (m.type === 'abort') aborts.abort(m.stepKey);
  else if (m.type === 'monitor-start') monitor = startClientMonitor();
  else if (m.type === 'monitor-stop') {
    const overhead = monitor?.stop() ?? { lagP50Ms: 0, lagP99Ms: 0, lagMaxMs: 0, cpuMs: 0, wallMs: 0 };
    monitor = undefined;
    parentPort!.postMessage({ type: 'overhead', id: m.id, overhead });
  }
});

parentPort!.postMessage({ type: 'ready' });
