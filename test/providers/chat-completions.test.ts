/**
 * The Chat Completions adapter through the real SDK against a loopback server speaking Azure's shapes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.ts';
import { createChatCompletionsProvider } from '../../src/providers/chat-completions.ts';
import type { ProviderDeps } from '../../src/providers/provider.ts';
import type { ModelParams, PromptInput } from '../../src/types.ts';
import { startLoopbackServer } from '../support/loopback-server.ts';
import type { LoopbackServer, ReplyHandler } from '../support/loopback-server.ts';
import {
  AZURE_HEADERS,
  azureChatStream,
  chatCompletionJson,
  deploymentFor,
  settableClock,
  targetFor,
  TEST_KEY,
  TEST_KEY_ENV,
  tickClock,
} from './azure-fixtures.ts';

const INPUT: PromptInput = { messages: [{ role: 'user', content: 'Say hello' }] };
let server: LoopbackServer;

beforeAll(async () => {
  server = await startLoopbackServer(() => ({ status: 500 }));
});
afterAll(async () => {
  await server.close();
});

function provider(handler: ReplyHandler, params: Partial<ModelParams> = {}, deps: Partial<ProviderDeps> = {}, timeoutMs = 10_000) {
  server.setHandler(handler);
  const deployment = deploymentFor(server.baseURL, { timeoutMs });
  return createChatCompletionsProvider(targetFor('chat', deployment, params), deployment, {
    env: { [TEST_KEY_ENV]: TEST_KEY },
    clock: tickClock(),
    ...deps,
  });
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('chat streaming', () => {
  it('assembles the answer from content deltas', async () => {
    const completion = await provider(() => ({
      headers: AZURE_HEADERS,
      sse: azureChatStream({ content: ['Hel', 'lo', ' world'] }),
    })).complete(INPUT, new AbortController().signal);
    expect(completion).toMatchObject({ text: 'Hello world', finishReason: 'stop', status: 200, model: 'gpt-4.1-mini-2025-04-14' });
  });

  it('puts TTFT at the first non-empty content delta, after the annotation event', async () => {
    const { timing } = await provider(() => ({ sse: azureChatStream() })).complete(INPUT, new AbortController().signal);
    expect(timing.headersMs).toBeDefined();
    expect(timing.firstEventMs).toBeGreaterThan(timing.headersMs ?? Infinity);
    // Annotation chunk and role chunk (empty content) come first: TTFT is two events later at least.
    expect(timing.firstTokenMs).toBeGreaterThan((timing.firstEventMs ?? Infinity) + 1);
    expect(timing.lastTokenMs).toBeGreaterThan(timing.firstTokenMs ?? Infinity);
    expect(timing.endMs).toBeGreaterThan(timing.lastTokenMs ?? Infinity);
    expect(timing.chunks).toBe(2);
    expect(timing.maxChunkGapMs).toBeGreaterThan(0);
  });

  it("counts Azure's annotation event as the first event, not as a token", async () => {
    const clock = settableClock(1000);
    const [annotation, ...rest] = azureChatStream();
    const later = (ms: number) => [{ pauseMs: 100 }, { call: () => clock.set(ms) }];
    const chat = provider(
      () => {
        clock.set(1010);
        return { sse: [...later(1020), annotation!, ...later(1050), ...rest] };
      },
      {},
      { clock },
    );
    const { timing } = await chat.complete(INPUT, new AbortController().signal);
    expect(timing).toMatchObject({ headersMs: 10, firstEventMs: 20, firstTokenMs: 50 });
  });

  it('finds usage by usage != null and reads its details', async () => {
    const { usage } = await provider(() => ({ sse: azureChatStream() })).complete(INPUT, new AbortController().signal);
    expect(usage).toEqual({ promptTokens: 12, completionTokens: 7, reasoningTokens: 3, cachedTokens: 4 });
  });

  it('reports zero usage when the server sent no usage chunk', async () => {
    const { usage } = await provider(() => ({ sse: azureChatStream({ usage: null }) })).complete(INPUT, new AbortController().signal);
    expect(usage).toEqual({ promptTokens: 0, completionTokens: 0, reasoningTokens: 0, cachedTokens: 0 });
  });

  it('treats missing usage details as zero', async () => {
    const { usage } = await provider(() => ({
      sse: azureChatStream({ usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } }),
    })).complete(INPUT, new AbortController().signal);
    expect(usage).toEqual({ promptTokens: 3, completionTokens: 2, reasoningTokens: 0, cachedTokens: 0 });
  });

  it('records request id, region and rate headers', async () => {
    const completion = await provider(() => ({ headers: AZURE_HEADERS, sse: azureChatStream() })).complete(
      INPUT,
      new AbortController().signal,
    );
    expect(completion).toMatchObject({ requestId: 'req-123', region: 'Sweden Central' });
    expect(completion.rate).toEqual({ limitRequests: 100, limitTokens: 100000, remainingRequests: 99, remainingTokens: 99000 });
  });

  it('splits reasoning_content deltas from the answer and times them separately', async () => {
    const completion = await provider(() => ({ sse: azureChatStream({ reasoning: ['Think', 'ing.'], content: ['Yes'] }) })).complete(
      INPUT,
      new AbortController().signal,
    );
    expect(completion.text).toBe('Yes');
    expect(completion.reasoning).toBe('Thinking.');
    expect(completion.timing.firstReasoningMs).toBeLessThan(completion.timing.firstTokenMs ?? -Infinity);
  });

  it('splits inline <think> content whose opening tag never arrived', async () => {
    const completion = await provider(() => ({
      sse: azureChatStream({ content: ['plan ', 'steps', '</think>', '\n\nAnswer: 4'] }),
    })).complete(INPUT, new AbortController().signal);
    expect(completion.text).toBe('Answer: 4');
    expect(completion.reasoning).toBe('plan steps');
  });

  it('ignores other choice indexes and chunks of unknown shape', async () => {
    const steps = azureChatStream({ content: ['A'] });
    const extra = [
      { data: { id: 'x', object: 'chat.completion.chunk', choices: [{ index: 1, delta: { content: 'other' }, finish_reason: null }] } },
      { data: { unexpected: [1, 2, 3] } },
    ];
    const completion = await provider(() => ({ sse: [...steps.slice(0, 3), ...extra, ...steps.slice(3)] })).complete(
      INPUT,
      new AbortController().signal,
    );
    expect(completion.text).toBe('A');
  });

  it('times inline <think> content as reasoning and TTFT at the first answer token', async () => {
    const { timing, text } = await provider(() => ({
      sse: azureChatStream({ content: ['<think>', 'plan', '</think>', '\n\n', 'Yes'] }),
    })).complete(INPUT, new AbortController().signal);
    expect(text).toBe('Yes');
    expect(timing.firstReasoningMs).toBeDefined();
    // Reasoning at delta 1, answer at delta 5: four events apart on a clock that ticks per reading.
    expect(timing.firstTokenMs).toBeGreaterThan((timing.firstReasoningMs ?? Infinity) + 3);
  });

  it('re-times streamed content as reasoning when a lone </think> arrives', async () => {
    const { timing, reasoning } = await provider(() => ({ sse: azureChatStream({ content: ['plan', '</think>', 'Yes'] }) })).complete(
      INPUT,
      new AbortController().signal,
    );
    expect(reasoning).toBe('plan');
    expect(timing.firstTokenMs).toBeGreaterThan(timing.firstReasoningMs ?? Infinity);
    expect(timing.chunks).toBe(2);
  });

  it('counts a chunk carrying both reasoning and content once', async () => {
    const steps = azureChatStream({ content: [] });
    const both = {
      data: {
        id: 'c',
        object: 'chat.completion.chunk',
        model: 'm',
        choices: [{ index: 0, delta: { reasoning_content: 'r', content: 'a' }, finish_reason: null }],
      },
    };
    const { timing } = await provider(() => ({ sse: [...steps.slice(0, 3), both, ...steps.slice(3)] })).complete(
      INPUT,
      new AbortController().signal,
    );
    expect(timing.chunks).toBe(1);
    expect(timing.firstTokenMs).toBe(timing.firstReasoningMs);
  });

  it('returns a content_filter finish as a Completion', async () => {
    const completion = await provider(() => ({ sse: azureChatStream({ content: ['Part'], finishReason: 'content_filter' }) })).complete(
      INPUT,
      new AbortController().signal,
    );
    expect(completion).toMatchObject({ text: 'Part', finishReason: 'content_filter' });
  });

  it('sends the documented streaming body', async () => {
    await provider(() => ({ sse: azureChatStream() }), {
      system: 'Be brief.',
      temperature: 0.2,
      topP: 0.9,
      reasoningEffort: 'low',
      headers: { 'aoai-evals': 'preview' },
    }).complete(INPUT, new AbortController().signal);
    const request = server.requests.at(-1);
    expect(request?.path).toBe('/chat/completions');
    expect(request?.headers['authorization']).toBe(`Bearer ${TEST_KEY}`);
    expect(request?.headers['aoai-evals']).toBe('preview');
    expect(request?.body).toEqual({
      model: 'dep1',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say hello' },
      ],
      max_completion_tokens: 100,
      temperature: 0.2,
      top_p: 0.9,
      reasoning_effort: 'low',
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('a mid-stream error event is a retryable server ProviderError', async () => {
    const steps = azureChatStream().slice(0, 3);
    const error = await failure(
      provider(() => ({
        sse: [...steps, { event: 'error', data: { error: { code: 'server_error', message: 'The model produced invalid content.' } } }],
      })).complete(INPUT, new AbortController().signal),
    );
    expect(error).toMatchObject({ category: 'server', retryable: true, errorCode: 'server_error' });
  });

  it('a chunk carrying an error field is a retryable server ProviderError', async () => {
    const error = await failure(
      provider(() => ({ sse: [{ data: { error: { message: 'overloaded mid-stream', code: null } } }] })).complete(
        INPUT,
        new AbortController().signal,
      ),
    );
    expect(error).toMatchObject({ category: 'server', retryable: true });
  });

  it('a stream that ends before a finish reason is a retryable connection failure', async () => {
    const error = await failure(provider(() => ({ sse: azureChatStream().slice(0, 4) })).complete(INPUT, new AbortController().signal));
    expect(error).toMatchObject({ category: 'connection', retryable: true });
  });

  it('keeps the answer when the connection drops after the finish chunk (usage reads as 0)', async () => {
    const steps = azureChatStream();
    const finish = steps.findIndex((step) => 'data' in step && JSON.stringify(step.data).includes('"finish_reason":"stop"'));
    const completion = await provider(() => ({ sse: [...steps.slice(0, finish + 1), { pauseMs: 50 }, { destroy: true }] })).complete(
      INPUT,
      new AbortController().signal,
    );
    expect(completion).toMatchObject({ text: 'Hello', finishReason: 'stop', usage: { promptTokens: 0, completionTokens: 0 } });
  });

  it('later attempts reuse keep-alive connections', async () => {
    const chat = provider(() => ({ sse: azureChatStream() }));
    const before = server.requests.length;
    for (let i = 0; i < 6; i++) await chat.complete(INPUT, new AbortController().signal);
    // undici may alternate between two pooled sockets; a connection per attempt would show six.
    expect(new Set(server.requests.slice(before).map((request) => request.connection)).size).toBeLessThanOrEqual(2);
  });

  it('a socket destroyed mid-stream is a retryable connection failure', async () => {
    const error = await failure(
      provider(() => ({ sse: [...azureChatStream().slice(0, 4), { destroy: true }] })).complete(INPUT, new AbortController().signal),
    );
    expect(error).toMatchObject({ category: 'connection', retryable: true });
  });
});

describe('chat watchdog and aborts', () => {
  it('a stalled stream hits the idle watchdog: timeout, retryable', async () => {
    const chat = provider(
      () => ({ sse: [...azureChatStream().slice(0, 4), { stall: true }] }),
      {},
      { clock: undefined, streamIdleTimeoutMs: 100 },
      20_000,
    );
    const error = await failure(chat.complete(INPUT, new AbortController().signal));
    expect(error).toMatchObject({ category: 'timeout', retryable: true, message: 'timed out: no stream event for 100 ms' });
  });

  it('silence before the first output delta is not an idle timeout (reasoning models think silently)', async () => {
    const chat = provider(() => ({ sse: azureChatStream({ pauseMs: 250 }) }), {}, { clock: undefined, streamIdleTimeoutMs: 100 });
    const completion = await chat.complete(INPUT, new AbortController().signal);
    expect(completion.text).toBe('Hello');
  });

  it('a stream that keeps trickling past the total budget times out', async () => {
    const trickle = Array.from({ length: 40 }, () => [
      { pauseMs: 20 },
      { data: { id: '', object: '', created: 0, model: '', choices: [] } },
    ]).flat();
    const chat = provider(
      () => ({ sse: [...azureChatStream().slice(0, 3), ...trickle] }),
      {},
      { clock: undefined, streamIdleTimeoutMs: 5000 },
      300,
    );
    const error = await failure(chat.complete(INPUT, new AbortController().signal));
    expect(error).toMatchObject({ category: 'timeout', retryable: true });
  });

  it('a caller abort mid-stream is aborted, not retryable', async () => {
    const chat = provider(() => ({ sse: [...azureChatStream().slice(0, 4), { stall: true }] }), {}, { clock: undefined });
    const controller = new AbortController();
    const pending = chat.complete(INPUT, controller.signal);
    await server.stalled();
    controller.abort();
    const error = await failure(pending);
    expect(error).toMatchObject({ category: 'aborted', retryable: false });
  });

  it('an already-aborted signal fails without a request', async () => {
    const before = server.requests.length;
    const controller = new AbortController();
    controller.abort();
    const error = await failure(provider(() => ({ sse: azureChatStream() })).complete(INPUT, controller.signal));
    expect(error.category).toBe('aborted');
    expect(server.requests.length).toBe(before);
  });
});

describe('chat non-streaming', () => {
  it('reads content, usage, finish reason and headers', async () => {
    const completion = await provider(() => ({ headers: AZURE_HEADERS, json: chatCompletionJson('Hello') }), { stream: false }).complete(
      INPUT,
      new AbortController().signal,
    );
    expect(completion).toMatchObject({ text: 'Hello', finishReason: 'stop', requestId: 'req-123', model: 'gpt-4.1-mini-2025-04-14' });
    expect(completion.usage).toEqual({ promptTokens: 12, completionTokens: 7, reasoningTokens: 3, cachedTokens: 4 });
    expect(completion.timing.headersMs).toBeLessThanOrEqual(completion.timing.endMs);
    expect(completion.timing.firstTokenMs).toBeUndefined();
    expect(completion.timing.chunks).toBeUndefined();
  });

  it('times headers when they arrive, before the body is read', async () => {
    const clock = settableClock(1000);
    const chat = provider(
      () => {
        clock.set(1100);
        return {
          json: chatCompletionJson('Hello'),
          beforeBody: async () => {
            await new Promise((resolve) => setTimeout(resolve, 100));
            clock.set(1500);
          },
        };
      },
      { stream: false },
      { clock },
    );
    const { timing } = await chat.complete(INPUT, new AbortController().signal);
    expect(timing).toMatchObject({ startedAt: 1000, headersMs: 100, endMs: 500 });
  });

  it('sends max_tokens when the model is configured for it, without stream_options', async () => {
    await provider(() => ({ json: chatCompletionJson('x') }), {
      stream: false,
      tokenLimitField: 'max_tokens',
      maxOutputTokens: 50,
    }).complete(INPUT, new AbortController().signal);
    const body = server.requests.at(-1)?.body;
    expect(body).toMatchObject({ max_tokens: 50, stream: false });
    expect(body).not.toHaveProperty('stream_options');
    expect(body).not.toHaveProperty('max_completion_tokens');
  });

  it('splits <think> tags out of the message content', async () => {
    const completion = await provider(() => ({ json: chatCompletionJson('<think>\nHmm.\n</think>\n\n42') }), { stream: false }).complete(
      INPUT,
      new AbortController().signal,
    );
    expect(completion).toMatchObject({ text: '42', reasoning: 'Hmm.' });
  });

  it('reads message.reasoning_content', async () => {
    const completion = await provider(() => ({ json: chatCompletionJson('42', 'stop', { reasoning_content: 'Because.' }) }), {
      stream: false,
    }).complete(INPUT, new AbortController().signal);
    expect(completion).toMatchObject({ text: '42', reasoning: 'Because.' });
  });

  it('uses the refusal text when the message has no content', async () => {
    const completion = await provider(() => ({ json: chatCompletionJson(null, 'stop', { refusal: "I can't help with that." }) }), {
      stream: false,
    }).complete(INPUT, new AbortController().signal);
    expect(completion.text).toBe("I can't help with that.");
  });

  it('a 200 with finish_reason content_filter is a Completion', async () => {
    const completion = await provider(() => ({ json: chatCompletionJson(null, 'content_filter') }), { stream: false }).complete(
      INPUT,
      new AbortController().signal,
    );
    expect(completion).toMatchObject({ text: '', finishReason: 'content_filter' });
  });

  it('merges extraBody fields into the request', async () => {
    await provider(() => ({ json: chatCompletionJson('x') }), {
      stream: false,
      extraBody: { thinking: { type: 'enabled' }, model: 'ignored' },
    }).complete(INPUT, new AbortController().signal);
    expect(server.requests.at(-1)?.body).toMatchObject({ thinking: { type: 'enabled' }, model: 'dep1' });
  });

  it('a 429 becomes a ProviderError with the rate info', async () => {
    const error = await failure(
      provider(
        () => ({
          status: 429,
          json: { error: { code: '429', message: 'Rate limit is exceeded. Try again in 2 seconds.' } },
          headers: { 'retry-after-ms': '1500' },
        }),
        { stream: false },
      ).complete(INPUT, new AbortController().signal),
    );
    expect(error).toMatchObject({ category: 'quota', retryAfterMs: 1500, status: 429 });
  });
});

describe('chat configuration problems', () => {
  it('a missing key variable fails every attempt as auth, naming the variable only', async () => {
    server.setHandler(() => ({ json: chatCompletionJson('x') }));
    const deployment = deploymentFor(server.baseURL);
    const chat = createChatCompletionsProvider(targetFor('chat', deployment), deployment, { env: {} });
    const error = await failure(chat.complete(INPUT, new AbortController().signal));
    expect(error).toMatchObject({ category: 'auth', retryable: false });
    expect(error.message).toContain(TEST_KEY_ENV);
  });

  it('estimates the admission cost from characters and the cap', () => {
    const chat = provider(() => ({ json: {} }), { maxOutputTokens: 100, system: 'abcd' });
    expect(chat.estimateCost({ messages: [{ role: 'user', content: 'x'.repeat(9) }] })).toBe(Math.ceil(13 / 4) + 100);
  });
});
