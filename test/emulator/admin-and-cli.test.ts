import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { runEmulatorCommand } from '../../src/cli/commands/emulator.ts';
import { parseSse, raw, start } from './helpers.ts';

describe('admin API (/_emulator)', () => {
  it('stats, config GET/PATCH, clock, reset', async () => {
    const { h, client } = await start();
    try {
      await client.chat.completions.create({
        model: 'mini',
        messages: [{ role: 'user', content: 'What is 6 times 7?' }],
        max_completion_tokens: 10,
      });
      const stats = await raw(h, '/_emulator/stats', { method: 'GET' });
      expect(stats.json.deployments.mini).toMatchObject({
        received: 1,
        admitted: 1,
        completed: 1,
        statuses: { '200': 1 },
        inFlight: 0,
        peakInFlight: 1,
      });
      expect(stats.json.deployments.mini.tokensEstimated).toBe(Math.ceil('What is 6 times 7?'.length / 4) + 10);
      expect(stats.json.deployments.mini.completionTokensUsed).toBeGreaterThan(0);
      const withLog = await raw(h, '/_emulator/stats?deployment=mini&log=1', { method: 'GET' });
      expect(withLog.json.admissionLog).toHaveLength(1);
      expect(withLog.json.completions.requestIds).toHaveLength(1);

      const patched = await raw(h, '/_emulator/config', {
        method: 'PATCH',
        body: JSON.stringify({ deployments: [{ name: 'mini', capacity: 2 }] }),
      });
      expect(patched.status).toBe(200);
      expect(patched.json.deployments[0].capacity).toBe(2);
      const { response } = await client.chat.completions
        .create({ model: 'mini', messages: [{ role: 'user', content: 'x' }], max_completion_tokens: 10 })
        .withResponse();
      expect(response.headers.get('x-ratelimit-limit-tokens')).toBe('2000');
      const badPatch = await raw(h, '/_emulator/config', {
        method: 'PATCH',
        body: JSON.stringify({ deployments: [{ name: 'zz', model: 'gpt-9', capacity: 1 }] }),
      });
      expect(badPatch.status).toBe(400);
      expect(badPatch.json.error.issues[0]).toMatch(/^deployments\[3\]\.model: unknown model profile "gpt-9"/);

      const clock = await raw(h, '/_emulator/clock', { method: 'GET' });
      expect(clock.json.timeScale).toBe(1);
      const advanced = await raw(h, '/_emulator/clock', { body: JSON.stringify({ advanceMs: 120_000, timeScale: 2 }) });
      expect(advanced.json.elapsedMs).toBeGreaterThanOrEqual(120_000);
      expect(advanced.json.timeScale).toBe(2);

      const reset = await raw(h, '/_emulator/reset', { body: '' });
      expect(reset.status).toBe(200);
      expect(h.stats().totals.received).toBe(0);
      expect((await raw(h, '/_emulator/nope', { method: 'GET' })).status).toBe(404);
    } finally {
      await h.close();
    }
  });

  it('gateway timeout: a non-streaming request longer than gatewayTimeoutMs gets 408', async () => {
    const { h, client } = await start({ deployments: [{ name: 'slow', model: 'o3', capacity: 100, gatewayTimeoutMs: 1 }] });
    try {
      const err = await client.chat.completions
        .create({ model: 'slow', messages: [{ role: 'user', content: 'think hard' }] })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.APIError);
      expect((err as { status: number }).status).toBe(408);
      expect((err as { code: string }).code).toBe('Timeout');
    } finally {
      await h.close();
    }
  });

  it('streamError fault: Responses gets an `error` event, chat an error chunk; the SDK throws', async () => {
    const { h, client } = await start();
    try {
      h.addFault({ kind: 'streamError', afterEvents: 2, maxCount: 1 });
      const frames = parseSse(
        (await raw(h, '/openai/v1/responses', { body: JSON.stringify({ model: 'mini', input: 'x', stream: true }) })).text,
      );
      expect(frames).toHaveLength(3);
      expect(frames[2]?.event).toBe('error');
      h.addFault({ kind: 'streamError', afterEvents: 3, maxCount: 1 });
      const stream = await client.chat.completions.create({ model: 'mini', stream: true, messages: [{ role: 'user', content: 'x' }] });
      const err = await (async () => {
        for await (const _ of stream) {
          /* consume */
        }
      })().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.APIError);
    } finally {
      await h.close();
    }
  });
});

describe('CLI command', () => {
  it('starts a demo emulator, prints base URL, key and a curl example, and stops on abort', async () => {
    const lines: string[] = [];
    const controller = new AbortController();
    const done = runEmulatorCommand({ print: (l) => lines.push(l), signal: controller.signal });
    for (let i = 0; i < 100 && !lines.some((l) => l.startsWith('  curl')); i++) await new Promise((r) => setTimeout(r, 20));
    const baseURL = lines.find((l) => l.startsWith('base URL:'))?.split(/\s+/)[2] ?? '';
    const apiKey = lines.find((l) => l.startsWith('api key:'))?.split(/\s+/)[2] ?? '';
    expect(baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/openai\/v1\/$/);
    expect(apiKey).toMatch(/^[0-9a-f]{32}$/);
    expect(lines.some((l) => l.includes('curl') && l.includes(apiKey))).toBe(true);
    const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });
    expect((await client.models.list()).data.length).toBeGreaterThan(1);
    controller.abort();
    await done;
    expect(lines.at(-1)).toBe('emulator stopped');
  });

  it('rejects a bad config file with one-line messages', async () => {
    const { writeFile, mkdtemp } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'emu-'));
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ deployments: [{ name: 'a', model: 'gpt-9', capacity: 1 }] }));
    await expect(runEmulatorCommand({ config: file, print: () => {}, signal: AbortSignal.abort() })).rejects.toThrow(
      /^\S*bad\.json: deployments\[0\]\.model: unknown model profile "gpt-9"/,
    );
    const good = join(dir, 'good.json');
    await writeFile(good, JSON.stringify({ apiKeys: ['abc'], deployments: [{ name: 'a', model: 'gpt-4o', capacity: 1 }] }));
    const lines: string[] = [];
    await runEmulatorCommand({ config: good, print: (l) => lines.push(l), signal: AbortSignal.abort() });
    expect(lines.some((l) => l.includes('api key:     abc'))).toBe(true);
  });
});
