/** Builds bare gates for unit tests of gate math and member choice. */
import { systemClock } from '../../../src/internal/clock.ts';
import type { SchedulerOptions } from '../../../src/scheduler/defaults.ts';
import { resolveSchedulerOptions } from '../../../src/scheduler/defaults.ts';
import { Gate } from '../../../src/scheduler/gate.ts';
import type { DeploymentHandle } from '../../../src/types.ts';
import { completion } from './fake-deployment.ts';

export function handle(id: string, limits: { tpm?: number; rpm?: number }, maxConcurrency = 64): DeploymentHandle {
  return { id, limits, maxConcurrency, execute: () => Promise.reject(new Error('not used')) };
}

export function gate(id: string, limits: { tpm?: number; rpm?: number }, options: SchedulerOptions = {}, now = 0): Gate {
  return new Gate(handle(id, limits), resolveSchedulerOptions({ random: () => 0, ...options }, systemClock), now);
}

/** One successful round trip with headers, so the gate leaves its first-contact state. */
export function contact(g: Gate, now: number, rate: { limitTokens?: number; limitRequests?: number } = {}): void {
  const ticket = g.onDispatch(now, 1);
  g.onSuccess(now + 1, ticket, completion(now, 1, rate));
}
