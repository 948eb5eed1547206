/**
 * Where load requests run: on the main thread, or spread over N worker threads (one scheduler, N
 * transports) so the SDK's ≈ 2 ms of CPU per request does not cap throughput at one core. Both report
 * each thread's client overhead (event-loop lag, CPU) for the step.
 */
import { setMaxListeners } from 'node:events';
import { Worker } from 'node:worker_threads';
import { systemClock } from '../internal/clock.ts';
import { startClientMonitor } from '../load/client-monitor.ts';
import { createReleaseGate } from '../load/release-gate.ts';
import { createProvider } from '../providers/registry.ts';
import type { Provider } from '../providers/provider.ts';
import type { ClientOverheadRecord } from '../report/load/load-records.ts';
import type { PromptInput, ResolvedTarget } from '../types.ts';
import { createHttpFetch } from './load-http-fetch.ts';
import { executeLoadRequest, stampingFetch, type LoadOutcome } from './load-execute.ts';

export interface LoadJob {
  readonly target: number;
  readonly deployment: number;
  readonly input: PromptInput;
  /** Requests of one step share a key, so a step's stragglers can be cut at once. */
  readonly stepKey: string;
  /** Open loop: the due time (epoch ms). The request may be built before it but is sent no earlier. */
  readonly releaseAt?: number;
}

export interface LoadTransport {
  readonly workers: number;
  /** Resolves once every worker has loaded its modules: thread start-up never lands in a step. */
  readonly ready: Promise<void>;
  run(job: LoadJob): Promise<LoadOutcome>;
  /** Aborts every request of the step still in flight (recorded as `aborted`). */
  abortStep(stepKey: string): void;
  /**
   * Calls `poll` whenever this thread has handled a unit of response work (a chunk, a worker's answer),
   * so an open-loop pacer on this thread sends due arrivals between them. Returns an unsubscribe.
   */
  checkpoint(poll: () => void): () => void;
  /** Starts measuring overhead on every thread; the returned function stops and reports it. */
  monitor(): () => Promise<ClientOverheadRecord[]>;
  close(): Promise<void>;
}

export function createLoadTransport(
  targets: readonly ResolvedTarget[],
  env: Readonly<Record<string, string | undefined>>,
  workers: number,
): LoadTransport {
  return workers <= 0 ? mainThreadTransport(targets, env) : workerTransport(targets, env, workers);
}

/**
 * Providers by (target, deployment) index, created on first use, and the thread's release gate (requests
 * built ahead of their due time wait there; it is checked per response chunk, like the pacer). Shared
 * with the worker entry.
 */
export function providerTable(
  targets: readonly ResolvedTarget[],
  env: Readonly<Record<string, string | undefined>>,
  onActivity?: () => void,
): (t: number, d: number) => Provider {
  const cache = new Map<string, Provider>();
  const gate = createReleaseGate(systemClock);
  const activity = () => {
    gate.poll();
    onActivity?.();
  };
  const fetchImpl = stampingFetch(systemClock, createHttpFetch(activity), gate);
  return (t, d) => {
    const key = `${t}/${d}`;
    let provider = cache.get(key);
    if (!provider) {
      const target = targets[t]!;
      provider = createProvider(target, target.deployments[d]!, { env, fetch: fetchImpl });
      cache.set(key, provider);
    }
    return provider;
  };
}

/** Aborts per step key. */
export function stepAborts(): { signal(key: string): AbortSignal; abort(key: string): void } {
  const controllers = new Map<string, AbortController>();
  return {
    signal(key) {
      let c = controllers.get(key);
      if (!c) {
        c = new AbortController();
        controllers.set(key, c);
        // Every request of a step listens to this signal: hundreds in flight are expected, not a leak.
        setMaxListeners(0, c.signal);
      }
      return c.signal;
    },
    abort(key) {
      controllers.get(key)?.abort(new Error('step ended'));
      controllers.delete(key);
    },
  };
}

// --- internal ---

/** The checkpoint subscribers of one thread; `fire` is cheap when nobody listens. */
function activityHub(): { fire: () => void; subscribe: (fn: () => void) => () => void } {
  const listeners = new Set<() => void>();
  return {
    fire: () => {
      for (const fn of listeners) fn();
    },
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}

function mainThreadTransport(targets: readonly ResolvedTarget[], env: Readonly<Record<string, string | undefined>>): LoadTransport {
  const activity = activityHub();
  const providers = providerTable(targets, env, activity.fire);
  const aborts = stepAborts();
  return {
    workers: 0,
    checkpoint: activity.subscribe,
    ready: Promise.resolve(),
    run: (job) =>
      executeLoadRequest(providers(job.target, job.deployment), job.input, aborts.signal(job.stepKey), systemClock, job.releaseAt),
    abortStep: (key) => aborts.abort(key),
    monitor() {
      const m = startClientMonitor();
      return async () => [{ thread: 'main', ...m.stop() }];
    },
    close: async () => undefined,
  };
}

type FromWorker =
  | { type: 'ready' }
  | { type: 'done'; id: number; outcome: LoadOutcome }
  | { type: 'overhead'; id: number; overhead: Omit<ClientOverheadRecord, 'thread'> };

function workerTransport(
  targets: readonly ResolvedTarget[],
  env: Readonly<Record<string, string | undefined>>,
  count: number,
): LoadTransport {
  const activity = activityHub();
  const pending = new Map<number, (value: never) => void>();
  let nextId = 0;
  let turn = 0;
  const started: Promise<void>[] = [];
  const threads = Array.from({ length: count }, () => {
    const worker = new Worker(new URL('./load-worker-entry.ts', import.meta.url), { workerData: { targets, env: { ...env } } });
    started.push(
      new Promise<void>((resolve, reject) => {
        worker.on('message', (m: FromWorker) => m.type === 'ready' && resolve());
        worker.once('error', reject);
      }),
    );
    worker.on('message', (m: FromWorker) => {
      activity.fire();
      if (m.type === 'ready') return;
      const resolve = pending.get(m.id);
      pending.delete(m.id);
      resolve?.((m.type === 'done' ? m.outcome : m.overhead) as never);
    });
    worker.unref();
    return worker;
  });
  const call = <T>(worker: Worker, message: object): Promise<T> =>
    new Promise<T>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve as (value: never) => void);
      worker.postMessage({ ...message, id });
    });
  return {
    workers: count,
    checkpoint: activity.subscribe,
    ready: Promise.all(started).then(() => undefined),
    // Round robin: workers get equal shares, so none saturates while another idles.
    run: (job) => call<LoadOutcome>(threads[turn++ % count]!, { type: 'job', job }),
    abortStep: (stepKey) => {
      for (const w of threads) w.postMessage({ type: 'abort', stepKey });
    },
    monitor() {
      const main = startClientMonitor();
      for (const w of threads) w.postMessage({ type: 'monitor-start' });
      return async () => {
        const mine = { thread: 'scheduler', ...main.stop() };
        const theirs = await Promise.all(
          threads.map((w, i) =>
            call<Omit<ClientOverheadRecord, 'thread'>>(w, { type: 'monitor-stop' }).then((o) => ({ thread: `transport-${i + 1}`, ...o })),
          ),
        );
        return [mine, ...theirs];
      };
    },
    async close() {
      await Promise.all(threads.map((w) => w.terminate()));
    },
  };
}
