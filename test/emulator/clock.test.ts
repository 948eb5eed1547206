import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/internal/clock.ts';
import { startEmulator } from '../../src/emulator/server.ts';

const ask = (client: OpenAI) =>
  client.chat.completions.create({ model: 'd', messages: [{ role: 'user', content: 'hi' }], max_completion_tokens: 600 });

describe('emulated time', () => {
  it('an injected VirtualClock drives the windows (zero latency)', async () => {
    const clock = new VirtualClock(1_000_000);
    const h = await startEmulator(
      { apiKeys: ['k'], zeroLatency: true, deployments: [{ name: 'd', model: 'gpt-4o-mini', capacity: 1 }] },
      { clock },
    );
    const client = new OpenAI({ baseURL: h.baseURL, apiKey: 'k', maxRetries: 0 });
    try {
      await ask(client);
      const err = (await ask(client).then(
        () => undefined,
        (e: unknown) => e,
      )) as InstanceType<typeof OpenAI.RateLimitError>;
      expect(err).toBeInstanceOf(OpenAI.RateLimitError);
      expect(err.headers?.get('retry-after-ms')).toBe('60000'); // nothing moved: the token entry leaves after exactly 60 s
      await clock.advance(59_999);
      expect(await ask(client).catch((e: { status: number }) => e.status)).toBe(429);
      await clock.advance(1);
      expect((await ask(client)).choices).toHaveLength(1);
      expect(h.clock.elapsedMs()).toBe(60_000);
    } finally {
      await h.close();
    }
  });

  it('timeScale compresses windows: 60 emulated seconds pass in 100 inner ms at 600×', async () => {
    // The inner (real-time) clock is injected, so no scheduling delay of a busy machine can move the window.
    const inner = new VirtualClock(1_000_000);
    const h = await startEmulator(
      { apiKeys: ['k'], zeroLatency: true, timeScale: 600, deployments: [{ name: 'd', model: 'gpt-4o-mini', capacity: 1 }] },
      { clock: inner },
    );
    const client = new OpenAI({ baseURL: h.baseURL, apiKey: 'k', maxRetries: 0 });
    try {
      await ask(client);
      const err = (await ask(client).then(
        () => undefined,
        (e: unknown) => e,
      )) as InstanceType<typeof OpenAI.RateLimitError>;
      expect(err).toBeInstanceOf(OpenAI.RateLimitError);
      expect(err.headers?.get('retry-after-ms')).toBe('60000'); // reported in emulated ms
      await inner.advance(99); // 59.4 emulated seconds
      expect(await ask(client).catch((e: { status: number }) => e.status)).toBe(429);
      await inner.advance(1); // 100 inner ms = 60 emulated seconds
      expect((await ask(client)).choices).toHaveLength(1);
      expect(h.clock.elapsedMs()).toBe(60_000);
    } finally {
      await h.close();
    }
  });
});
