/**
 * Throughput through the real client path: zero-latency, unlimited-quota emulator deployments (emulator
 * in its own process), our scheduler, the batchbench provider and the openai SDK over loopback HTTP.
 */
import { createRng } from '../../src/internal/rng.ts';
import { ours, withEmulator } from './run-bench.ts';
import { round } from './report.ts';
import { runStrategy } from './run-strategy.ts';
import { throughputScenario } from './scenarios.ts';

export async function throughput(options: { quick: boolean; seed: number; log: (line: string) => void }): Promise<Record<string, number>> {
  const scenario = throughputScenario({ quick: options.quick, seed: options.seed });
  return withEmulator(scenario, options.seed, async (emulator) => {
    const cpuBefore = await emulator.cpuMicros();
    const result = await runStrategy(scenario, emulator, ours, createRng(options.seed));
    const emulatorCpu = (await emulator.cpuMicros()) - cpuBefore;
    const completed = result.groups.reduce((s, g) => s + g.completed, 0);
    const perSecond = completed / (result.wallMs / 1000);
    options.log(`throughput: ${Math.round(perSecond)} completed requests/s`);
    return {
      requests: completed,
      completed_per_s: Math.round(perSecond),
      client_cpu_us_per_request: round(result.clientCpuPerAttemptUs, 0),
      emulator_cpu_us_per_request: round(emulatorCpu / Math.max(1, completed), 0),
      peak_in_flight: result.peakInFlight,
      lost: result.lost,
    };
  });
}
