/**
 * The batch lane against the emulator: token_limit_exceeded (fail-fast and slow-fail) backs off and
 * resubmits without losing a line; an expired job leaves its unrun lines unrecorded (resumable) and
 * records the ones that ran; the planner splits cells into files within the limits.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { startEmulator, type EmulatorConfig, type EmulatorHandle } from '../../src/emulator/server.ts';
import { systemClock, VirtualClock } from '../../src/internal/clock.ts';
import { createBatchClient } from '../../src/providers/batch-client.ts';
import type { BatchRecord } from '../../src/run/batch/batch-records.ts';
import { runBatchLane } from '../../src/run/batch/batch-lane.ts';
import type { Outcome, ResolvedTarget, WorkItem } from '../../src/types.ts';

let emulator: EmulatorHandle | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const target = (baseURL: string, batch: Partial<NonNullable<ResolvedTarget['batch']>> = {}): ResolvedTarget => ({
  name: 't',
  api: 'chat',
  params: { tokenLimitField: 'max_completion_tokens', maxOutputTokens: 16, stream: true },
  mode: 'batch',
  batch: { enqueuedTokens: 1_000_000, pollIntervalMs: 10, maxLinesPerFile: 100_000, ...batch },
  deployments: [
    { id: 't/b', baseURL, deployment: 'b', auth: { kind: 'api-key', apiKeyEnv: 'K' }, limits: {}, maxConcurrency: 1, timeoutMs: 10_000 },
  ],
});

function items(n: number): WorkItem[] {
  return Array.from({ length: n }, (_, i) => ({
    key: `r${i}|t|0`,
    target: 't',
    repeat: 0,
    cost: 20,
    row: { id: `r${i}`, index: i, line: i + 2, fields: {} },
    input: { messages: [{ role: 'user' as const, content: `What is ${i} plus ${i}?` }] },
  }));
}

async function* iterate<T>(list: T[]): AsyncGenerator<T> {
  yield* list;
}

async function run(over: Partial<EmulatorConfig>, t: (url: string) => ResolvedTarget, n: number, clock = systemClock) {
  emulator = await startEmulator(
    {
      apiKeys: ['k'],
      zeroLatency: true,
      seed: 1,
      batch: { validationMs: 20, finalizingMs: 20 },
      deployments: [{ name: 'b', model: 'gpt-4.1-mini', capacity: 1, sku: 'globalBatch' }],
      ...over,
    },
    clock === systemClock ? {} : { clock },
  );
  const settled = new Map<string, Outcome>();
  const journal: BatchRecord[] = [];
  const progress: string[] = [];
  const resolved = t(emulator.baseURL);
  const done = runBatchLane({
    target: resolved,
    client: createBatchClient(resolved.deployments[0]!, { env: { K: 'k' } }),
    items: iterate(items(n)),
    clock: systemClock,
    signal: new AbortController().signal,
    backoffBaseMs: 10,
    settle: async (item, outcome) => void settled.set(item.key, outcome),
    journal: async (r) => void journal.push(r),
    progress: (l) => void progress.push(l),
  });
  return { done, settled, journal, progress };
}

describe('batch lane', () => {
  test('a download that breaks part way: the cells already streamed stay settled, the next poll collects only the rest', async () => {
    emulator = await startEmulator({
      apiKeys: ['k'],
      zeroLatency: true,
      seed: 1,
      batch: { validationMs: 20, finalizingMs: 20 },
      deployments: [{ name: 'b', model: 'gpt-4.1-mini', capacity: 1, sku: 'globalBatch' }],
    });
    const resolved = target(emulator.baseURL);
    const real = createBatchClient(resolved.deployments[0]!, { env: { K: 'k' } });
    let breaks = 1;
    // The first download of the output file drops after 4 lines.
    const client = {
      ...real,
      async *lines(fileId: string | null) {
        let n = 0;
        for await (const line of real.lines(fileId)) {
          if (breaks > 0 && n === 4) {
            breaks--;
            throw new Error('socket hang up');
          }
          n++;
          yield line;
        }
      },
    };
    const settles = new Map<string, number>();
    const journal: BatchRecord[] = [];
    const progress: string[] = [];
    await runBatchLane({
      target: resolved,
      client,
      items: iterate(items(10)),
      clock: systemClock,
      signal: new AbortController().signal,
      backoffBaseMs: 10,
      settle: async (item, outcome) => {
        expect(outcome.status).toBe('ok');
        settles.set(item.key, (settles.get(item.key) ?? 0) + 1);
      },
      journal: async (r) => void journal.push(r),
      progress: (l) => void progress.push(l),
    });
    expect(breaks).toBe(0);
    expect(progress.some((l) => l.includes('collecting results failed (socket hang up); retrying'))).toBe(true);
    expect(settles.size).toBe(10);
    expect([...settles.values()].every((n) => n === 1)).toBe(true);
    expect(journal.filter((r) => r.kind === 'batch-collected')).toHaveLength(1);
  });

  test('splits cells into files of at most maxLinesPerFile lines and collects every line', async () => {
    const { done, settled, journal } = await run({}, (url) => target(url, { maxLinesPerFile: 4 }), 10);
    await done;
    const files = journal.filter((r) => r.kind === 'batch-file');
    expect(files.map((f) => f.kind === 'batch-file' && f.keys.length)).toEqual([4, 4, 2]);
    expect(settled.size).toBe(10);
    expect([...settled.values()].every((o) => o.status === 'ok')).toBe(true);
  });

  test('fail-fast token_limit_exceeded: backs off and resubmits, no line lost', async () => {
    // The client budget is wrong (larger than the service's 1 000 tokens): the second file is refused at
    // create until the first job ends. Each file ≈ 5 × (≈ 7 + 16) tokens.
    const dep = { name: 'b', model: 'gpt-4.1-mini', capacity: 1, sku: 'globalBatch' as const, enqueuedTokens: 150 };
    // A long validation keeps the first job (and its quota) alive while the second file is submitted.
    const { done, settled, journal, progress } = await run(
      { deployments: [dep], batch: { validationMs: 400, finalizingMs: 20 } },
      (url) => target(url, { maxLinesPerFile: 5 }),
      15,
    );
    await done;
    expect(progress.some((l) => l.includes('token_limit_exceeded'))).toBe(true);
    expect(settled.size).toBe(15);
    expect(journal.filter((r) => r.kind === 'batch-job')).toHaveLength(3);
    expect(emulator!.stats().batch).toMatchObject({ uploads: 3, batchesCreated: 3 });
  });

  test("slow-fail token_limit_exceeded: the failed job's file is resubmitted as is (no new upload)", async () => {
    const dep = { name: 'b', model: 'gpt-4.1-mini', capacity: 1, sku: 'globalBatch' as const, enqueuedTokens: 150, batchFailFast: false };
    // A long finalizing keeps the first job's quota held while the second one validates.
    const { done, settled, journal } = await run(
      { deployments: [dep], batch: { validationMs: 20, finalizingMs: 1_500 } },
      (url) => target(url, { maxLinesPerFile: 5 }),
      10,
    );
    await done;
    expect(settled.size).toBe(10);
    expect([...settled.values()].every((o) => o.status === 'ok')).toBe(true);
    expect(journal.filter((r) => r.kind === 'batch-status' && r.errors?.[0]?.code === 'token_limit_exceeded').length).toBeGreaterThan(0);
    expect(emulator!.stats().batch?.uploads).toBe(2);
  });

  test('an expired job: lines that ran are recorded, the rest come back aborted (unrecorded, so a resume resends only them)', async () => {
    const clock = new VirtualClock(1_800_000_000_000);
    // ≈ 23 tokens per line at 0.05 tokens/minute: about 3 lines fit in the 24 h window.
    const dep = { name: 'b', model: 'gpt-4.1-mini', capacity: 1, sku: 'globalBatch' as const, batchTokensPerMinute: 0.05 };
    const { done, settled, journal } = await run({ deployments: [dep] }, (url) => target(url), 8, clock);
    while (!journal.some((r) => r.kind === 'batch-job')) await new Promise((r) => setTimeout(r, 5));
    emulator!.clock.advance(25 * 3600 * 1000);
    await done;
    const status = journal.filter((r) => r.kind === 'batch-status').map((r) => r.kind === 'batch-status' && r.status);
    expect(status.at(-1)).toBe('expired');
    const outcomes = [...settled.values()];
    const ok = outcomes.filter((o) => o.status === 'ok');
    const aborted = outcomes.filter((o) => o.status === 'failed' && o.reason === 'aborted');
    expect(ok.length).toBeGreaterThan(0);
    expect(aborted.length).toBeGreaterThan(0);
    expect(ok.length + aborted.length).toBe(8);
    expect(aborted.every((o) => o.status === 'failed' && o.error.code === 'batch_expired')).toBe(true);
  });

  test('an abort (Ctrl-C) stops polling and leaves the job running: never cancelled, reported as left running', async () => {
    emulator = await startEmulator({
      apiKeys: ['k'],
      zeroLatency: true,
      batch: { validationMs: 3_600_000 },
      deployments: [{ name: 'b', model: 'gpt-4.1-mini', capacity: 1, sku: 'globalBatch' }],
    });
    const resolved = target(emulator.baseURL);
    const stop = new AbortController();
    const journal: BatchRecord[] = [];
    const settled: string[] = [];
    const done = runBatchLane({
      target: resolved,
      client: createBatchClient(resolved.deployments[0]!, { env: { K: 'k' } }),
      items: iterate(items(3)),
      clock: systemClock,
      signal: stop.signal,
      settle: async (item) => void settled.push(item.key),
      journal: async (r) => {
        journal.push(r);
        if (r.kind === 'batch-job') stop.abort();
      },
    });
    const result = await done;
    const job = journal.find((r) => r.kind === 'batch-job');
    expect(result.leftRunning).toEqual([job?.kind === 'batch-job' ? job.jobId : '']);
    expect(settled).toEqual([]);
    expect(emulator.stats().batch).toMatchObject({ batchesCreated: 1, active: 1 });
  });
});
