import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorHandle } from '../../src/emulator/server.ts';
import { KEY, parseSse, raw, start } from './helpers.ts';

let h: EmulatorHandle;
let client: OpenAI;
beforeAll(
  async () => ({ h, client } = await start({ contentFilter: { promptTriggers: ['FORBIDDEN-PROMPT'], completionTriggers: ['FILTER-ME'] } })),
);
afterAll(() => h.close());
afterEach(() => h.clearFaults());

const ask = (model = 'mini', extra: Record<string, unknown> = {}) =>
  client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hello there' }], max_completion_tokens: 20, ...extra });

async function failure(p: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OpenAI.APIError);
  return err as InstanceType<typeof OpenAI.APIError>;
}

function expectAzureErrorHeaders(headers: Headers) {
  expect(headers.get('content-type')).toContain('application/json');
  expect(headers.get('apim-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  expect(headers.get('x-request-id')).toBe(headers.get('apim-request-id'));
}

describe('request errors (§6)', () => {
  it('400 for bad JSON and missing messages', async () => {
    const bad = await raw(h, '/openai/v1/chat/completions', { body: '{"model":' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.type).toBe('invalid_request_error');
    expectAzureErrorHeaders(bad.headers);
    const missing = await raw(h, '/openai/v1/chat/completions', { body: JSON.stringify({ model: 'mini' }) });
    expect(missing.json.error).toMatchObject({ type: 'invalid_request_error', param: 'messages', code: 'missing_required_parameter' });
  });

  it('404 DeploymentNotFound with the exact body', async () => {
    const err = await failure(ask('nope'));
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err.code).toBe('DeploymentNotFound');
    expect(err.error).toEqual({
      code: 'DeploymentNotFound',
      message:
        'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
    });
    expectAzureErrorHeaders(err.headers as Headers);
  });

  it('400 context_length_exceeded, with and without max_tokens', async () => {
    const long = 'a '.repeat(260_000);
    const err = await failure(client.chat.completions.create({ model: 'mini', messages: [{ role: 'user', content: long }] }));
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.code).toBe('context_length_exceeded');
    expect(err.param).toBe('messages');
    expect(err.error).toMatchObject({
      message:
        "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens. Please reduce the length of the messages.",
      type: 'invalid_request_error',
    });
    const withMax = await failure(
      client.chat.completions.create({ model: 'mini', messages: [{ role: 'user', content: long }], max_tokens: 100 }),
    );
    expect((withMax.error as { message: string }).message).toContain(
      'you requested 130100 tokens (130000 in the messages, 100 in the completion)',
    );
  });

  it('400 unsupported_parameter for max_tokens and temperature on reasoning profiles', async () => {
    const err = await failure(client.chat.completions.create({ model: 'o4', messages: [{ role: 'user', content: 'x' }], max_tokens: 10 }));
    expect(err.error).toEqual({
      message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      type: 'invalid_request_error',
      param: 'max_tokens',
      code: 'unsupported_parameter',
    });
    const temp = await failure(
      client.chat.completions.create({ model: 'o4', messages: [{ role: 'user', content: 'x' }], temperature: 0.2 }),
    );
    expect(temp.param).toBe('temperature');
    expect(temp.code).toBe('unsupported_parameter');
    // DeepSeek-R1 (partner model) accepts max_tokens
    expect((await ask('r1', { max_completion_tokens: undefined, max_tokens: 3000 })).choices.length).toBe(1);
  });

  it('400 content_filter for a prompt trigger; 200 finish_reason content_filter for a completion trigger', async () => {
    const err = await failure(
      client.chat.completions.create({ model: 'mini', messages: [{ role: 'user', content: 'please FORBIDDEN-PROMPT' }] }),
    );
    expect(err.code).toBe('content_filter');
    expect(err.param).toBe('prompt');
    expect((err.error as { innererror: { code: string } }).innererror.code).toBe('ResponsibleAIPolicyViolation');
    const ok = await client.chat.completions.create({ model: 'mini', messages: [{ role: 'user', content: 'say FILTER-ME' }] });
    expect(ok.choices[0]?.finish_reason).toBe('content_filter');
    expect((ok.choices[0] as unknown as { content_filter_results: { violence: unknown } }).content_filter_results.violence).toEqual({
      filtered: true,
      severity: 'high',
    });
    const stream = parseSse(
      (
        await raw(h, '/openai/v1/chat/completions', {
          body: JSON.stringify({ model: 'mini', stream: true, messages: [{ role: 'user', content: 'FILTER-ME' }] }),
        })
      ).text,
    );
    expect(stream.at(-2)?.data).toContain('"finish_reason":"content_filter"');
  });
});

describe('fault injection (§13.4)', () => {
  it('500 server_error carries the request id; 408 Timeout; 503 with retry-after', async () => {
    h.addFault({ kind: 'server500', deployment: 'mini', maxCount: 1 });
    const e500 = await failure(ask());
    expect(e500).toBeInstanceOf(OpenAI.InternalServerError);
    expect((e500.error as { message: string }).message).toContain(
      `(Please include the request ID ${e500.headers?.get('apim-request-id')} in your message.)`,
    );
    expect(e500.error).toMatchObject({ type: 'server_error', param: null, code: null });
    h.addFault({ kind: 'timeout408', maxCount: 1 });
    const e408 = await failure(ask());
    expect(e408.status).toBe(408);
    expect(e408.error).toEqual({ code: 'Timeout', message: 'The operation was timeout.' });
    h.addFault({ kind: 'unavailable503', maxCount: 1, retryAfterMs: 3_000 });
    const e503 = await failure(ask());
    expect(e503.status).toBe(503);
    expect(e503.code).toBe('ServiceUnavailable');
    expect(e503.headers?.get('retry-after')).toBe('3');
    expect((await ask()).choices.length).toBe(1); // maxCount used up
  });

  it('capacity 429 (high demand, retry-after-ms) and EngineOverloaded (no hints)', async () => {
    h.addFault({ kind: 'capacity429', maxCount: 1, retryAfterMs: 1_500 });
    const cap = await failure(ask());
    expect(cap).toBeInstanceOf(OpenAI.RateLimitError);
    expect(cap.headers?.get('retry-after-ms')).toBe('1500');
    expect(cap.headers?.get('retry-after')).toBe('2');
    expect((cap.error as { message: string }).message).toMatch(/^The system is currently experiencing high demand/);
    h.addFault({ kind: 'overload429', maxCount: 1 });
    const over = await failure(ask());
    expect(over).toBeInstanceOf(OpenAI.RateLimitError);
    expect(over.code).toBe('EngineOverloaded');
    expect(over.headers?.get('retry-after')).toBeNull();
    expect(over.headers?.get('retry-after-ms')).toBeNull();
    const s = h.stats().deployments.mini;
    expect(s?.rejected429.capacity).toBeGreaterThanOrEqual(1);
    expect(s?.rejected429.overload).toBeGreaterThanOrEqual(1);
  });

  it('connection reset → APIConnectionError; hang → client timeout', async () => {
    h.addFault({ kind: 'connectionReset', maxCount: 1 });
    const reset = await ask().catch((e: unknown) => e);
    expect(reset).toBeInstanceOf(OpenAI.APIConnectionError);
    h.addFault({ kind: 'hang', maxCount: 1 });
    const hung = await client.chat.completions
      .create({ model: 'mini', messages: [{ role: 'user', content: 'x' }] }, { timeout: 200 })
      .catch((e: unknown) => e);
    expect(hung).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
  });

  it('a hung request does not block close()', async () => {
    const s = await start();
    s.h.addFault({ kind: 'hang' });
    const pending = s.client.chat.completions
      .create({ model: 'mini', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    await s.h.close();
    expect(await pending).toBeInstanceOf(OpenAI.APIConnectionError);
  });

  it('malformed JSON body and mid-stream close', async () => {
    h.addFault({ kind: 'malformedJson', maxCount: 1 });
    const broken = await raw(h, '/openai/v1/chat/completions', {
      body: JSON.stringify({ model: 'mini', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(broken.status).toBe(200);
    expect(broken.json).toBeUndefined();
    h.addFault({ kind: 'midStreamClose', afterEvents: 3, maxCount: 1 });
    const stream = await client.chat.completions.create({
      model: 'mini',
      stream: true,
      messages: [{ role: 'user', content: 'write a long text' }],
    });
    let chunks = 0;
    const err = await (async () => {
      for await (const _ of stream) chunks++;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(chunks).toBeLessThanOrEqual(3);
  });

  it('a deployment down between two times, then recovering (emulated clock)', async () => {
    const now = h.clock.elapsedMs();
    h.addFault({ kind: 'deploymentNotFound', deployment: 'mini', fromMs: now, toMs: now + 60_000 });
    expect((await failure(ask())).code).toBe('DeploymentNotFound');
    expect((await ask('r1', { max_completion_tokens: 3000 })).choices.length).toBe(1); // other deployments unaffected
    h.clock.advance(61_000);
    expect((await ask()).choices.length).toBe(1);
  });

  it('after k requests, by probability, and faults via the admin API', async () => {
    const s = await start();
    try {
      const received = () => s.h.stats().deployments.mini?.received ?? 0;
      s.h.setFaults([{ kind: 'server500', deployment: 'mini', afterRequests: 2 }]);
      const results = [];
      for (let i = 0; i < 4; i++)
        results.push(
          await s.client.chat.completions.create({ model: 'mini', messages: [{ role: 'user', content: `q${i}` }] }).then(
            () => 200,
            (e: { status: number }) => e.status,
          ),
        );
      expect(results).toEqual([200, 200, 500, 500]);
      expect(received()).toBe(4);
      const added = await raw(s.h, '/_emulator/faults', { body: JSON.stringify({ kind: 'server500', probability: 0.5 }) });
      expect(added.status).toBe(200);
      const list = await raw(s.h, '/_emulator/faults', { method: 'GET' });
      expect(list.json).toHaveLength(2);
      await raw(s.h, `/_emulator/faults?id=${list.json[0].id}`, { method: 'DELETE' });
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++)
        statuses.push(
          await s.client.chat.completions.create({ model: 'o4', messages: [{ role: 'user', content: `p${i}` }] }).then(
            () => 200,
            (e: { status: number }) => e.status,
          ),
        );
      expect(statuses.filter((x) => x === 500).length).toBeGreaterThan(5);
      expect(statuses.filter((x) => x === 200).length).toBeGreaterThan(5);
      const badFault = await raw(s.h, '/_emulator/faults', { body: JSON.stringify({ kind: 'explode' }) });
      expect(badFault.status).toBe(400);
      expect(badFault.json.error.message).toMatch(/^fault\.kind: expected one of/);
    } finally {
      await s.h.close();
    }
  });

  it('limitReduction lowers x-ratelimit-limit-tokens for its time range; busy keeps answering', async () => {
    h.addFault({ kind: 'limitReduction', deployment: 'mini', factor: 0.25 });
    h.addFault({ kind: 'busy', latencyMultiplier: 2 });
    const { response } = await ask().withResponse();
    expect(response.headers.get('x-ratelimit-limit-tokens')).toBe('250000');
    h.clearFaults();
    const after = await ask().withResponse();
    expect(after.response.headers.get('x-ratelimit-limit-tokens')).toBe('1000000');
  });

  it('admin routes require the key', async () => {
    const res = await raw(h, '/_emulator/stats', { method: 'GET', key: null });
    expect(res.status).toBe(401);
    const ok = await fetch(`${h.url}/_emulator/stats`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(ok.status).toBe(200);
  });
});
