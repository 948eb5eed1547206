/**
 * Connection errors under load. (1) The keep-alive race behind the ECONNRESETs seen on a busy machine:
 * the load transport drops an idle socket before the server's Keep-Alive timeout, so a burst after a
 * quiet spell (on a client whose event loop stalls across the server's close) never writes to a socket
 * the server has closed. (2) Connections the server cuts during a
 * step are errors of their kind (outcome `connection`, with the OS code when there is one) in the
 * journal and every report, never a crash, and the run ends normally.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulatorInWorker, type RemoteEmulatorHandle } from '../../src/emulator/server.ts';
import { createHttpFetch, IDLE_SOCKET_MS, keepAliveAgents } from '../../src/run/load-http-fetch.ts';
import { syntheticWorkload } from '../../src/run/load-workload.ts';
import { runLoad } from '../../src/run/run-load.ts';
import type { ResolvedTarget } from '../../src/types.ts';

let emulator: RemoteEmulatorHandle;
beforeAll(async () => {
  emulator = await startEmulatorInWorker({
    seed: 4,
    latencyScale: 0.02,
    deployments: [
      { name: 'mini', model: 'gpt-4.1-mini', capacity: 100_000_000, heavyTail: false },
      // A third of the requests cut before any answer, a fifth cut mid-stream.
      {
        name: 'flaky',
        model: 'gpt-4.1-mini',
        capacity: 100_000_000,
        heavyTail: false,
        faults: [
          { kind: 'connectionReset', probability: 0.3 },
          { kind: 'midStreamClose', probability: 0.2, afterEvents: 2 },
        ],
      },
    ],
  });
});
afterAll(() => emulator.close());

describe('connection errors under load', () => {
  test("an idle keep-alive socket is dropped 3 s before the server's Keep-Alive timeout, so it is never reused as the server closes it", async () => {
    // The emulator announces `Keep-Alive: timeout=5` and closes idle sockets after that. Node's agent
    // alone ignored the hint (idle timeout 0: the socket kept until the server's close, and a burst on a
    // stalled client raced it into ECONNRESETs); the load agents time idle sockets out at 5 − 3 = 2 s.
    const { http: agent } = keepAliveAgents();
    const freed: Socket[] = [];
    agent.on('free', (socket: Socket) => freed.push(socket));
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${emulator.baseURL}chat/completions`,
        { method: 'POST', agent, headers: { 'api-key': emulator.apiKey, 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ model: 'mini', messages: [{ role: 'user', content: 'hi' }], max_completion_tokens: 5 }));
    });
    expect(status).toBe(200);
    await new Promise((resolve) => setImmediate(resolve));
    expect(freed).toHaveLength(1);
    expect(freed[0]!.timeout).toBe(2000);
    // Without a hint, idle sockets still go (after IDLE_SOCKET_MS), never kept forever.
    expect((agent as unknown as { options: { timeout?: number } }).options.timeout).toBe(IDLE_SOCKET_MS);
    agent.destroy();
  });

  test('the idle timeout never cuts a request in progress: a reused socket may stay silent longer while the server thinks', async () => {
    // A plain server announcing Keep-Alive: timeout=5 (the reused socket then carries the agent's 2 s
    // idle timeout) whose second answer takes 2.5 s, longer than that timeout.
    let served = 0;
    const server = createServer({ keepAliveTimeout: 5000 }, (_req, res) => {
      const delay = served++ === 0 ? 0 : 2500;
      setTimeout(() => res.end('answer'), delay);
    });
    let connections = 0;
    server.on('connection', () => void connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    const fetchImpl = createHttpFetch();
    try {
      expect(await (await fetchImpl(url)).text()).toBe('answer');
      const slow = await fetchImpl(url);
      expect([slow.status, await slow.text()]).toEqual([200, 'answer']);
      expect([served, connections]).toEqual([2, 1]); // the second request did reuse the socket
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('connections cut during a step are counted as connection errors in the journal and reports; the run completes', async () => {
    const target: ResolvedTarget = {
      name: 'flaky',
      api: 'chat',
      params: { tokenLimitField: 'max_completion_tokens', stream: true, maxOutputTokens: 16 },
      deployments: [
        {
          id: 'flaky',
          baseURL: emulator.baseURL,
          deployment: 'flaky',
          auth: { kind: 'api-key', apiKeyEnv: 'KEY' },
          limits: {},
          maxConcurrency: 1000,
          timeoutMs: 60_000,
        },
      ],
    };
    const runDir = join(await mkdtemp(join(tmpdir(), 'bb-connerr-')), 'run');
    const before = (await emulator.stats()).deployments.flaky!;
    const { summary } = await runLoad({
      targets: [target],
      profile: { kind: 'rate', rates: [100] },
      profileText: 'rate 100',
      arrivals: 'constant',
      durationMs: 1000,
      maxRequests: 100_000,
      saturationConcurrency: 1,
      workload: syntheticWorkload({ inputTokens: 50, outputTokens: 16, seed: 1 }),
      runDir,
      runId: 'connerr',
      env: { KEY: emulator.apiKey },
      signal: new AbortController().signal,
      workers: 0,
      allow429: false,
      seed: '1',
    });
    const after = (await emulator.stats()).deployments.flaky!;
    const step = summary.targets[0]!.steps[0]!;
    expect(step.requests).toBe(100);
    const journal = (await readFile(join(runDir, 'journal.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(journal.at(-1)).toMatchObject({ kind: 'load-end', reason: 'completed' });
    const requests = journal.filter((r) => r.kind === 'load-request');
    const cut = requests.filter((r) => r.outcome === 'connection');
    // Every reset before an answer is one connection error naming its OS code; mid-stream closes are the rest.
    const resets = (after.statuses.reset ?? 0) - (before.statuses.reset ?? 0);
    expect(resets).toBeGreaterThan(10);
    expect(cut.filter((r) => r.errorCode === 'ECONNRESET')).toHaveLength(resets);
    expect(cut.length).toBeGreaterThan(resets);
    expect(step.failures).toEqual({ connection: cut.length });
    expect(step.ok).toBe(100 - cut.length);
    expect(step.ok).toBe(after.completed - before.completed);
    const md = await readFile(join(runDir, 'summary.md'), 'utf8');
    expect(md).toContain(`connection ${cut.length}`);
    const csv = (await readFile(join(runDir, 'results.csv'), 'utf8')).trim().split('\n');
    expect(csv.filter((line) => line.includes(',connection,'))).toHaveLength(cut.length);
  });
});
