/**
 * tinybench micro-benchmarks of the scheduler's hot path: the gate's admission check (earliest start over
 * a full sliding log), the earliest-feasible-start choice over a pool, the per-attempt accounting, and a
 * whole run of zero-latency items (dispatch + mirrors + accounting + settling per request).
 */
import { Bench } from 'tinybench';
import { systemClock } from '../../src/internal/clock.ts';
import { resolveSchedulerOptions } from '../../src/scheduler/defaults.ts';
import { Gate } from '../../src/scheduler/gate.ts';
import type { Choice } from '../../src/scheduler/lane.ts';
import { chooseGate } from '../../src/scheduler/lane.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import type { Completion } from '../../src/types.ts';
import { round } from './report.ts';
import { zeroLatencyHandle, zeroLatencyItems } from './zero-latency.ts';

const completion = (rate: Completion['rate']): Completion => ({
  text: '',
  finishReason: 'stop',
  usage: { promptTokens: 1, completionTokens: 100, reasoningTokens: 0, cachedTokens: 0 },
  timing: { startedAt: 0, endMs: 0 },
  rate,
  status: 200,
  requestId: null,
  region: null,
  model: null,
});

/** A gate with a realistic sliding log: 200 entries spread over the last window. */
function busyGate(id: string, now: number): Gate {
  const options = resolveSchedulerOptions({ random: () => 0.5 }, systemClock);
  const gate = new Gate(
    { id, limits: { tpm: 400_000, rpm: 2_400 }, maxConcurrency: 256, execute: () => Promise.reject(new Error('unused')) },
    options,
    now - 60_000,
  );
  for (let i = 0; i < 200; i++) {
    const t = now - 60_000 + i * 290;
    gate.onSuccess(t + 1, gate.onDispatch(t, 1_900), completion({ limitTokens: 400_000, limitRequests: 400 }));
  }
  return gate;
}

export async function microBenchmarks(options: { quick: boolean }): Promise<Record<string, number>> {
  const now = 1_000_000;
  const pool = [busyGate('a', now), busyGate('b', now), busyGate('c', now)];
  const choice: Choice = { gate: undefined, at: 0, fits: false };
  let t = now;
  const accountingGate = busyGate('acct', now);
  const bench = new Bench({ time: options.quick ? 100 : 400, warmupTime: 50 });
  bench
    .add('gate admission check (earliestStart, 200-entry log)', () => {
      (pool[0] as Gate).earliestStart(now, 1_900);
    })
    .add('EFS choice over a 3-member pool', () => {
      chooseGate(pool, now, 1_900, choice);
    })
    .add('accounting: onDispatch + onSuccess', () => {
      t += 300;
      accountingGate.onSuccess(t + 1, accountingGate.onDispatch(t, 1_900), completion({ limitTokens: 400_000, remainingTokens: 100_000 }));
    });
  await bench.run();
  const result: Record<string, number> = {};
  for (const task of bench.tasks) {
    const r = task.result;
    if (r && 'latency' in r) result[`${task.name} µs`] = round(r.latency.mean * 1000, 3);
  }
  // end to end: per-request CPU of the whole scheduler loop with zero-latency deployments
  const rows = options.quick ? 5_000 : 30_000;
  const spec = { rows, promptMedian: 50, promptSigma: 0.1, promptMax: 100, seed: 1 };
  const cpu = process.cpuUsage();
  let settled = 0;
  await createScheduler({}).run(
    [{ target: 'x', items: zeroLatencyItems(spec, 'x'), deployments: [zeroLatencyHandle('x/a'), zeroLatencyHandle('x/b')] }],
    { onSettled: () => void settled++ },
    new AbortController().signal,
  );
  const used = process.cpuUsage(cpu);
  result['full scheduler loop CPU per request µs (zero-latency handles, incl. item generation)'] = round(
    (used.user + used.system) / settled,
    2,
  );
  return result;
}
