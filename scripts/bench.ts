/**
 * `npm run bench`: the scheduler benchmark on the batchbench emulator (see scripts/bench/).
 *   --scenario S1   one scenario (repeatable or comma separated); none = S1–S9, S11–S13 (+ S10)
 *                   S11 realistic Azure, S12 = S12T + S12R (OpenAI-style, tokens / requests binding), S13 bare
 *   --scenario S10  the CLI end to end: peak RSS at 10k and 100k rows × 3 targets, cells/s (bench/s10-cli.ts)
 *   --quick         smoke size (≤ ~10 s per scenario)
 *   --seed N        first workload, emulator and jitter seed (default 1)
 *   --seeds K       seeds N … N+K−1 per scenario, medians reported (default 3 in full mode, 1 with --quick)
 *   --no-baselines  skip the baselines on S1–S3
 *   --only-micro    micro-benchmarks only
 * Writes reports/bench/latest.json and prints a markdown table.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { memoryScenario } from './bench/memory.ts';
import { microBenchmarks } from './bench/micro.ts';
import { boundViolations, markdown, seedsMarkdown, seedsSummary } from './bench/report.ts';
import { runScenarioSeeds } from './bench/run-bench.ts';
import { s10Cli } from './bench/s10-cli.ts';
import type { ScenarioId } from './bench/scenarios.ts';
import { scenarioAliases, scenarioIds } from './bench/scenarios.ts';
import { throughput } from './bench/throughput.ts';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', multiple: true },
    quick: { type: 'boolean', default: false },
    seed: { type: 'string', default: '1' },
    seeds: { type: 'string' },
    'no-baselines': { type: 'boolean', default: false },
    'only-micro': { type: 'boolean', default: false },
    out: { type: 'string', default: 'reports/bench/latest.json' },
  },
});

const requestedAll = (values.scenario ?? [])
  .flatMap((v) => v.split(','))
  .map((v) => v.trim().toUpperCase())
  .filter(Boolean)
  .flatMap((id): string[] => [...(scenarioAliases[id] ?? [id])]);
// S10 is the CLI end to end (scripts/bench/s10-cli.ts), not a scheduler scenario.
const wantsS10 = requestedAll.includes('S10');
const requested = requestedAll.filter((id) => id !== 'S10');
const unknown = requested.filter((id) => !(scenarioIds as readonly string[]).includes(id));
if (unknown.length > 0) {
  console.error(`unknown scenario ${unknown.join(', ')} (known: ${scenarioIds.join(', ')})`);
  process.exitCode = 2;
} else {
  const quick = values.quick ?? false;
  const seed = Number(values.seed);
  const log = (line: string) => console.error(line);
  const scenarios = values['only-micro'] ? [] : requested.length > 0 ? (requested as ScenarioId[]) : wantsS10 ? [] : scenarioIds;
  const seedCount = Number(values.seeds ?? (quick ? 1 : 3));
  const seeds = Array.from({ length: Math.max(1, seedCount) }, (_, i) => seed + i);
  const reports = [];
  const summaries = [];
  for (const id of scenarios) {
    const runs = await runScenarioSeeds(id, { scenarios, quick, seed, baselines: !values['no-baselines'], log }, seeds);
    reports.push(...runs);
    summaries.push(seedsSummary(runs));
  }
  const everything = requestedAll.length === 0 && !values['only-micro'];
  const extra = everything ? { throughput: await throughput({ quick, seed, log }), memory: await memoryScenario({ quick, log }) } : {};
  const s10 =
    everything || wantsS10
      ? { s10_cli: await s10Cli({ rows: quick ? [1_000, 5_000] : [10_000, 100_000], runs: quick ? 1 : 3, stream: true, log }) }
      : {};
  const micro = await microBenchmarks({ quick });
  const violations = boundViolations(reports);
  const report = {
    generatedAt: new Date().toISOString(),
    quick,
    seeds,
    medians: summaries,
    scenarios: reports,
    bound_violations: violations,
    ...extra,
    ...s10,
    micro,
    method: method(),
  };
  await mkdir(new URL('../reports/bench/', import.meta.url), { recursive: true });
  await writeFile(new URL(`../${values.out}`, import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
  console.log(markdown(reports));
  if (summaries.length > 0) console.log(`\n${seedsMarkdown(summaries)}`);
  // A ratio above 1 means the bound was beaten: it is not a bound, and the run fails.
  for (const v of violations) console.error(`BOUND VIOLATED: ${v}`);
  if (violations.length > 0) process.exitCode = 1;
  if (everything) console.log(`\nthroughput: ${JSON.stringify(extra.throughput)}\nmemory: ${JSON.stringify(extra.memory)}`);
  if (s10.s10_cli) console.log(`\nS10 CLI: ${JSON.stringify(s10.s10_cli)}`);
  console.log(`\nmicro: ${JSON.stringify(micro)}`);
}

function method(): Record<string, string> {
  return {
    time: 'emulated: the emulator runs with timeScale N and the scheduler on a ScaledClock with the same N; windows, latencies and hints are realistic, wall time is ÷ N',
    emulator: 'a child process (scripts/bench/emulator-child.ts), so its CPU and memory are not charged to the client process',
    bound:
      'window-integral closed form (src/scheduler/bound.ts) from the server’s real limits; L_min = shortest successful attempt of the group in our run',
    ratio: 'bound ÷ makespan (≤ 1, 1 = optimal); baselines: ratio_vs_ours = their makespan ÷ ours (> 1: we are faster)',
    cpu: 'client_cpu_us_per_attempt = process.cpuUsage() of the client process (scheduler + openai SDK + HTTP + harness) ÷ attempts; scheduler-only CPU is in memory.cpu_us_per_request (in-process zero-latency handles) and micro',
    lost: 'items settled failed for a retryable reason (exhausted, unavailable, deadline); fatal 400s are results, not losses',
    seeds:
      'each scenario runs on K seeds (workload, emulator draws, scheduler jitter); medians and spread per scenario in `medians`; baselines on the first seed only',
    endpoints:
      'S1–S9 use the exact Azure emulator (server charge = client estimate); S11 adds the realistic profile, S12T/S12R are the OpenAI dialect (+ realistic), S13 the bare dialect; their bounds use the server’s admitted charges and, for S13, its service times (scripts/bench/server-truth.ts)',
  };
}
