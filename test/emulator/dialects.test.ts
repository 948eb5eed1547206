import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/internal/clock.ts';
import type { DeploymentConfig, EmulatorHandle } from '../../src/emulator/server.ts';
import { startEmulator, validateEmulatorConfig } from '../../src/emulator/server.ts';
import { formatDuration } from '../../src/emulator/openai-dialect.ts';
import { RemainingLag, realisticDefaults, resolveRealism } from '../../src/emulator/realism.ts';
import { parseRateHeaders } from '../../src/providers/rate-headers.ts';
import { check } from './openapi-check.ts';

type RateLimitError = InstanceType<typeof OpenAI.RateLimitError>;

async function withEmulator(
  deployment: DeploymentConfig,
  fn: (client: OpenAI, h: EmulatorHandle, clock: VirtualClock) => Promise<void>,
  zeroLatency = true,
  seed = 7,
) {
  const clock = new VirtualClock(1_000_000);
  const h = await startEmulator(
    { apiKeys: ['k'], seed, ...(zeroLatency ? { zeroLatency: true } : {}), deployments: [deployment] },
    { clock },
  );
  const client = new OpenAI({ baseURL: h.baseURL, apiKey: 'k', maxRetries: 0 });
  try {
    await fn(client, h, clock);
  } finally {
    await h.close();
  }
}

const ask = (client: OpenAI, max = 100, content = 'hi') =>
  client.chat.completions.create({ model: 'd', messages: [{ role: 'user', content }], max_completion_tokens: max }).withResponse();
const refused = async (p: Promise<unknown>): Promise<RateLimitError> => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OpenAI.RateLimitError);
  return err as RateLimitError;
};
const rateHeaderNames = (headers: Headers) => [...headers.keys()].filter((k) => /rate-?limit|retry-after|policy-id/.test(k));

describe('openai dialect: per-minute token buckets, duration resets, whole-second retry-after', () => {
  const d: DeploymentConfig = { name: 'd', model: 'gpt-4o-mini', capacity: 1, rpmPerThousandTpm: 6, dialect: 'openai' };

  it('charges the JSON of the messages; per-minute limits; resets as durations; no Azure headers', async () => {
    await withEmulator(d, async (client, h) => {
      const { response } = await ask(client); // JSON [{"role":"user","content":"hi"}] = 32 chars → 8 + 100
      const headers = response.headers;
      expect(headers.get('x-ratelimit-limit-requests')).toBe('6');
      expect(headers.get('x-ratelimit-limit-tokens')).toBe('1000');
      expect(headers.get('x-ratelimit-remaining-tokens')).toBe('892');
      expect(headers.get('x-ratelimit-remaining-requests')).toBe('5');
      expect(headers.get('x-ratelimit-reset-tokens')).toBe('6.48s'); // 108 tokens refill at 1000/min
      expect(headers.get('x-ratelimit-reset-requests')).toBe('10s');
      expect(headers.get('apim-request-id')).toBeNull();
      expect(headers.get('x-ms-region')).toBeNull();
      expect(h.admissionLog('d').map((a) => a.cost)).toEqual([108]);
      // the client's parser sees the OpenAI dialect
      const rate = parseRateHeaders(headers);
      expect(rate.resetFormat).toBe('duration');
      expect(rate.resetTokensMs).toBe(6_480);
    });
  });

  it('the requests bucket starts full (a burst of the whole RPM), then refills continuously', async () => {
    await withEmulator(d, async (client, h, clock) => {
      for (let i = 0; i < 6; i++) await ask(client);
      const err = await refused(ask(client));
      expect(err.headers?.get('retry-after')).toBe('10');
      expect(err.headers?.get('retry-after-ms')).toBeNull();
      expect(err.headers?.get('x-ratelimit-remaining-requests')).toBe('0');
      expect(err.headers?.get('x-ratelimit-reset-requests')).toBe('1m0s');
      expect(err.error).toEqual({
        message:
          'Rate limit reached for gpt-4o-mini in organization org-emulator on requests per min (RPM): Limit 6, Used 6, Requested 1. Please try again in 10s. Visit https://platform.openai.com/account/rate-limits to learn more.',
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      });
      expect(check('ErrorResponse', { error: err.error })).toEqual([]);
      await clock.advance(9_999);
      await refused(ask(client));
      await clock.advance(1);
      await ask(client);
      expect(h.stats().deployments.d?.rejected429.quota_requests).toBe(2);
    });
  });

  it('tokens: exact wait rounded up to whole seconds in retry-after, the exact one in the message', async () => {
    await withEmulator(d, async (client) => {
      await ask(client, 900); // 908
      const err = await refused(ask(client, 900)); // level 92: (908 − 92) × 60 ms = 48.96 s
      expect(err.headers?.get('retry-after')).toBe('49');
      expect(err.headers?.get('x-ratelimit-remaining-tokens')).toBe('92');
      expect(err.headers?.get('x-ratelimit-reset-tokens')).toBe('54.48s');
      expect((err.error as { type: string; message: string }).type).toBe('tokens');
      expect((err.error as { message: string }).message).toContain(
        'on tokens per min (TPM): Limit 1000, Used 908, Requested 908. Please try again in 48.96s.',
      );
    });
  });

  it('formats durations like Go', () => {
    expect([0, 20, 999.2, 1_000, 1_500, 59_999, 60_000, 360_000, 3_600_000, 3_723_500].map(formatDuration)).toEqual([
      '0s',
      '20ms',
      '1s',
      '1s',
      '1.5s',
      '59.999s',
      '1m0s',
      '6m0s',
      '1h0m0s',
      '1h2m3.5s',
    ]);
  });
});

