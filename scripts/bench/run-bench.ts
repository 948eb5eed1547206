/**
 * The benchmark driver: for each scenario, one emulator process, our scheduler, the bound, and (where
 * the targets of issue #4 compare them) the baselines on the same seed; then throughput, memory and
 * micro-benchmarks. Returns the report object; scripts/bench.ts handles the CLI and the files.
 */
import { createRng } from '../../src/internal/rng.ts';
import type { GateSnapshot, SchedulerOptions } from '../../src/scheduler/scheduler.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import { baselines } from './baselines.ts';
import { scenarioBound } from './bound-for.ts';
import { spawnEmulator } from './emulator-process.ts';
import type { ScenarioReport } from './report.ts';
import { scenarioReport } from './report.ts';
import type { Strategy, StrategyResult } from './run-strategy.ts';
import { runStrategy } from './run-strategy.ts';
import type { Scenario, ScenarioId } from './scenarios.ts';
import { buildScenario } from './scenarios.ts';
import { serverTruth } from './server-truth.ts';

export interface BenchOptions {
  readonly scenarios: readonly ScenarioId[];
  readonly quick: boolean;
  readonly seed: number;
  readonly baselines: boolean;
  readonly log: (line: string) => void;
}

/** Tuning experiments: extra SchedulerOptions as JSON, e.g. BATCHBENCH_TUNE='{"expiryGuardMs":500}'. */
const tuning = JSON.parse(process.env['BATCHBENCH_TUNE'] ?? '{}') as SchedulerOptions;

/** Ours, with defaults except the prior latency (gpt-4o answers in ≈ 3 s). */
export const ours: Strategy = {
  name: 'batchbench scheduler',
  create: ({ clock, random }) => {
    const start = clock.now();
    const diagnostics =
      process.env['BATCHBENCH_DEBUG'] === '1'
        ? {
            everyMs: 30_000,
            onSnapshot: (gates: readonly GateSnapshot[]) =>
              console.error(
                `t=${Math.round((clock.now() - start) / 1000)}s ${gates.map((g) => `${g.id} if=${g.inFlight}/${g.cap} β=${g.beta.toFixed(2)} p=${Math.max(0, Math.round((g.pauseUntil - clock.now()) / 100) / 10)} tok=${Math.round(g.tokens.used / 1000)}/${Math.round((g.tokens.budget ?? 0) / 1000)}k skew=${Math.round(g.tokens.skewMs)}/${Math.round(g.requests.skewMs)} charge=${(g.chargeRatio ?? 1).toFixed(2)}`).join(' | ')}`,
              ),
          }
        : undefined;
    return createScheduler({ clock, random, priorLatencyMs: 3_000, ...(diagnostics ? { diagnostics } : {}), ...tuning });
  },
};

export async function withEmulator<T>(
  scenario: Scenario,
  seed: number,
  fn: (emulator: Awaited<ReturnType<typeof spawnEmulator>>) => Promise<T>,
): Promise<T> {
  const emulator = await spawnEmulator({
    deployments: scenario.targets.flatMap((t) => t.members.map((m) => m.emulator)),
    seed,
    timeScale: scenario.timeScale,
    ...(scenario.zeroLatency ? { zeroLatency: true } : {}),
  });
  try {
    return await fn(emulator);
  } finally {
    await emulator.close();
  }
}

/** One scenario on several seeds (baselines on the first only); the caller takes medians (report.ts). */
export async function runScenarioSeeds(id: ScenarioId, options: BenchOptions, seeds: readonly number[]): Promise<ScenarioReport[]> {
  const runs: ScenarioReport[] = [];
  for (const [i, seed] of seeds.entries()) runs.push(await runScenario(id, { ...options, seed, baselines: options.baselines && i === 0 }));
  return runs;
}

export async function runScenario(id: ScenarioId, options: BenchOptions): Promise<ScenarioReport> {
  const scenario = buildScenario(id, { quick: options.quick, seed: options.seed });
  return withEmulator(scenario, options.seed, async (emulator) => {
    const mine = await runStrategy(scenario, emulator, ours, createRng(options.seed));
    // Read before a baseline resets the emulator: the bound of S11–S13 is built from the server's truth.
    const truth = await serverTruth(
      emulator,
      scenario.targets.flatMap((t) => t.members.map((m) => m.name)),
    );
    options.log(
      `${id} ours: ${(mine.makespanMs / 1000).toFixed(1)} s emulated in ${(mine.wallMs / 1000).toFixed(1)} s wall, ${mine.quota429} quota 429s, lost ${mine.lost}`,
    );
    const others: StrategyResult[] = [];
    if (scenario.baselines && options.baselines) {
      for (const baseline of baselines) {
        const strategy: Strategy = { name: baseline.name, create: ({ clock, random }) => baseline.create({ clock, random }) };
        const result = await runStrategy(scenario, emulator, strategy, createRng(options.seed));
        options.log(
          `${id} ${baseline.name}: ${(result.makespanMs / 1000).toFixed(1)} s, ${result.quota429} quota 429s, lost ${result.lost}`,
        );
        others.push(result);
      }
    }
    return scenarioReport(scenario, scenarioBound(scenario, mine.groups, mine.foreign, truth), mine, others);
  });
}
