/**
 * Runs the emulator in a worker thread, so a same-process benchmark (scheduler + SDK on the main thread)
 * does not share one event loop with the server. The handle talks to the /_emulator admin API over HTTP,
 * so it has the same operations as EmulatorHandle, only asynchronous.
 */
import { Worker } from 'node:worker_threads';
import type { EmulatorConfig } from './config.ts';
import { EmulatorConfigError, validateEmulatorConfig } from './config.ts';
import type { EmulatorPatch } from './emulator-core.ts';
import type { FaultSpec } from './fault-types.ts';
import type { AdmissionRecord, EmulatorStats } from './stats.ts';

export interface RemoteEmulatorHandle {
  baseURL: string;
  apiKey: string;
  url: string;
  port: number;
  close(): Promise<void>;
  stats(): Promise<EmulatorStats>;
  reset(): Promise<void>;
  patch(p: EmulatorPatch): Promise<void>;
  faults(): Promise<FaultSpec[]>;
  addFault(f: FaultSpec): Promise<FaultSpec>;
  setFaults(list: FaultSpec[]): Promise<void>;
  clearFaults(): Promise<void>;
  admissionLog(deployment: string): Promise<AdmissionRecord[]>;
}

type Ready = { type: 'ready'; url: string; baseURL: string; apiKey: string; port: number };

export async function startEmulatorInWorker(config: EmulatorConfig, options: { port?: number } = {}): Promise<RemoteEmulatorHandle> {
  validateEmulatorConfig(config); // one-line issues in the caller's thread
  if (config.acceptBearer) throw new EmulatorConfigError(['acceptBearer: a function cannot be passed to a worker thread']);
  const worker = new Worker(new URL('./worker-entry.ts', import.meta.url), { workerData: { config, port: options.port } });
  const ready = await new Promise<Ready>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (m: Ready | { type: 'error'; message: string }) =>
      m.type === 'ready' ? resolve(m) : reject(new Error(m.message)),
    );
  });
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${ready.url}${path}`, {
      method,
      headers: { 'api-key': ready.apiKey, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as T & { error?: { message: string; issues?: string[] } };
    if (!res.ok) throw new EmulatorConfigError(json.error?.issues ?? [json.error?.message ?? `HTTP ${res.status}`]);
    return json;
  };
  let closing: Promise<void> | undefined;
  return {
    baseURL: ready.baseURL,
    apiKey: ready.apiKey,
    url: ready.url,
    port: ready.port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        worker.postMessage({ type: 'close' });
      });
      return closing;
    },
    stats: () => call<EmulatorStats>('GET', '/_emulator/stats'),
    reset: async () => void (await call('POST', '/_emulator/reset', {})),
    patch: async (p) => void (await call('PATCH', '/_emulator/config', p)),
    faults: () => call<FaultSpec[]>('GET', '/_emulator/faults'),
    addFault: async (f) => (await call<FaultSpec[]>('POST', '/_emulator/faults', f))[0] as FaultSpec,
    async setFaults(list) {
      await call('DELETE', '/_emulator/faults');
      if (list.length > 0) await call('POST', '/_emulator/faults', list);
    },
    clearFaults: async () => void (await call('DELETE', '/_emulator/faults')),
    admissionLog: (d) => call<AdmissionRecord[]>('GET', `/_emulator/admissions?deployment=${encodeURIComponent(d)}`),
  };
}