describe('bare dialect: no rate headers, a hard in-flight cap answered with a plain 429', () => {
  it('no quota and no hints; the request over the cap is refused without any header', async () => {
    const bare: DeploymentConfig = {
      name: 'd',
      model: 'gpt-4o-mini',
      capacity: 1,
      dialect: 'bare',
      maxInFlight: 2,
      jitter: false,
      heavyTail: false,
    };
    await withEmulator(
      bare,
      async (client, h, clock) => {
        const running = [ask(client, 2_000), ask(client, 2_000)]; // 4,000 tokens against a 1,000 TPM: no quota here
        while ((h.stats().deployments.d?.inFlight ?? 0) < 2) await new Promise((r) => setTimeout(r, 2));
        const err = await refused(ask(client));
        expect(rateHeaderNames(err.headers as Headers)).toEqual([]);
        expect(err.error).toEqual({ message: 'Too Many Requests', type: 'rate_limit_error', param: null, code: null });
        expect(check('ErrorResponse', { error: err.error })).toEqual([]);
        await clock.advance(600_000);
        const done = await Promise.all(running);
        for (const r of done) expect(rateHeaderNames(r.response.headers)).toEqual([]);
        expect(check('CreateChatCompletionResponse', done[0]?.data)).toEqual([]);
        const stats = h.stats().deployments.d;
        expect(stats?.rejected429.overload).toBe(1);
        expect(stats?.admitted).toBe(2);
        expect(stats?.peakInFlight).toBe(2);
      },
      false,
    );
  });

  it('defaults to 8 in flight', async () => {
    await withEmulator(
      { name: 'd', model: 'gpt-4o-mini', capacity: 1, dialect: 'bare', jitter: false },
      async (client, h, clock) => {
        const running = Array.from({ length: 8 }, () => ask(client));
        while ((h.stats().deployments.d?.inFlight ?? 0) < 8) await new Promise((r) => setTimeout(r, 2));
        await refused(ask(client));
        await clock.advance(600_000);
        await Promise.all(running);
      },
      false,
    );
  });
});

