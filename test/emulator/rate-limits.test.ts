import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { DeploymentConfig, EmulatorHandle } from '../../src/emulator/server.ts';
import { start } from './helpers.ts';

async function withDeployment(dep: DeploymentConfig, fn: (client: OpenAI, h: EmulatorHandle) => Promise<void>, extra = {}) {
  const s = await start({ deployments: [dep], ...extra });
  try {
    await fn(s.client, s.h);
  } finally {
    await s.h.close();
  }
}

const chat = (client: OpenAI, model: string, max = 100, content = 'hello') =>
  client.chat.completions.create({ model, messages: [{ role: 'user', content }], max_completion_tokens: max }).withResponse();

async function rateLimited(p: Promise<unknown>): Promise<InstanceType<typeof OpenAI.RateLimitError>> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OpenAI.RateLimitError);
  return err as InstanceType<typeof OpenAI.RateLimitError>;
}

describe('standard admission over HTTP (§12.4)', () => {
  it('full x-ratelimit-* set on admitted responses; token 429 with exact hints and the classic body', async () => {
    await withDeployment({ name: 'small', model: 'gpt-4o-mini', capacity: 1 }, async (client) => {
      const first = await chat(client, 'small', 600);
      const h = first.response.headers;
      expect(h.get('x-ratelimit-limit-tokens')).toBe('1000');
      expect(h.get('x-ratelimit-limit-requests')).toBe('1'); // 6 RPM → ceil(6/6) per 10 s
      expect(h.get('x-ratelimit-remaining-tokens')).toBe(String(1000 - 602)); // ceil(5/4) + 600
      expect(h.get('x-ratelimit-remaining-requests')).toBe('0');
      expect(h.get('x-ratelimit-reset-tokens')).toBe('60');
      expect(h.get('x-ratelimit-reset-requests')).toBe('10');
      const err = await rateLimited(chat(client, 'small', 600));
      expect(err.code).toBe('429');
      const ms = Number(err.headers?.get('retry-after-ms'));
      expect(ms).toBeGreaterThan(9_000); // the request window (10 s) or the token window (60 s) must free first
      expect(Number(err.headers?.get('retry-after'))).toBe(Math.max(1, Math.ceil(ms / 1000)));
      expect((err.error as { message: string }).message).toMatch(
        /^Requests to the ChatCompletions_Create Operation under Azure OpenAI API version v1 have exceeded (token|call) rate limit of your current AIServices S0 pricing tier\. Please retry after \d+ seconds\./,
      );
      expect(err.headers?.get('x-ratelimit-limit-tokens')).toBe('1000');
      expect(err.headers?.get('apim-request-id')).toBeTruthy();
    });
  });

  it('a cost larger than the whole TPM → 429 retry-after 60', async () => {
    await withDeployment({ name: 'small', model: 'gpt-4o-mini', capacity: 1 }, async (client) => {
      const err = await rateLimited(chat(client, 'small', 5_000));
      expect(err.headers?.get('retry-after')).toBe('60');
      expect(err.headers?.get('retry-after-ms')).toBe('60000');
      expect((err.error as { message: string }).message).toContain('token rate limit');
    });
  });

  it('Responses_Create operation name and the "newer" / "gateway" message families', async () => {
    await withDeployment({ name: 'd', model: 'gpt-4.1-nano', capacity: 1, quirks: { quotaMessageStyle: 'newer' } }, async (client) => {
      await client.responses.create({ model: 'd', input: 'x', max_output_tokens: 900 });
      const err = await rateLimited(client.responses.create({ model: 'd', input: 'x', max_output_tokens: 900 }));
      expect((err.error as { message: string }).message).toMatch(
        /^Your requests to gpt-4\.1-nano for d in East US have exceeded the (token|call) rate limit for your current AIServices S0 pricing tier\. This request was for Responses_Create under Azure OpenAI API version v1\. Please retry after \d+ seconds\.$/,
      );
    });
    await withDeployment({ name: 'g', model: 'gpt-4o', capacity: 1, quirks: { quotaMessageStyle: 'gateway' } }, async (client) => {
      await chat(client, 'g', 900);
      const err = await rateLimited(chat(client, 'g', 900));
      expect((err.error as { message: string }).message).toMatch(/^Rate limit is exceeded\. Try again in \d+ seconds\.$/);
    });
  });

  it('429s are not counted by default; countRejected429 counts them', async () => {
    await withDeployment(
      { name: 'r', model: 'gpt-4o-mini', capacity: 100, requestWindows: [{ ms: 60_000, limit: 2 }] },
      async (client, h) => {
        await chat(client, 'r', 10);
        await chat(client, 'r', 10);
        await rateLimited(chat(client, 'r', 10));
        const stats = h.stats().deployments.r;
        expect(stats?.admitted).toBe(2);
        expect(stats?.rejected429.quota_requests).toBe(1);
        expect(stats?.statuses).toEqual({ '200': 2, '429': 1 });
      },
    );
  });
});

