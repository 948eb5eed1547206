/**
 * The Responses adapter through the real SDK against a loopback server speaking Azure's event shapes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.ts';
import type { ProviderDeps } from '../../src/providers/provider.ts';
import { createResponsesProvider } from '../../src/providers/responses.ts';
import type { ModelParams, PromptInput } from '../../src/types.ts';
import { startLoopbackServer } from '../support/loopback-server.ts';
import type { LoopbackServer, ReplyHandler, SseStep } from '../support/loopback-server.ts';
import {
  AZURE_HEADERS,
  deploymentFor,
  messageItem,
  reasoningItem,
  responseJson,
  responsesStream,
  settableClock,
  targetFor,
  TEST_KEY,
  TEST_KEY_ENV,
  tickClock,
} from './azure-fixtures.ts';

const INPUT: PromptInput = {
  messages: [
    { role: 'system', content: 'Be exact.' },
    { role: 'user', content: '2+2?' },
  ],
};
let server: LoopbackServer;

beforeAll(async () => {
  server = await startLoopbackServer(() => ({ status: 500 }));
});
afterAll(async () => {
  await server.close();
});

function provider(handler: ReplyHandler, params: Partial<ModelParams> = {}, deps: Partial<ProviderDeps> = {}) {
  server.setHandler(handler);
  const deployment = deploymentFor(server.baseURL);
  return createResponsesProvider(targetFor('responses', deployment, params), deployment, {
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

const signal = () => new AbortController().signal;

describe('responses streaming', () => {
  it('assembles output_text deltas, ignoring unknown events', async () => {
    const completion = await provider(() => ({ headers: AZURE_HEADERS, sse: responsesStream({ deltas: ['Fo', 'ur'] }) })).complete(
      INPUT,
      signal(),
    );
    expect(completion).toMatchObject({
      text: 'Four',
      finishReason: 'stop',
      status: 200,
      model: 'o4-mini-2025-04-16',
      requestId: 'req-123',
    });
  });

  it('puts TTFT at the first output_text delta, after lifecycle events', async () => {
    const { timing } = await provider(() => ({ sse: responsesStream() })).complete(INPUT, signal());
    expect(timing.firstEventMs).toBeGreaterThan(timing.headersMs ?? Infinity);
    expect(timing.firstTokenMs).toBeGreaterThan((timing.firstEventMs ?? Infinity) + 3);
    expect(timing.chunks).toBe(2);
  });

  it('reads usage from the terminal event', async () => {
    const { usage } = await provider(() => ({ sse: responsesStream() })).complete(INPUT, signal());
    expect(usage).toEqual({ promptTokens: 20, completionTokens: 9, reasoningTokens: 6, cachedTokens: 5 });
  });

  it('collects reasoning summary deltas as reasoning, timed before the answer', async () => {
    const completion = await provider(() => ({ sse: responsesStream({ summary: ['Add ', 'them.'], deltas: ['4'] }) })).complete(
      INPUT,
      signal(),
    );
    expect(completion).toMatchObject({ text: '4', reasoning: 'Add them.' });
    expect(completion.timing.firstReasoningMs).toBeLessThan(completion.timing.firstTokenMs ?? -Infinity);
  });

  it('maps incomplete max_output_tokens to length', async () => {
    const terminal = {
      type: 'response.incomplete',
      response: responseJson('incomplete', [messageItem('Fo')], { incomplete_details: { reason: 'max_output_tokens' } }),
    };
    const completion = await provider(() => ({ sse: responsesStream({ deltas: ['Fo'], terminal }) })).complete(INPUT, signal());
    expect(completion).toMatchObject({ text: 'Fo', finishReason: 'length' });
  });

  it('maps incomplete content_filter to content_filter', async () => {
    const terminal = {
      type: 'response.incomplete',
      response: responseJson('incomplete', [], { incomplete_details: { reason: 'content_filter' } }),
    };
    const completion = await provider(() => ({ sse: responsesStream({ deltas: ['x'], terminal }) })).complete(INPUT, signal());
    expect(completion.finishReason).toBe('content_filter');
  });

  it('response.failed is a retryable server ProviderError with the server code', async () => {
    const terminal = {
      type: 'response.failed',
      response: responseJson('failed', [], { error: { code: 'server_error', message: 'The model failed.' } }),
    };
    const error = await failure(provider(() => ({ sse: responsesStream({ terminal }) })).complete(INPUT, signal()));
    expect(error).toMatchObject({ category: 'server', retryable: true, errorCode: 'server_error' });
  });

  it('an SSE error event mid-stream is a retryable server ProviderError', async () => {
    const steps = [
      ...responsesStream().slice(0, 4),
      { event: 'error', data: { type: 'error', code: 'rate_limit_exceeded', message: 'slow down', param: null, sequence_number: 4 } },
    ];
    const error = await failure(provider(() => ({ sse: steps })).complete(INPUT, signal()));
    expect(error).toMatchObject({ category: 'server', retryable: true });
  });

  it('an error event without an SSE event name is a retryable server ProviderError', async () => {
    const steps = [
      ...responsesStream().slice(0, 4),
      { data: { type: 'error', code: 'server_error', message: 'oops', param: null, sequence_number: 4 } },
    ];
    const error = await failure(provider(() => ({ sse: steps })).complete(INPUT, signal()));
    expect(error).toMatchObject({ category: 'server', retryable: true, errorCode: 'server_error' });
  });

  it('takes the text from the terminal response when no deltas were streamed', async () => {
    const steps = responsesStream().filter(
      (step) => !('data' in step) || (step.data as { type?: string }).type !== 'response.output_text.delta',
    );
    const completion = await provider(() => ({ sse: steps })).complete(INPUT, signal());
    expect(completion.text).toBe('Hello');
    expect(completion.timing.firstTokenMs).toBeUndefined();
  });

  it('a stream without a terminal event is a retryable connection failure', async () => {
    const error = await failure(provider(() => ({ sse: responsesStream({ terminal: null }) })).complete(INPUT, signal()));
    expect(error).toMatchObject({ category: 'connection', retryable: true });
  });

  it('later attempts reuse keep-alive connections', async () => {
    const responses = provider(() => ({ sse: responsesStream() }));
    const before = server.requests.length;
    for (let i = 0; i < 6; i++) await responses.complete(INPUT, signal());
    // undici may alternate between two pooled sockets; a connection per attempt would show six.
    expect(new Set(server.requests.slice(before).map((request) => request.connection)).size).toBeLessThanOrEqual(2);
  });

  it('keeps the answer, timed to the terminal event, when the server stalls after it', async () => {
    const clock = settableClock(1000);
    const steps = responsesStream();
    const terminal = steps.pop()!;
    const sse: SseStep[] = [
      ...steps,
      { call: () => clock.set(1200) },
      terminal,
      { pauseMs: 50 },
      { call: () => clock.set(90_000) },
      { stall: true },
    ];
    const completion = await provider(() => ({ sse }), {}, { clock, streamIdleTimeoutMs: 100 }).complete(INPUT, signal());
    expect(completion).toMatchObject({ text: 'Hello', finishReason: 'stop' });
    expect(completion.timing.endMs).toBe(200);
  });

  it('a stalled stream hits the idle watchdog', async () => {
    const error = await failure(
      provider(
        () => ({ sse: [...responsesStream().slice(0, 6), { stall: true }] }),
        {},
        { clock: undefined, streamIdleTimeoutMs: 100 },
      ).complete(INPUT, signal()),
    );
    expect(error.category).toBe('timeout');
  });

  it('sends instructions, input items, max_output_tokens and reasoning effort', async () => {
    await provider(() => ({ sse: responsesStream() }), { reasoningEffort: 'high', maxOutputTokens: 256 }).complete(INPUT, signal());
    const request = server.requests.at(-1);
    expect(request?.path).toBe('/responses');
    expect(request?.body).toEqual({
      model: 'dep1',
      instructions: 'Be exact.',
      input: [{ type: 'message', role: 'user', content: '2+2?' }],
      max_output_tokens: 256,
      reasoning: { effort: 'high' },
      stream: true,
    });
  });
});

describe('responses non-streaming', () => {
  it('reads output text, reasoning summary and usage', async () => {
    const completion = await provider(
      () => ({ headers: AZURE_HEADERS, json: responseJson('completed', [reasoningItem('Sum it.'), messageItem('4')]) }),
      { stream: false },
    ).complete(INPUT, signal());
    expect(completion).toMatchObject({ text: '4', reasoning: 'Sum it.', finishReason: 'stop', region: 'Sweden Central' });
    expect(completion.usage).toEqual({ promptTokens: 20, completionTokens: 9, reasoningTokens: 6, cachedTokens: 5 });
    expect(completion.timing.firstTokenMs).toBeUndefined();
  });

  it('a failed response body is a retryable server ProviderError', async () => {
    const error = await failure(
      provider(() => ({ json: responseJson('failed', [], { error: { code: 'server_error', message: 'x' } }) }), { stream: false }).complete(
        INPUT,
        signal(),
      ),
    );
    expect(error).toMatchObject({ category: 'server', retryable: true });
  });

  it('a 400 content filter is a non-retryable content_filter ProviderError', async () => {
    const error = await failure(
      provider(() => ({ status: 400, json: { error: { code: 'content_filter', message: 'filtered', param: 'prompt', type: null } } }), {
        stream: false,
      }).complete(INPUT, signal()),
    );
    expect(error).toMatchObject({ category: 'content_filter', retryable: false });
  });
});
