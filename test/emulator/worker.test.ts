import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { EmulatorConfigError } from '../../src/emulator/config.ts';
import { startEmulatorInWorker } from '../../src/emulator/worker.ts';

describe('emulator in a worker thread', () => {
  it('serves requests and exposes stats, patch, faults and close through the admin API', async () => {
    const h = await startEmulatorInWorker({
      apiKeys: ['k'],
      zeroLatency: true,
      deployments: [{ name: 'd', model: 'gpt-4o-mini', capacity: 10 }],
    });
    try {
      const client = new OpenAI({ baseURL: h.baseURL, apiKey: h.apiKey, maxRetries: 0 });
      const r = await client.chat.completions.create({ model: 'd', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 });
      expect(r.choices).toHaveLength(1);
      expect((await h.stats()).deployments.d?.completed).toBe(1);
      await h.patch({ deployments: [{ name: 'd', capacity: 20 }] });
      await expect(h.patch({ deployments: [{ name: 'd', capacity: -1 }] })).rejects.toThrow(
        'deployments[0].capacity: expected a number > 0, got -1',
      );
      const f = await h.addFault({ kind: 'server500', maxCount: 1 });
      expect(f.id).toBeTruthy();
      expect(
        await client.chat.completions
          .create({ model: 'd', messages: [{ role: 'user', content: 'x' }] })
          .catch((e: { status: number }) => e.status),
      ).toBe(500);
      await h.setFaults([]);
      expect(await h.faults()).toEqual([]);
      expect((await h.admissionLog('d')).length).toBe(2);
      await h.reset();
      expect((await h.stats()).totals.received).toBe(0);
    } finally {
      await h.close();
    }
  });

  it('validates the config in the calling thread', async () => {
    await expect(startEmulatorInWorker({ deployments: [{ name: 'd', model: 'gpt-9', capacity: 1 }] })).rejects.toBeInstanceOf(
      EmulatorConfigError,
    );
  });
});