describe('header quirks (§13.4)', () => {
  it('omitLimitHeaders and limitRequestsAsRpm', async () => {
    await withDeployment({ name: 'q', model: 'gpt-4o-mini', capacity: 10, quirks: { omitLimitHeaders: true } }, async (client) => {
      const { response } = await chat(client, 'q', 10);
      expect(response.headers.get('x-ratelimit-limit-tokens')).toBeNull();
      expect(response.headers.get('x-ratelimit-limit-requests')).toBeNull();
      expect(response.headers.get('x-ratelimit-remaining-tokens')).not.toBeNull();
    });
    await withDeployment({ name: 'q', model: 'gpt-4o-mini', capacity: 10, quirks: { limitRequestsAsRpm: true } }, async (client) => {
      const { response } = await chat(client, 'q', 10);
      expect(response.headers.get('x-ratelimit-limit-requests')).toBe('60');
    });
  });

  it('legacy 2023 headers: x-rate-limit-reset-tokens + policy-id, no retry-after', async () => {
    await withDeployment({ name: 'q', model: 'gpt-4o-mini', capacity: 1, quirks: { legacy2023Headers: true } }, async (client) => {
      await chat(client, 'q', 900);
      const err = await rateLimited(chat(client, 'q', 900));
      expect(err.headers?.get('x-rate-limit-reset-tokens')).toMatch(/^\d+$/);
      expect(err.headers?.get('policy-id')).toMatch(/^DeploymentRatelimit-/);
      expect(err.headers?.get('retry-after')).toBeNull();
      expect(err.headers?.get('retry-after-ms')).toBeNull();
    });
  });

  it('Responses -1 token headers and no retry-after (chat unaffected)', async () => {
    await withDeployment({ name: 'q', model: 'gpt-4.1-mini', capacity: 1, quirks: { responsesMinusOneHeaders: true } }, async (client) => {
      const ok = await client.responses.create({ model: 'q', input: 'x', max_output_tokens: 900 }).withResponse();
      expect(ok.response.headers.get('x-ratelimit-limit-tokens')).toBe('-1');
      expect(ok.response.headers.get('x-ratelimit-remaining-tokens')).toBe('-1');
      expect(ok.response.headers.get('x-ratelimit-reset-tokens')).toBe('0');
      const err = await rateLimited(client.responses.create({ model: 'q', input: 'x', max_output_tokens: 900 }));
      expect(err.headers?.get('retry-after')).toBeNull();
      const chatErr = await rateLimited(chat(client, 'q', 900));
      expect(chatErr.headers?.get('retry-after')).not.toBeNull();
    });
  });

  it('1 s sub-window at RPM/60: the 6th request within a second is rejected while remaining-requests reads 45', async () => {
    await withDeployment(
      { name: 'q', model: 'gpt-4o-mini', capacity: 50, quirks: { oneSecondRequestWindow: true } },
      async (client, h) => {
        h.clock.setTimeScale(0.001); // freeze-ish emulated time so all six land inside 1 s
        let last: Headers | undefined;
        for (let i = 0; i < 5; i++) last = (await chat(client, 'q', 10)).response.headers;
        expect(last?.get('x-ratelimit-remaining-requests')).toBe('45');
        const err = await rateLimited(chat(client, 'q', 10));
        expect(err.headers?.get('x-ratelimit-remaining-requests')).toBe('45');
        expect(Number(err.headers?.get('retry-after-ms'))).toBeLessThanOrEqual(1_000);
      },
      { zeroLatency: true },
    );
  });

  it('60 s request window for low-RPM models: retry-after counts down from 60', async () => {
    await withDeployment({ name: 'q', model: 'gpt-4.1', capacity: 2, quirks: { sixtySecondRequestWindow: true } }, async (client) => {
      const first = await chat(client, 'q', 10);
      expect(first.response.headers.get('x-ratelimit-limit-requests')).toBe('2');
      await chat(client, 'q', 10);
      const err = await rateLimited(chat(client, 'q', 10));
      expect(Number(err.headers?.get('retry-after'))).toBeGreaterThan(55);
      expect(Number(err.headers?.get('x-ratelimit-reset-requests'))).toBeGreaterThan(55);
    });
  });
});

