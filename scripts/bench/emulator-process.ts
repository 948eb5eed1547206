/** Parent side of emulator-child.ts: start, reset, read stats and CPU, close. */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { EmulatorConfig, EmulatorStats, FaultSpec } from '../../src/emulator/server.ts';

export interface EmulatorProcess {
  readonly baseURL: string;
  readonly apiKey: string;
  stats(): Promise<EmulatorStats>;
  /** Clears windows and counters, and replaces the fault schedule (fault times restart at 0). */
  reset(faults?: FaultSpec[]): Promise<void>;
  /** The child's CPU time so far. @unit microseconds */
  cpuMicros(): Promise<number>;
  close(): Promise<void>;
}

export async function spawnEmulator(config: EmulatorConfig): Promise<EmulatorProcess> {
  const child: ChildProcess = fork(new URL('./emulator-child.ts', import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let nextId = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (message: { id: number; result?: unknown; error?: string }) => {
    const entry = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.error !== undefined) entry?.reject(new Error(message.error));
    else entry?.resolve(message.result);
  });
  child.on('exit', () => {
    for (const entry of waiting.values()) entry.reject(new Error('emulator process exited'));
    waiting.clear();
  });
  const call = <T>(command: Record<string, unknown>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, ...command });
    });
  const started = await call<{ baseURL: string; apiKey: string }>({ op: 'start', config });
  return {
    baseURL: started.baseURL,
    apiKey: started.apiKey,
    stats: () => call<EmulatorStats>({ op: 'stats' }),
    reset: async (faults = []) => void (await call({ op: 'reset', faults })),
    cpuMicros: async () => {
      const usage = await call<{ user: number; system: number }>({ op: 'cpu' });
      return usage.user + usage.system;
    },
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await call({ op: 'close' }).catch(() => undefined);
      await exited;
    },
  };
}
