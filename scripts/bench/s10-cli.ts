/**
 * S10, the CLI end to end: `batchbench eval` as a user runs it (its own process, the real SDK over HTTP,
 * journal, scorers, every reporter) against a zero-latency emulator with a huge quota in another
 * process, for 3 targets × N rows. Reports the CLI's peak RSS (the kernel's high-water mark, VmHWM),
 * cells per second end to end (process start to exit, start-up and report writing included), and the
 * CPU per cell of both processes, so a 2-core machine's ceiling is visible.
 *
 * Each size runs `runs` times (3 by default), the sizes interleaved (10k, 100k, 10k, …) so a change in
 * the machine's state weighs on both alike; each figure is the median of its size's runs, every run's
 * value listed beside it. Why: one 10k run's peak moves by ±12 MB between runs of the same code (V8 and
 * malloc keep different pages resident each time), as much as the whole 15 % allowance, so the ratio of
 * two single runs said more about luck than about the code (1.087–1.246 over three runs, 4 Dec).
 *
 *   node scripts/bench/s10-cli.ts [--rows 10000,100000] [--runs 3] [--quick] [--no-stream]
 *   npm run bench -- --scenario S10 [--quick]
 *
 * Targets (issue 11 §3): peak RSS ≤ 300 MB and flat within 15 % from 10k to 100k rows; ≥ 1,000 cells/s.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { spawnEmulator } from './emulator-process.ts';

/** One size: the median of its runs for each figure, and every run's peak RSS and cells/s. */
export interface CliPoint {
  readonly rows: number;
  readonly cells: number;
  /** The first non-zero exit code of its runs (0 when every run succeeded). */
  readonly exit_code: number | null;
  readonly peak_rss_mb: number;
  readonly peak_rss_mb_runs: readonly number[];
  readonly cells_per_s_runs: readonly number[];
  readonly peak_heap_used_mb: number;
  readonly wall_s: number;
  readonly cells_per_s: number;
  readonly client_cpu_ms_per_cell: number;
  readonly emulator_cpu_ms_per_cell: number;
}

export interface CliMemoryReport {
  readonly stream: boolean;
  /** Runs per size. */
  readonly runs: number;
  readonly points: readonly CliPoint[];
  /** Median peak RSS of the largest size ÷ the smallest's. */
  readonly rss_ratio: number;
  /** rss_ratio ≤ 1.15 */
  readonly flat: boolean;
  /** Every run ≤ 300 MB. */
  readonly rss_within_300mb: boolean;
  /** Slowest run's cells/s ≥ 1,000. */
  readonly throughput_1000: boolean;
  readonly method: string;
}

const KEY = 's10-bench-key-not-secret-0000000';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What `npx batchbench` runs in a checkout: it re-executes itself with the batch heap flags (bin/v8-flags.js). */
const MAIN = join(ROOT, 'bin/batchbench.js');

/**
 * Preloaded into the CLI: samples memory every 50 ms and, at exit, writes the peaks, the kernel's RSS
 * high-water mark and the process's CPU time to $S10_MEM_OUT. The launcher replaces its process with the
 * CLI's (execve: same pid, no exit handler), so only the CLI's exit writes, and VmHWM covers both.
 */
const SAMPLER = `
import { readFileSync, writeFileSync } from 'node:fs';
let rss = 0, heap = 0;
const sample = () => { const m = process.memoryUsage(); rss = Math.max(rss, m.rss); heap = Math.max(heap, m.heapUsed); };
setInterval(sample, 50).unref();
process.on('exit', () => {
  sample();
  let hwm = 0;
  try { hwm = Number(/VmHWM:\\s*(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) * 1024; } catch {}
  const cpu = process.cpuUsage();
  writeFileSync(process.env.S10_MEM_OUT, JSON.stringify({ rss: Math.max(rss, hwm), heap, cpuUs: cpu.user + cpu.system }));
});
`;

function datasetCsv(rows: number): string {
  const lines = ['id,question,expected'];
  for (let i = 0; i < rows; i++) lines.push(`r${i},What is ${i} plus ${i % 97}? Please answer with a number.,${i + (i % 97)}`);
  return `${lines.join('\n')}\n`;
}

