import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorHandle } from '../../src/emulator/server.ts';
import { countTokens } from '../../src/emulator/tokens.ts';
import { check } from './openapi-check.ts';
import { parseSse, raw, start } from './helpers.ts';

let h: EmulatorHandle;
let client: OpenAI;
beforeAll(async () => ({ h, client } = await start()));
afterAll(() => h.close());

describe('chat completions (non-streaming)', () => {
  it('returns a spec-conformant body with Azure annotations, usage and headers', async () => {
    const { data, response } = await client.chat.completions
      .create({
        model: 'mini',
        messages: [{ role: 'user', content: 'Answer briefly: What is the capital of France?' }],
        max_completion_tokens: 50,
      })
      .withResponse();
    expect(check('CreateChatCompletionResponse', data)).toEqual([]);
    expect(data.object).toBe('chat.completion');
    expect(data.model).toBe('gpt-4o-mini-2024-07-18');
    expect(data.id).toMatch(/^chatcmpl-.{29}$/);
    const choice = data.choices[0];
    expect(choice?.finish_reason).toBe('stop');
    expect(typeof choice?.message.content).toBe('string');
    expect(data.usage?.completion_tokens).toBe(countTokens(choice?.message.content ?? ''));
    expect(data.usage?.total_tokens).toBe((data.usage?.prompt_tokens ?? 0) + (data.usage?.completion_tokens ?? 0));
    expect((data as unknown as { prompt_filter_results: unknown[] }).prompt_filter_results).toHaveLength(1);
    expect(response.headers.get('apim-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-request-id')).toBe(response.headers.get('apim-request-id'));
    expect(response.headers.get('x-ratelimit-limit-tokens')).toBe('1000000');
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('1000'); // 6 RPM/1K × 1000 → 6000 RPM → 1000 per 10 s
    expect(response.headers.get('content-type')).toContain('application/json');
  });

  it('finishes with length at max_tokens and counts the truncated text', async () => {
    const data = await client.chat.completions.create({
      model: 'mini',
      messages: [{ role: 'user', content: 'Tell me a long story about nothing.' }],
      max_tokens: 5,
    });
    expect(data.choices[0]?.finish_reason).toBe('length');
    expect(data.usage?.completion_tokens).toBe(5);
    expect(countTokens(data.choices[0]?.message.content ?? '')).toBe(5);
  });

  it('o-series reports hidden reasoning tokens inside completion_tokens', async () => {
    const data = await client.chat.completions.create({
      model: 'o4',
      messages: [{ role: 'user', content: 'What is 6 times 7?' }],
      max_completion_tokens: 20_000,
      reasoning_effort: 'low',
    });
    const reasoning = data.usage?.completion_tokens_details?.reasoning_tokens ?? 0;
    expect(reasoning).toBeGreaterThan(0);
    expect(data.usage?.completion_tokens).toBe(reasoning + countTokens(data.choices[0]?.message.content ?? ''));
    expect(data.model).toBe('o4-mini-2025-04-16');
  });

  it('DeepSeek-R1 puts <think> before the answer in content', async () => {
    const data = await client.chat.completions.create({
      model: 'r1',
      messages: [{ role: 'user', content: 'What is 6 times 7?' }],
      max_tokens: 4000,
    });
    const content = data.choices[0]?.message.content ?? '';
    expect(content.startsWith('<think>\n')).toBe(true);
    expect(content).toContain('</think>');
    expect(data.usage?.completion_tokens).toBe(countTokens(content));
  });

  it('n choices are returned and the estimate counts them', async () => {
    const data = await client.chat.completions.create({ model: 'mini', messages: [{ role: 'user', content: 'hi' }], n: 3, max_tokens: 10 });
    expect(data.choices.map((c) => c.index)).toEqual([0, 1, 2]);
  });

  it('serves the legacy deployments route with api-version, and GET /models', async () => {
    const res = await raw(h, '/openai/deployments/mini/chat/completions?api-version=2024-10-21', {
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(res.status).toBe(200);
    expect(res.json.object).toBe('chat.completion');
    const v1 = await raw(h, '/openai/v1/chat/completions?api-version=preview', {
      body: JSON.stringify({ model: 'mini', messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(v1.status).toBe(200);
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['mini', 'o4', 'r1']);
  });

  it('accepts api-key and Bearer keys, and an acceptBearer hook', async () => {
    const viaHeader = await raw(h, '/openai/v1/models', { method: 'GET' });
    expect(viaHeader.status).toBe(200);
    const bad = await raw(h, '/openai/v1/models', { method: 'GET', key: 'nope' });
    expect(bad.status).toBe(401);
    expect(bad.json).toEqual({
      error: {
        code: '401',
        message:
          'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
      },
    });
    const s = await start({ acceptBearer: (t) => t === 'entra-token' });
    try {
      const entra = new OpenAI({ baseURL: s.h.baseURL, apiKey: 'entra-token', maxRetries: 0 });
      expect((await entra.models.list()).data.length).toBe(3);
      const wrong = new OpenAI({ baseURL: s.h.baseURL, apiKey: 'other', maxRetries: 0 });
      const err = await wrong.models.list().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    } finally {
      await s.h.close();
    }
  });

  it('unknown path → 404 "Resource not found"', async () => {
    const res = await raw(h, '/openai/v1/nope', { method: 'GET' });
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: { code: '404', message: 'Resource not found' } });
    expect(res.headers.get('apim-request-id')).toBeTruthy();
  });
});

describe('chat completions (streaming)', () => {
  it('sends the annotation chunk first, then role, content, finish, usage, [DONE]', async () => {
    const res = await raw(h, '/openai/v1/chat/completions', {
      body: JSON.stringify({
        model: 'mini',
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: 80,
        messages: [{ role: 'user', content: 'Write something long please.' }],
      }),
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const frames = parseSse(res.text);
    expect(frames.at(-1)?.data).toBe('[DONE]');
    const chunks = frames.slice(0, -1).map((f) => JSON.parse(f.data));
    expect(chunks[0]).toMatchObject({ id: '', object: '', created: 0, model: '', choices: [] });
    expect(chunks[0].prompt_filter_results).toHaveLength(1);
    expect(chunks[1].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    const usageChunk = chunks.at(-1);
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage.completion_tokens).toBeGreaterThan(0);
    const finish = chunks.at(-2);
    expect(finish.choices[0].delta).toEqual({});
    expect(['stop', 'length']).toContain(finish.choices[0].finish_reason);
    const content = chunks
      .slice(2, -2)
      .map((c) => c.choices[0].delta.content)
      .join('');
    expect(usageChunk.usage.completion_tokens).toBe(countTokens(content));
    for (const c of chunks.slice(1)) {
      expect(check('CreateChatCompletionStreamResponse', c)).toEqual([]);
      if (c !== usageChunk) expect(c.usage).toBeNull();
    }
    for (const c of chunks.slice(2, -2)) expect(c.choices[0].content_filter_results.hate).toEqual({ filtered: false, severity: 'safe' });
  });

  it('works through the SDK iterator; no usage chunk without include_usage', async () => {
    const stream = await client.chat.completions.create({
      model: 'mini',
      stream: true,
      max_tokens: 30,
      messages: [{ role: 'user', content: 'What is the capital of France?' }],
    });
    let text = '';
    let sawUsage = false;
    let first = true;
    for await (const chunk of stream) {
      if (first) expect(chunk.choices).toEqual([]);
      first = false;
      if (chunk.usage) sawUsage = true;
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(sawUsage).toBe(false);
    expect(text.length).toBeGreaterThan(0);
  });

  it('filterMode off has no annotation chunk; async adds offset annotations', async () => {
    h.patch({ deployments: [{ name: 'mini', filterMode: 'off' }] });
    try {
      const off = parseSse(
        (
          await raw(h, '/openai/v1/chat/completions', {
            body: JSON.stringify({ model: 'mini', stream: true, messages: [{ role: 'user', content: 'x' }] }),
          })
        ).text,
      );
      expect(JSON.parse(off[0]?.data ?? '{}').object).toBe('chat.completion.chunk');
      h.patch({ deployments: [{ name: 'mini', filterMode: 'async', outputTokens: { median: 600, sigma: 0 } }] });
      const asyncFrames = parseSse(
        (
          await raw(h, '/openai/v1/chat/completions', {
            body: JSON.stringify({ model: 'mini', stream: true, messages: [{ role: 'user', content: 'y' }] }),
          })
        ).text,
      );
      const offsets = asyncFrames.filter((f) => f.data.includes('content_filter_offsets'));
      expect(offsets.length).toBeGreaterThan(0);
    } finally {
      h.patch({ deployments: [{ name: 'mini', filterMode: 'default', outputTokens: { median: 60 } }] });
    }
  });

  it('DeepSeek reasoning_content style streams reasoning deltas before content', async () => {
    h.patch({ deployments: [{ name: 'r1', reasoningStyle: 'reasoning_content' }] });
    try {
      const frames = parseSse(
        (
          await raw(h, '/openai/v1/chat/completions', {
            body: JSON.stringify({
              model: 'r1',
              stream: true,
              max_tokens: 5000,
              messages: [{ role: 'user', content: 'What is 6 times 7?' }],
            }),
          })
        ).text,
      );
      const deltas = frames
        .slice(0, -1)
        .map((f) => JSON.parse(f.data))
        .filter((c) => c.choices?.[0]?.delta)
        .map((c) => c.choices[0].delta);
      const firstReasoning = deltas.findIndex((d) => d.reasoning_content);
      const firstContent = deltas.findIndex((d) => d.content);
      expect(firstReasoning).toBeGreaterThan(0);
      expect(firstContent).toBeGreaterThan(firstReasoning);
    } finally {
      h.patch({ deployments: [{ name: 'r1', reasoningStyle: 'think-tags' }] });
    }
  });
});

describe('prompt cache simulation', () => {
  it('a repeated prompt of ≥ 1024 tokens reports cached_tokens in 128-token steps', async () => {
    h.patch({ deployments: [{ name: 'mini', promptCache: true }] });
    try {
      const long = 'The quick brown fox jumps over the lazy dog. '.repeat(150);
      const first = await client.chat.completions.create({ model: 'mini', messages: [{ role: 'user', content: long }], max_tokens: 5 });
      expect(first.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
      const second = await client.chat.completions.create({ model: 'mini', messages: [{ role: 'user', content: long }], max_tokens: 5 });
      const cached = second.usage?.prompt_tokens_details?.cached_tokens ?? 0;
      expect(cached).toBeGreaterThanOrEqual(1024);
      expect(cached % 128).toBe(0);
      expect(cached).toBeLessThanOrEqual(second.usage?.prompt_tokens ?? 0);
    } finally {
      h.patch({ deployments: [{ name: 'mini', promptCache: false }] });
    }
  });
});

describe('more chat shapes', () => {
  it('legacy route streams too, echoes x-ms-client-request-id, and n > 1 streams every choice', async () => {
    const res = await raw(h, '/openai/deployments/mini/chat/completions?api-version=2024-10-21', {
      headers: { 'x-ms-client-request-id': 'abc-123' },
      body: JSON.stringify({ stream: true, n: 2, max_tokens: 20, messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(res.headers.get('x-ms-client-request-id')).toBe('abc-123');
    const chunks = parseSse(res.text)
      .slice(0, -1)
      .map((f) => JSON.parse(f.data));
    const finishes = chunks.filter((c) => c.choices[0]?.finish_reason).map((c) => c.choices[0].index);
    expect(finishes).toEqual([0, 1]);
  });

  it('legacy route with an unknown deployment → DeploymentNotFound even with a bad body', async () => {
    const res = await raw(h, '/openai/deployments/ghost/chat/completions?api-version=2024-10-21', { body: '{not json' });
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('DeploymentNotFound');
  });
});
