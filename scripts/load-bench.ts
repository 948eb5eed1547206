/**
 * `npm run bench:load`: how many requests per second `batchbench load` can drive, with 1 and 2
 * transport worker threads (and the main thread alone for reference), against a zero-latency emulator
 * in a separate process (scripts/bench/emulator-process.ts), so the server never shares the client's
 * cores' event loop. Each run is one closed-loop step; the figure is successful responses per second.
 *   --duration 10s   step length     --concurrency 64   requests in flight     --quick   2 s steps
 * Prints a markdown table with the 2-worker / 1-worker ratio and writes reports/bench/load-latest.json.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDurationMs } from '../src/load/duration.ts';
import { syntheticWorkload } from '../src/run/load-workload.ts';
import { runLoad } from '../src/run/run-load.ts';
import type { ResolvedTarget } from '../src/types.ts';
import { spawnEmulator } from './bench/emulator-process.ts';

const { values } = parseArgs({ options: { duration: { type: 'string', default: '10s' }, concurrency: { type: 'string', default: '64' }, quick: { type: 'boolean', default: false }, out: { type: 'string', default: 'reports/bench/load-latest.json' } } });
const durationMs = values.quick ? 2000 : parseDurationMs(values.duration, '--duration');
const concurrency = Number(values.concurrency);

const emulator = await spawnEmulator({ seed: 1, zeroLatency: true, deployments: [{ name: 'mini', model: 'gpt-4.1-mini', capacity: 100_000_000, filterMode: 'off', heavyTail: false }] });
const target: ResolvedTarget = {
  name: 'mini', api: 'chat',
  params: { tokenLimitField: 'max_completion_tokens', stream: true, maxOutputTokens: 16 },
  deployments: [{ id: 'mini', baseURL: emulator.baseURL, deployment: 'mini', auth: { kind: 'api-key', apiKeyEnv: 'BENCH_KEY' }, limits: {}, maxConcurrency: 100_000, timeoutMs: 60_000 }],
};

const rows: Array<{ workers: number; rps: number; ok: number; errors: number; clientCpuMsPerRequest: number; clientBound: boolean }> = [];
try {
  for (const workers of [0, 1, 2]) {
    const runDir = join(await mkdtemp(join(tmpdir(), 'bb-load-bench-')), 'run');
    const { summary } = await runLoad({
      targets: [target], profile: { kind: 'concurrency', levels: [concurrency] }, profileText: `concurrency ${concurrency}`, arrivals: 'constant',
      durationMs, maxRequests: 10_000_000, saturationConcurrency: concurrency, workload: syntheticWorkload({ inputTokens: 50, outputTokens: 16, seed: 1 }),
      runDir, runId: `load-bench-${workers}`, env: { BENCH_KEY: emulator.apiKey }, signal: new AbortController().signal, workers, allow429: true, seed: '1',
    });
    const step = summary.targets[0]!.steps[0]!;
    const cpu = step.client.reduce((sum, c) => sum + c.cpuMs, 0);
    rows.push({ workers, rps: step.throughputRps, ok: step.ok, errors: step.requests - step.ok, clientCpuMsPerRequest: step.requests ? cpu / step.requests : 0, clientBound: step.clientBound });
    process.stderr.write(`workers=${workers}: ${step.throughputRps.toFixed(0)} req/s\n`);
  }
} finally {
  await emulator.close();
}

const one = rows.find((r) => r.workers === 1)!.rps;
const two = rows.find((r) => r.workers === 2)!.rps;
const lines = [
  `Load transport throughput, zero-latency emulator in its own process, ${concurrency} in flight, ${durationMs / 1000} s per run, ${availableParallelism()} CPU(s):`,
  '',
  '| transport | req/s | client CPU per request | errors | client-bound |',
  '|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.workers === 0 ? 'main thread' : `${r.workers} worker thread${r.workers > 1 ? 's' : ''}`} | ${r.rps.toFixed(0)} | ${r.clientCpuMsPerRequest.toFixed(2)} ms | ${r.errors} | ${r.clientBound ? 'yes' : 'no'} |`),
  '',
  `2 workers / 1 worker: ${(two / one).toFixed(2)}×`,
];
process.stdout.write(`${lines.join('\n')}\n`);
await mkdir(join(values.out, '..'), { recursive: true });
await writeFile(values.out, `${JSON.stringify({ durationMs, concurrency, cpus: availableParallelism(), rows, ratio2to1: two / one }, null, 2)}\n`);
