/**
 * `npm run bench:load`: whether `batchbench load` itself can be trusted, against the emulator in a
 * separate process (scripts/bench/emulator-process.ts), so the server never shares the client's event loop.
 *  1. Pacing: open-loop steps at 50 req/s (the issue's target: achieved within ±1 %, send jitter
 *     p99 ≤ 5 ms) with the default 1000-in / 200-out streamed workload on the main thread, the jitter
 *     split into timer/release lateness and SDK request building that ran past the due time. Run three
 *     times: against a deployment sized for the rate, requests built at their due time (lead 0, the old
 *     way) and then built ahead and held until due (the default lead), so the comparison is measured on
 *     the same machine in the same minutes; then with the default lead against the shipped latency model,
 *     which saturates at this rate (the stress case: ten times the streams in flight).
 *  2. Throughput: how many requests per second it can drive with 1 and 2 transport worker threads (and
 *     the main thread alone) against a zero-latency emulator; one closed-loop step each.
 *   --duration 10s   throughput step length   --concurrency 64   requests in flight
 *   --pacing-duration 60s   pacing step length   --only pacing|throughput   --quick   2 s / 10 s steps
 * Prints markdown tables (with the 1-minute load average: on a shared machine the spread is the
 * neighbours') and writes reports/bench/load-latest.json.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDurationMs } from '../src/load/duration.ts';
import type { LoadRequestRecord } from '../src/report/load/load-records.ts';
import { percentile } from '../src/report/stats/percentile.ts';
import { readJournal } from '../src/sink/read-journal.ts';
import { syntheticWorkload } from '../src/run/load-workload.ts';
import { runLoad } from '../src/run/run-load.ts';
import type { ResolvedTarget } from '../src/types.ts';
import { spawnEmulator } from './bench/emulator-process.ts';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10s' },
    concurrency: { type: 'string', default: '64' },
    'pacing-duration': { type: 'string', default: '60s' },
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: 'reports/bench/load-latest.json' },
  },
});
const durationMs = values.quick ? 2000 : parseDurationMs(values.duration, '--duration');
const pacingMs = values.quick ? 10_000 : parseDurationMs(values['pacing-duration'], '--pacing-duration');
const concurrency = Number(values.concurrency);
const lines: string[] = [];
const json: Record<string, unknown> = { cpus: availableParallelism() };

function target(baseURL: string, api: 'chat' | 'responses', outputTokens: number): ResolvedTarget {
  return {
    name: 'mini',
    api,
    params: {
      tokenLimitField: api === 'chat' ? 'max_completion_tokens' : 'max_output_tokens',
      stream: true,
      maxOutputTokens: outputTokens,
    },
    deployments: [
      {
        id: 'mini',
        baseURL,
        deployment: 'mini',
        auth: { kind: 'api-key', apiKeyEnv: 'BENCH_KEY' },
        limits: {},
        maxConcurrency: 100_000,
        timeoutMs: 60_000,
      },
    ],
  };
}

/**
 * A deployment sized for the offered rate: the shipped gpt-4.1-mini model slows every request down once
 * more than 32 are in flight (§10.4), and at 50 req/s × 1000 in / 200 out that feeds on itself (e2e p50
 * ≈ 23 s, ≈ 1,300 in flight, a few requests past the 60 s timeout), so the client would be measured
 * reading ten times the streams a healthy deployment sends it. With the knee out of reach the step runs
 * at ≈ 120–140 in flight (e2e ≈ 2.4 s), the operating point the jitter target is about; the saturated
 * run is measured as well, as the stress case.
 */
const SIZED_KNEE = 100_000;

if (values.only !== 'throughput') {
  json.pacingNoLead = await pacing(0, SIZED_KNEE);
  json.pacing = await pacing(undefined, SIZED_KNEE);
  json.pacingSaturated = await pacing(undefined, undefined);
}
if (values.only !== 'pacing') await throughput();
process.stdout.write(`${lines.join('\n')}\n`);
await mkdir(join(values.out, '..'), { recursive: true });
await writeFile(values.out, `${JSON.stringify(json, null, 2)}\n`);

