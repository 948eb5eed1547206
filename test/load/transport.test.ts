/**
 * The transports: N worker threads serve a step like the main thread does (each thread reports its own
 * overhead), and a step always ends by itself — requests that never answer are cut after the drain
 * allowance and recorded as aborted, not waited for.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulatorInWorker, type RemoteEmulatorHandle } from '../../src/emulator/server.ts';
import { syntheticWorkload } from '../../src/run/load-workload.ts';
import { systemClock } from '../../src/internal/clock.ts';
import { createProvider } from '../../src/providers/registry.ts';
import { executeLoadRequest, stampingFetch } from '../../src/run/load-execute.ts';
import { bodyEndTimes, createHttpFetch } from '../../src/run/load-http-fetch.ts';
import { createLoadTransport } from '../../src/run/load-transport.ts';
import { recoveryTime, runLoad, type RunLoadOptions } from '../../src/run/run-load.ts';
import type { ResolvedTarget } from '../../src/types.ts';

let emulator: RemoteEmulatorHandle;
beforeAll(async () => {
  emulator = await startEmulatorInWorker({
    seed: 2,
    latencyScale: 0.02,
    deployments: [
      { name: 'mini', model: 'gpt-4.1-mini', capacity: 1_000_000 },
      { name: 'stuck', model: 'gpt-4.1-mini', capacity: 1_000_000, faults: [{ kind: 'hang' }] },
      { name: 'tight', model: 'gpt-4.1-mini', capacity: 1_000_000, requestWindows: [{ ms: 1000, limit: 5 }] },
    ],
  });
});
afterAll(() => emulator.close());

function target(deployment: string): ResolvedTarget {
  return {
    name: deployment,
    api: 'chat',
    params: { tokenLimitField: 'max_completion_tokens', stream: true, maxOutputTokens: 16 },
    deployments: [
      {
        id: deployment,
        baseURL: emulator.baseURL,
        deployment,
        auth: { kind: 'api-key', apiKeyEnv: 'KEY' },
        limits: {},
        maxConcurrency: 100,
        timeoutMs: 60_000,
      },
    ],
  };
}

async function options(t: ResolvedTarget, extra: Partial<RunLoadOptions>): Promise<RunLoadOptions> {
  return {
    targets: [t],
    profile: { kind: 'concurrency', levels: [4] },
    profileText: 'concurrency 4',
    arrivals: 'constant',
    durationMs: 500,
    maxRequests: 1000,
    saturationConcurrency: 4,
    workload: syntheticWorkload({ inputTokens: 50, outputTokens: 16, seed: 1 }),
    runDir: join(await mkdtemp(join(tmpdir(), 'bb-transport-')), 'run'),
    runId: 't',
    env: { KEY: emulator.apiKey },
    signal: new AbortController().signal,
    workers: 0,
    allow429: false,
    seed: '1',
    ...extra,
  };
}

describe('load transports', () => {
  test('two worker threads run the step; each thread reports its own overhead', async () => {
    const { summary } = await runLoad(await options(target('mini'), { workers: 2 }));
    const step = summary.targets[0]!.steps[0]!;
    expect(step.requests).toBeGreaterThan(4);
    expect(step.ok).toBe(step.requests);
    expect(step.client.map((c) => c.thread)).toEqual(['scheduler', 'transport-1', 'transport-2']);
    expect(step.client.every((c) => c.wallMs > 0)).toBe(true);
  });

  test('the main-thread transport offers a checkpoint per response chunk (where the open-loop pacer sends due arrivals)', async () => {
    const transport = createLoadTransport([target('mini')], { KEY: emulator.apiKey }, 0);
    let polls = 0;
    const unsubscribe = transport.checkpoint(() => void polls++);
    const outcome = await transport.run({ target: 0, deployment: 0, input: { messages: [{ role: 'user', content: 'hi' }] }, stepKey: 'k' });
    expect(outcome.outcome).toBe('ok');
    expect(polls).toBeGreaterThanOrEqual(2); // the headers and at least one body chunk
    unsubscribe();
    const seen = polls;
    await transport.run({ target: 0, deployment: 0, input: { messages: [{ role: 'user', content: 'hi' }] }, stepKey: 'k' });
    expect(polls).toBe(seen);
    await transport.close();
  });

  test('a request built ahead of its due time reaches the server no earlier than that time (held, not sent early)', async () => {
    const transport = createLoadTransport([target('mini')], { KEY: emulator.apiKey }, 0);
    const input = { messages: [{ role: 'user' as const, content: 'hi' }] };
    const releaseAt = systemClock.now() + 80;
    const [held, unheld] = await Promise.all([
      transport.run({ target: 0, deployment: 0, input, stepKey: 'k', releaseAt }),
      transport.run({ target: 0, deployment: 0, input, stepKey: 'k' }),
    ]);
    expect(held.outcome).toBe('ok');
    expect(held.sentAt).toBeGreaterThanOrEqual(releaseAt);
    expect(held.heldMs).toBeGreaterThan(0);
    // Building is reported apart from the wait: call + building + hold = the hand-over.
    expect(held.sdkPrepMs).toBeGreaterThanOrEqual(0);
    expect(unheld.heldMs).toBeUndefined();
    const res = await fetch(`${emulator.url}/_emulator/sends?deployment=mini`, { headers: { 'api-key': emulator.apiKey } });
    const sends = (await res.json()) as Array<{ id: string; receivedAt: number }>;
    const server = sends.find((s) => s.id === held.requestId);
    expect(server).toBeDefined();
    // The emulator runs in another thread, whose clock may be skewed by a fraction of a millisecond; sent
    // without the hold it would have arrived ~80 ms before releaseAt.
    expect(server!.receivedAt).toBeGreaterThan(releaseAt - 20);
    await transport.close();
  });

  test("a step that ended throttled is followed only after its last 429's retry-after: the next step measures its own load", async () => {
    const opts = await options(target('tight'), {
      profile: { kind: 'concurrency', levels: [16, 1] },
      profileText: 'concurrency 16,1',
      durationMs: 800,
    });
    await runLoad(opts);
    const journal = (await readFile(join(opts.runDir, 'journal.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const first = journal.filter((r) => r.kind === 'load-request' && r.step === 0);
    const second = journal.filter((r) => r.kind === 'load-request' && r.step === 1).sort((a, b) => a.sentAt - b.sentAt);
    expect(first.filter((r) => r.outcome === 'quota').length).toBeGreaterThan(0);
    const recovered = recoveryTime(first);
    expect(recovered).toBeGreaterThan(-Infinity);
    expect(second[0].sentAt).toBeGreaterThanOrEqual(recovered);
    expect(second[0].outcome).toBe('ok');
  });

  test('e2e ends when the last byte reached the transport, not after the SDK has unwound the stream', async () => {
    // The SDK is shown the end of the body 50 ms after the transport saw it (client work after the last
    // byte, exaggerated): that time must not be in e2e.
    let response: Response | undefined;
    const stamping = stampingFetch(systemClock, (input, init) =>
      createHttpFetch()(input, init).then((r) => {
        response = r;
        return r;
      }),
    );
    const lateEnd: typeof fetch = (input, init) =>
      stamping(input, init).then(
        (r) =>
          new Response(
            r.body!.pipeThrough(new TransformStream({ flush: () => new Promise<void>((resolve) => setTimeout(resolve, 50)) })),
            r,
          ),
      );
    const t = target('mini');
    const provider = createProvider(t, t.deployments[0]!, { env: { KEY: emulator.apiKey }, fetch: lateEnd });
    const o = await executeLoadRequest(
      provider,
      { messages: [{ role: 'user', content: 'hi' }] },
      new AbortController().signal,
      systemClock,
    );
    const returnedAt = systemClock.now();
    expect(o.outcome).toBe('ok');
    const bodyEnd = bodyEndTimes.get(response!)!;
    expect(bodyEnd).toBeDefined();
    expect(returnedAt - bodyEnd).toBeGreaterThanOrEqual(45);
    // The end is the body's end at the transport (or the last output mark, if the SDK read it later),
    // never the SDK's own end 50 ms on; and never before TTFT.
    expect(o.sentAt + o.e2eMs).toBeGreaterThanOrEqual(bodyEnd - 1e-6);
    expect(o.sentAt + o.e2eMs).toBeLessThan(bodyEnd + 25);
    expect(o.ttftMs!).toBeLessThanOrEqual(o.e2eMs);
  });

  test('requests that never answer are cut after the drain allowance and recorded as aborted', async () => {
    const opts = await options(target('stuck'), { drainMs: 300 });
    const { summary } = await runLoad(opts);
    const step = summary.targets[0]!.steps[0]!;
    expect(step.requests).toBe(4); // four slots, each stuck on its first request
    expect(step.failures).toEqual({ aborted: 4 });
    const journal = (await readFile(join(opts.runDir, 'journal.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(journal.at(-1)).toMatchObject({ kind: 'load-end', reason: 'completed' });
  });

  test('several targets are measured one after another and reported side by side', async () => {
    const second = { ...target('mini'), name: 'mini-again' };
    const opts = await options(target('mini'), {
      targets: [target('mini'), second],
      profile: { kind: 'rate', rates: [8] },
      profileText: 'rate 8',
    });
    const { summary } = await runLoad(opts);
    expect(summary.targets.map((t) => t.name)).toEqual(['mini', 'mini-again']);
    const first = summary.targets[0]!.steps[0]!;
    const other = summary.targets[1]!.steps[0]!;
    expect(first.ok).toBe(first.requests);
    expect(other.ok).toBe(other.requests);
    // One after the other: the second target's first request goes out after the first target's step ended.
    const journal = (await readFile(join(opts.runDir, 'journal.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const firstEnd = journal.find((r) => r.kind === 'load-step-end' && r.target === 'mini').endedAt;
    const secondSends = journal.filter((r) => r.kind === 'load-request' && r.target === 'mini-again').map((r) => r.sentAt);
    expect(Math.min(...secondSends)).toBeGreaterThan(firstEnd);
    const md = await readFile(join(opts.runDir, 'summary.md'), 'utf8');
    expect(md).toContain('## mini\n');
    expect(md).toContain('## mini-again\n');
  });
});