describe('realism profile on the Azure dialect (seeded)', () => {
  const azure = (realism: DeploymentConfig['realism'], capacity = 10): DeploymentConfig => ({
    name: 'd',
    model: 'gpt-4o-mini',
    capacity,
    realism,
  });

  it('exact (default) charges the client estimate; a bias charges more', async () => {
    await withEmulator(azure(undefined), async (client, h) => {
      await ask(client, 100, 'hello');
      expect(h.admissionLog('d').map((a) => a.cost)).toEqual([102]);
    });
    await withEmulator(azure({ estimateBias: 0.1 }), async (client, h) => {
      const { response } = await ask(client, 100, 'hello');
      expect(h.admissionLog('d').map((a) => a.cost)).toEqual([112]); // round(102 × 1.1)
      expect(response.headers.get('x-ratelimit-remaining-tokens')).toBe('9888');
    });
  });

  it('noise: within ±noise of the estimate, the same body charged the same, replayed by the seed', async () => {
    const charges = async (): Promise<number[]> => {
      let out: number[] = [];
      await withEmulator(azure({ estimateNoise: 0.1 }, 1_000), async (client, h) => {
        for (let i = 0; i < 30; i++) await ask(client, 100, `question ${i}`);
        await ask(client, 100, 'question 0');
        out = h.admissionLog('d').map((a) => a.cost);
      });
      return out;
    };
    const first = await charges();
    for (let i = 0; i < 30; i++) {
      const exact = Math.ceil(`question ${i}`.length / 4) + 100;
      expect(first[i]).toBeGreaterThanOrEqual(Math.round(exact * 0.9));
      expect(first[i]).toBeLessThanOrEqual(Math.round(exact * 1.1));
    }
    expect(new Set(first).size).toBeGreaterThan(5);
    expect(first[30]).toBe(first[0]);
    expect(await charges()).toEqual(first);
  });

  it('remaining-* lag: each response reports one of the last three true values, and some are stale', async () => {
    await withEmulator(azure({ remainingLagMax: 2 }, 100), async (client) => {
      let stale = 0;
      for (let k = 1; k <= 20; k++) {
        const { response } = await ask(client, 100, 'hello');
        const reported = Number(response.headers.get('x-ratelimit-remaining-tokens'));
        const lag = k - (100_000 - reported) / 102; // reported = the true value `lag` decisions earlier
        expect(Number.isInteger(lag) && lag >= 0 && lag <= Math.min(2, k - 1)).toBe(true);
        if (lag > 0) stale++;
      }
      expect(stale).toBeGreaterThan(0);
    });
    const lag = new RemainingLag();
    for (let i = 0; i < 5; i++) lag.record(100 - i, 10 - i, 2);
    expect([lag.at(0), lag.at(2), lag.at(5)]).toEqual([
      { tokens: 96, requests: 6 },
      { tokens: 98, requests: 8 },
      { tokens: 98, requests: 8 },
    ]);
  });

  it('header spellings: no limit-*; the 2023 429 (x-rate-limit-reset-tokens, policy-id, no retry-after)', async () => {
    await withEmulator(azure({ omitLimitHeaders: 1 }), async (client) => {
      const { response } = await ask(client);
      expect(response.headers.get('x-ratelimit-limit-tokens')).toBeNull();
      expect(response.headers.get('x-ratelimit-limit-requests')).toBeNull();
      expect(response.headers.get('x-ratelimit-remaining-tokens')).toBe(String(10_000 - 101));
    });
    await withEmulator(azure({ legacy429: 1 }, 1), async (client) => {
      await ask(client, 600);
      const err = await refused(ask(client, 600));
      expect(err.headers?.get('x-rate-limit-reset-tokens')).toBe('60');
      expect(err.headers?.get('policy-id')).toBe('DeploymentRatelimit-Token');
      expect(err.headers?.get('retry-after')).toBeNull();
      expect(err.headers?.get('retry-after-ms')).toBeNull();
      expect((err.error as { message: string }).message).toContain('Please retry after 60 seconds.');
    });
  });

  it('retry-after-ms rounded up to whole seconds, or absent with retry-after kept', async () => {
    for (const [realism, ms] of [
      [{ retryAfterMsRounded: 1 }, '59000'],
      [{ retryAfterMsAbsent: 1 }, null],
    ] as const) {
      await withEmulator(azure(realism, 1), async (client, _h, clock) => {
        await ask(client, 600);
        await clock.advance(1_500); // exact wait 58.5 s
        const err = await refused(ask(client, 600));
        expect(err.headers?.get('retry-after-ms')).toBe(ms);
        expect(err.headers?.get('retry-after')).toBe('59');
      });
    }
  });

  it('capacity 429s: high-demand body with a 1–5 s hint, before admission (no quota used)', async () => {
    await withEmulator(azure({ capacity429: 1 }), async (client, h) => {
      const err = await refused(ask(client));
      expect((err.error as { message: string }).message).toMatch(/^The system is currently experiencing high demand/);
      const ms = Number(err.headers?.get('retry-after-ms'));
      expect(ms).toBeGreaterThanOrEqual(1_000);
      expect(ms).toBeLessThan(5_000);
      expect(h.stats().deployments.d?.rejected429.capacity).toBe(1);
      expect(h.stats().deployments.d?.admitted).toBe(0);
    });
  });

  it("'realistic' is the documented preset and replays exactly from the seed", async () => {
    expect(resolveRealism('realistic')).toEqual(realisticDefaults);
    expect(resolveRealism('exact')).toBeUndefined();
    const trace = async (seed: number): Promise<string[]> => {
      const out: string[] = [];
      await withEmulator(
        azure('realistic', 20),
        async (client) => {
          for (let i = 0; i < 40; i++) {
            const r = await ask(client, 300, `q${i}`).then(
              (x) => x.response.headers,
              (e: RateLimitError) => e.headers as Headers,
            );
            out.push(
              rateHeaderNames(r)
                .sort()
                .map((k) => `${k}=${r.get(k)}`)
                .join(','),
            );
          }
        },
        true,
        seed,
      );
      return out;
    };
    const a = await trace(3);
    expect(await trace(3)).toEqual(a);
    expect(a.some((line) => !line.includes('x-ratelimit-limit-tokens'))).toBe(true);
  });

  it('config errors name the field', () => {
    const bad = (over: Partial<DeploymentConfig>) => () =>
      validateEmulatorConfig({ deployments: [{ name: 'd', model: 'gpt-4o-mini', capacity: 1, ...over }] });
    expect(bad({ dialect: 'vllm' as never })).toThrow('deployments[0].dialect: expected one of azure, openai, bare, got "vllm"');
    expect(bad({ realism: { estimateNoise: 2 } })).toThrow('deployments[0].realism.estimateNoise: expected a number in [0, 1), got 2');
    expect(bad({ realism: { noise: 0.1 } as never })).toThrow('deployments[0].realism.noise: unknown setting');
    expect(bad({ realism: 'real' as never })).toThrow(
      `deployments[0].realism: expected 'exact', 'realistic' or an object of settings, got "real"`,
    );
    expect(bad({ maxInFlight: 0 })).toThrow('deployments[0].maxInFlight: expected an integer >= 1, got 0');
  });
});