async function pacing(leadMs: number | undefined, knee: number | undefined): Promise<Record<string, unknown>> {
  const rate = 50;
  // The shipped gpt-4.1-mini latency model, answers long enough that max_tokens = 200 decides.
  const emulator = await spawnEmulator({
    seed: 1,
    deployments: [
      {
        name: 'mini',
        model: 'gpt-4.1-mini',
        capacity: 100_000_000,
        filterMode: 'off',
        heavyTail: false,
        outputTokens: { median: 800, sigma: 0 },
        ...(knee === undefined ? {} : { concurrencyKnee: knee }),
      },
    ],
  });
  const load0 = loadavg()[0]!;
  try {
    const runDir = join(await mkdtemp(join(tmpdir(), 'bb-load-pacing-')), 'run');
    const { summary } = await runLoad({
      targets: [target(emulator.baseURL, 'responses', 200)],
      profile: { kind: 'rate', rates: [rate] },
      profileText: `rate ${rate}`,
      arrivals: 'constant',
      durationMs: pacingMs,
      maxRequests: 10_000_000,
      saturationConcurrency: 1,
      workload: syntheticWorkload({ inputTokens: 1000, outputTokens: 200, seed: 1 }),
      runDir,
      runId: 'load-bench-pacing',
      env: { BENCH_KEY: emulator.apiKey },
      signal: new AbortController().signal,
      workers: 0,
      allow429: true,
      seed: '1',
      ...(leadMs === undefined ? {} : { pacerLeadMs: leadMs }),
    });
    const step = summary.targets[0]!.steps[0]!;
    const requests: LoadRequestRecord[] = [];
    for await (const r of readJournal(join(runDir, 'journal.jsonl'))) {
      if ((r as { kind?: string }).kind === 'load-request') requests.push(r as unknown as LoadRequestRecord);
    }
    const q = (values: number[]) => ({
      p50: percentile(values, 0.5),
      p99: percentile(values, 0.99),
      max: values.reduce((m, v) => Math.max(m, v), 0),
    });
    const jitter = q(requests.map((r) => r.sentAt - r.scheduledAt!));
    // The SDK was called at callAt and had built the request at readyAt; then it was held until due (or
    // sent at once). Jitter = SDK building that ran past the due time + lateness (the pacer's timer when
    // nothing was built ahead, else the hold's release).
    const readyAt = (r: LoadRequestRecord) => r.sentAt - (r.heldMs ?? 0);
    const callAt = (r: LoadRequestRecord) => readyAt(r) - (r.sdkPrepMs ?? 0);
    const pastDueOf = (r: LoadRequestRecord) => Math.max(0, readyAt(r) - Math.max(callAt(r), r.scheduledAt!));
    const pastDue = q(requests.map(pastDueOf));
    const late = q(requests.map((r) => r.sentAt - r.scheduledAt! - pastDueOf(r)));
    const prep = q(requests.map((r) => r.sdkPrepMs ?? 0));
    const lead = leadMs === undefined ? 'built ahead (default lead) and held until due' : `lead ${leadMs} ms`;
    const main = step.client[0]!;
    const peakInFlight = (await emulator.stats()).deployments.mini?.peakInFlight ?? 0;
    const e2e = q(requests.filter((r) => r.outcome === 'ok').map((r) => r.e2eMs));
    const timeouts = requests.filter((r) => r.outcome === 'timeout').length;
    const deployment =
      knee === undefined
        ? 'the shipped model (slows down past 32 in flight): saturated'
        : 'the knee out of reach: a deployment sized for the rate';
    const load1 = loadavg()[0]!;
    const f = (x: { p50: number; p99: number; max: number }) => `${x.p50.toFixed(2)} | ${x.p99.toFixed(2)} | ${x.max.toFixed(1)}`;
    lines.push(
      `Pacing, ${lead}: open loop at ${rate} req/s for ${pacingMs / 1000} s, 1000 in / 200 out streamed (Responses API), main thread, emulator process with the gpt-4.1-mini latency model, ${availableParallelism()} CPU(s), 1-min load average ${load0.toFixed(1)} → ${load1.toFixed(1)}:`,
      '',
      `${deployment}; peak ${peakInFlight} in flight, e2e p50 ${(e2e.p50 / 1000).toFixed(1)} s / p99 ${(e2e.p99 / 1000).toFixed(1)} s, ${timeouts} timed out (60 s)`,
      '',
      `achieved ${step.achievedRate!.toFixed(2)} req/s (${(step.rateError! * 100).toFixed(2)} %), ${step.ok}/${step.requests} ok; client lag p99 ${main.lagP99Ms.toFixed(1)} ms, CPU ${((main.cpuMs / main.wallMs) * 100).toFixed(0)} % of a core${step.clientBound ? ', CLIENT-BOUND' : ''}`,
      '',
      '| ms | p50 | p99 | max |',
      '|---|---|---|---|',
      `| send jitter (sent − scheduled) | ${f(jitter)} |`,
      `| of which timer / release lateness | ${f(late)} |`,
      `| of which SDK building past the due time | ${f(pastDue)} |`,
      `| SDK request building (all of it) | ${f(prep)} |`,
      '',
    );
    process.stderr.write(
      `pacing (${lead}, ${knee === undefined ? 'saturated' : 'sized'}): jitter p50 ${jitter.p50.toFixed(2)} ms, p99 ${jitter.p99.toFixed(2)} ms\n`,
    );
    return {
      leadMs: leadMs ?? 'default',
      concurrencyKnee: knee ?? 'shipped',
      peakInFlight,
      e2eMs: e2e,
      timeouts,
      rate,
      durationMs: pacingMs,
      achievedRate: step.achievedRate,
      rateError: step.rateError,
      ok: step.ok,
      requests: step.requests,
      jitter,
      lateness: late,
      sdkPastDue: pastDue,
      sdkPrep: prep,
      client: main,
      clientBound: step.clientBound,
      loadAverage: [load0, load1],
    };
  } finally {
    await emulator.close();
  }
}