function configTs(stream: boolean): string {
  const index = pathToFileURL(join(ROOT, 'src/index.ts')).href;
  return `import { defineConfig } from ${JSON.stringify(index)};
const baseURL = process.env.S10_URL!;
const d = (name: string) => [{ baseURL, deployment: name, auth: { apiKeyEnv: 'S10_KEY' } }];
export default defineConfig({
  scorers: ['exact-match'],
  targets: [
    { name: 'a', api: 'responses', maxOutputTokens: 16, stream: ${stream}, deployments: d('a') },
    { name: 'b', api: 'chat', maxOutputTokens: 16, stream: ${stream}, deployments: d('b') },
    { name: 'c', api: 'responses', maxOutputTokens: 16, stream: ${stream}, deployments: d('c') },
  ],
});
`;
}

async function runCli(args: readonly string[], env: Record<string, string>): Promise<number | null> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  if (code !== 0) console.error(`S10 CLI exited ${code}: ${stderr}`);
  return code;
}

export async function s10Cli(options: {
  rows: readonly number[];
  runs?: number;
  stream: boolean;
  log: (line: string) => void;
}): Promise<CliMemoryReport> {
  const runs = Math.max(1, options.runs ?? 3);
  const dir = await mkdtemp(join(tmpdir(), 'bb-s10-'));
  const emulator = await spawnEmulator({
    apiKeys: [KEY],
    seed: 1,
    zeroLatency: true,
    admissionLogSize: 1,
    deployments: [
      { name: 'a', model: 'gpt-4.1-mini', capacity: 1_000_000, accuracy: 0.9 },
      { name: 'b', model: 'gpt-4.1-nano', capacity: 1_000_000, accuracy: 0.7 },
      { name: 'c', model: 'gpt-4.1-mini', capacity: 1_000_000, accuracy: 0.8 },
    ],
  });
  const points: CliPoint[] = [];
  try {
    const config = join(dir, 's10.config.ts');
    await writeFile(config, configTs(options.stream));
    const sampler = join(dir, 'sampler.mjs');
    await writeFile(sampler, SAMPLER);
    // One small run first fills Node's compile cache (bin/batchbench.js enables it), as any earlier run of
    // the same checkout has: the measured runs then load no type stripper, like a user's second run.
    const compileCache = join(dir, 'compile-cache');
    const warmup = join(dir, 'warmup.csv');
    await writeFile(warmup, datasetCsv(30));
    const cliEnv = { S10_URL: emulator.baseURL, S10_KEY: KEY, CI: 'true', NODE_COMPILE_CACHE: compileCache };
    await runCli([MAIN, 'eval', '--config', config, '--dataset', warmup, '--out', join(dir, 'run-warmup'), '--quiet'], cliEnv);
    for (const rows of options.rows) await writeFile(join(dir, `s10-${rows}.csv`), datasetCsv(rows));
    const measured = new Map<number, RunFigures[]>(options.rows.map((rows) => [rows, []]));
    for (let run = 1; run <= runs; run++) {
      for (const rows of options.rows) {
        const figures = await measureRun(rows, { dir, config, sampler, cliEnv, emulator });
        measured.get(rows)?.push(figures);
        options.log(
          `S10 CLI ${rows} rows × 3, run ${run}/${runs}: peak RSS ${figures.peak_rss_mb} MB, ${figures.cells_per_s} cells/s (client ${figures.client_cpu_ms_per_cell} ms CPU/cell, emulator ${figures.emulator_cpu_ms_per_cell})`,
        );
      }
    }
    for (const rows of options.rows) points.push(pointOf(rows, measured.get(rows) ?? []));
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
  const first = points[0];
  const last = points[points.length - 1];
  const ratio = first && last ? Math.round((last.peak_rss_mb / first.peak_rss_mb) * 1000) / 1000 : 0;
  return {
    stream: options.stream,
    runs,
    points,
    rss_ratio: ratio,
    flat: ratio > 0 && ratio <= 1.15,
    rss_within_300mb: points.every((p) => p.peak_rss_mb <= 300),
    throughput_1000: points.every((p) => p.cells_per_s >= 1000),
    method:
      `median of ${runs} runs per size, sizes interleaved; ` +
      'batchbench eval as a child process (node bin/batchbench.js eval, with its batch heap flags; default concurrency) against a zeroLatency emulator with capacity 1M in another process, after one 30-row run that fills the Node compile cache; ' +
      '3 targets (2 Responses, 1 chat), maxOutputTokens 16, exact-match; peak RSS = max(VmHWM, 50 ms samples) of the CLI process; cells/s = cells ÷ wall time of the CLI process (start-up and reports included)',
  };
}

/** What one run measures: a point's figures, before the medians. */
const RUN_FIGURES = [
  'peak_rss_mb',
  'peak_heap_used_mb',
  'wall_s',
  'cells_per_s',
  'client_cpu_ms_per_cell',
  'emulator_cpu_ms_per_cell',
] as const;
type RunFigures = Pick<CliPoint, 'exit_code' | (typeof RUN_FIGURES)[number]>;

interface RunSetup {
  readonly dir: string;
  readonly config: string;
  readonly sampler: string;
  readonly cliEnv: Record<string, string>;
  readonly emulator: Awaited<ReturnType<typeof spawnEmulator>>;
}

/** One measured run of `rows` × 3 (its dataset already written): the CLI's peaks, wall time and CPU. */
async function measureRun(rows: number, setup: RunSetup): Promise<RunFigures> {
  const { dir, emulator } = setup;
  const memOut = join(dir, `mem-${rows}.json`);
  const out = join(dir, `run-${rows}`);
  await emulator.reset();
  const emulatorCpu = await emulator.cpuMicros();
  const started = performance.now();
  const args = ['--import', pathToFileURL(setup.sampler).href, MAIN, 'eval', '--config', setup.config];
  const exit_code = await runCli([...args, '--dataset', join(dir, `s10-${rows}.csv`), '--out', out, '--quiet'], {
    ...setup.cliEnv,
    S10_MEM_OUT: memOut,
  });
  const wall = (performance.now() - started) / 1000;
  const emulatorUs = (await emulator.cpuMicros()) - emulatorCpu;
  const mem = JSON.parse(await readFile(memOut, 'utf8')) as { rss: number; heap: number; cpuUs: number };
  await rm(out, { recursive: true, force: true });
  const cells = rows * 3;
  return {
    exit_code,
    peak_rss_mb: Math.round(mem.rss / 1e5) / 10,
    peak_heap_used_mb: Math.round(mem.heap / 1e5) / 10,
    wall_s: Math.round(wall * 10) / 10,
    cells_per_s: Math.round(cells / wall),
    client_cpu_ms_per_cell: Math.round(mem.cpuUs / cells) / 1000,
    emulator_cpu_ms_per_cell: Math.round(emulatorUs / cells) / 1000,
  };
}

/** A size's point: each figure the median of its runs (upper median for an even count). */
function pointOf(rows: number, runs: readonly RunFigures[]): CliPoint {
  const medians = Object.fromEntries(
    RUN_FIGURES.map((figure) => {
      const sorted = runs.map((r) => r[figure]).sort((a, b) => a - b);
      return [figure, sorted[Math.floor(sorted.length / 2)] ?? 0];
    }),
  ) as Record<(typeof RUN_FIGURES)[number], number>;
  return {
    rows,
    cells: rows * 3,
    exit_code: runs.find((r) => r.exit_code !== 0)?.exit_code ?? 0,
    ...medians,
    peak_rss_mb_runs: runs.map((r) => r.peak_rss_mb),
    cells_per_s_runs: runs.map((r) => r.cells_per_s),
  };
}

// Standalone: node scripts/bench/s10-cli.ts
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string' },
      runs: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'no-stream': { type: 'boolean', default: false },
    },
  });
  const rows = values.rows ? values.rows.split(',').map(Number) : values.quick ? [1_000, 5_000] : [10_000, 100_000];
  const runs = values.runs !== undefined ? Number(values.runs) : values.quick ? 1 : 3;
  if (!Number.isInteger(runs) || runs < 1) {
    console.error(`error: --runs expects a whole number of runs per size, at least 1 (got ${JSON.stringify(values.runs)})`);
    process.exit(2);
  }
  const report = await s10Cli({ rows, runs, stream: !values['no-stream'], log: (line) => console.error(line) });
  console.log(JSON.stringify(report, null, 2));
}