describe('provisioned (PTU) deployments (§8)', () => {
  it('no x-ratelimit headers; 429 with retry-after-ms once utilisation ≥ 100 %; utilisation header quirk', async () => {
    const dep: DeploymentConfig = {
      name: 'p',
      model: 'gpt-4o',
      sku: 'provisioned',
      capacity: 1,
      outputTokens: { median: 3_000, sigma: 0 },
      quirks: { ptuUtilizationHeader: true },
    };
    await withDeployment(dep, async (client, h) => {
      const first = await chat(client, 'p', 500);
      expect(first.response.headers.get('x-ratelimit-limit-tokens')).toBeNull();
      expect(first.response.headers.get('x-ratelimit-remaining-tokens')).toBeNull();
      expect(first.response.headers.get('azure-openai-deployment-utilization')).toMatch(/^\d+\.\d%$/);
      await chat(client, 'p', 500); // U ≈ 2 000 < C = 2 500: admitted, bursting above 100 %
      const err = await rateLimited(chat(client, 'p', 500));
      expect(Number(err.headers?.get('retry-after-ms'))).toBeGreaterThan(0);
      expect(err.headers?.get('retry-after')).not.toBeNull();
      expect(err.headers?.get('x-ratelimit-limit-tokens')).toBeNull();
      expect(h.stats().deployments.p?.rejected429.ptu).toBe(1);
    });
  });
});

describe('time-compressed run at 3× oversubscription', () => {
  it('admitted tokens never exceed the TPM budget in any 1 s token window', async () => {
    const dep: DeploymentConfig = {
      name: 'c',
      model: 'gpt-4o-mini',
      capacity: 6,
      tokenWindowMs: 1_000,
      requestWindows: [{ ms: 1_000, limit: 10_000 }],
    };
    await withDeployment(
      dep,
      async (client, h) => {
        // Each request costs ceil(chars/4) + 190 ≈ 197 tokens; the budget is 6 000 per 1 s ≈ 30 req/s. Offer ≈ 90 req/s
        // as bursts of 45 every 500 ms, so every burst alone overflows the budget however slow the timers are.
        const pending: Array<Promise<number>> = [];
        for (let burst = 0; burst < 4; burst++) {
          for (let i = 0; i < 45; i++) {
            const n = burst * 45 + i;
            pending.push(
              client.chat.completions
                .create({ model: 'c', messages: [{ role: 'user', content: `request number ${n} padding` }], max_completion_tokens: 190 })
                .then(
                  () => 200,
                  (e: { status: number }) => e.status,
                ),
            );
          }
          await new Promise((r) => setTimeout(r, 500));
        }
        const statuses = await Promise.all(pending);
        expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
        expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(20);
        expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
        const log = h.admissionLog('c');
        expect(log.length).toBe(statuses.filter((s) => s === 200).length);
        for (const a of log) {
          const inWindow = log.filter((b) => b.t > a.t - 1_000 && b.t <= a.t).reduce((sum, b) => sum + b.cost, 0);
          expect(inWindow).toBeLessThanOrEqual(6_000);
        }
      },
      { zeroLatency: true },
    );
  });
});