async function throughput(): Promise<void> {
  const emulator = await spawnEmulator({
    seed: 1,
    zeroLatency: true,
    deployments: [{ name: 'mini', model: 'gpt-4.1-mini', capacity: 100_000_000, filterMode: 'off', heavyTail: false }],
  });

  const rows: Array<{ workers: number; rps: number; ok: number; errors: number; clientCpuMsPerRequest: number; clientBound: boolean }> = [];
  try {
    for (const workers of [0, 1, 2]) {
      const runDir = join(await mkdtemp(join(tmpdir(), 'bb-load-bench-')), 'run');
      const { summary } = await runLoad({
        targets: [target(emulator.baseURL, 'chat', 16)],
        profile: { kind: 'concurrency', levels: [concurrency] },
        profileText: `concurrency ${concurrency}`,
        arrivals: 'constant',
        durationMs,
        maxRequests: 10_000_000,
        saturationConcurrency: concurrency,
        workload: syntheticWorkload({ inputTokens: 50, outputTokens: 16, seed: 1 }),
        runDir,
        runId: `load-bench-${workers}`,
        env: { BENCH_KEY: emulator.apiKey },
        signal: new AbortController().signal,
        workers,
        allow429: true,
        seed: '1',
      });
      const step = summary.targets[0]!.steps[0]!;
      const cpu = step.client.reduce((sum, c) => sum + c.cpuMs, 0);
      rows.push({
        workers,
        rps: step.throughputRps,
        ok: step.ok,
        errors: step.requests - step.ok,
        clientCpuMsPerRequest: step.requests ? cpu / step.requests : 0,
        clientBound: step.clientBound,
      });
      process.stderr.write(`workers=${workers}: ${step.throughputRps.toFixed(0)} req/s\n`);
    }
  } finally {
    await emulator.close();
  }

  const one = rows.find((r) => r.workers === 1)!.rps;
  const two = rows.find((r) => r.workers === 2)!.rps;
  lines.push(
    `Load transport throughput, zero-latency emulator in its own process, ${concurrency} in flight, ${durationMs / 1000} s per run, ${availableParallelism()} CPU(s):`,
    '',
    '| transport | req/s | client CPU per request | errors | client-bound |',
    '|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.workers === 0 ? 'main thread' : `${r.workers} worker thread${r.workers > 1 ? 's' : ''}`} | ${r.rps.toFixed(0)} | ${r.clientCpuMsPerRequest.toFixed(2)} ms | ${r.errors} | ${r.clientBound ? 'yes' : 'no'} |`,
    ),
    '',
    `2 workers / 1 worker: ${(two / one).toFixed(2)}×`,
  );
  json.throughput = { durationMs, concurrency, rows, ratio2to1: two / one };
}
