/**
 * mapError over real SDK errors: the real openai client calls a loopback server that answers with Azure's
 * exact error bodies and headers (azure-v1-behaviour.md §5–§7).
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError, OpenAIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.ts';
import { mapError, StreamFailureError, StreamTruncatedError } from '../../src/providers/map-error.ts';
import { startLoopbackServer } from '../support/loopback-server.ts';
import type { LoopbackServer, ScriptedReply } from '../support/loopback-server.ts';

const NOW = Date.parse('2026-11-22T02:00:00Z');
let server: LoopbackServer;

beforeAll(async () => {
  server = await startLoopbackServer(() => ({ status: 500 }));
});
afterAll(async () => {
  await server.close();
});

/** The error the real SDK throws for `reply`. */
async function sdkError(reply: ScriptedReply): Promise<unknown> {
  server.setHandler(() => reply);
  const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'k', maxRetries: 0, timeout: 5000 });
  try {
    await client.chat.completions.create({ model: 'dep1', messages: [{ role: 'user', content: 'hi' }] });
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

async function mapped(reply: ScriptedReply): Promise<ProviderError> {
  return mapError(await sdkError(reply), { now: NOW });
}

const TPM_CLASSIC =
  'Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-02-15-preview have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 33 seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.';
const TPM_NEW =
  'Your requests to gpt-4.1-nano for gpt-4.1-nano in Sweden Central have exceeded the token rate limit for your current AIServices S0 pricing tier. This request was for ChatCompletions_Create under Azure OpenAI API version 2023-05-15. Please retry after 45 seconds.';
const CAPACITY =
  'The system is currently experiencing high demand and cannot process your request. Your request exceeds the maximum usage size allowed during peak load. Please retry after 20 seconds. For improved latency reliability, consider switching to Provisioned Throughput.';
const FILTER_BODY = {
  error: {
    message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
    type: null,
    param: 'prompt',
    code: 'content_filter',
    status: 400,
    innererror: { code: 'ResponsibleAIPolicyViolation', content_filter_result: { jailbreak: { filtered: true, detected: true } } },
  },
};

describe('mapError: 429', () => {
  it('classic TPM body with retry-after-ms is quota with the header hint', async () => {
    const error = await mapped({
      status: 429,
      json: { error: { code: '429', message: TPM_CLASSIC } },
      headers: { 'retry-after-ms': '32500', 'retry-after': '33', 'x-ratelimit-remaining-tokens': '0' },
    });
    expect(error).toMatchObject({ category: 'quota', retryable: true, status: 429, retryAfterMs: 32500, errorCode: '429' });
  });

  it('newer TPM body without headers is quota with the hint from the message', async () => {
    const error = await mapped({ status: 429, json: { error: { code: '429', message: TPM_NEW } } });
    expect(error).toMatchObject({ category: 'quota', retryAfterMs: 45_000 });
  });

  it('gateway "Rate limit is exceeded" is quota', async () => {
    const error = await mapped({
      status: 429,
      json: { error: { code: '429', message: 'Rate limit is exceeded. Try again in 2 seconds.' } },
    });
    expect(error).toMatchObject({ category: 'quota', retryAfterMs: 2000 });
  });

  it('high-demand text is capacity', async () => {
    const error = await mapped({
      status: 429,
      json: { error: { code: '429', message: CAPACITY } },
      headers: { 'retry-after-ms': '20000' },
    });
    expect(error).toMatchObject({ category: 'capacity', retryable: true, retryAfterMs: 20_000 });
  });

  it('"temporarily unable" text is capacity', async () => {
    const error = await mapped({
      status: 429,
      json: { error: { code: '429', message: 'The service is temporarily unable to process your request.' } },
    });
    expect(error.category).toBe('capacity');
  });

  it('EngineOverloaded without a hint is capacity with no retryAfterMs', async () => {
    const error = await mapped({
      status: 429,
      json: { error: { code: 'EngineOverloaded', message: 'The engine is currently overloaded, please try again later' } },
    });
    expect(error).toMatchObject({ category: 'capacity', retryAfterMs: undefined });
  });

  it('a bare 429 whose remaining headers show room is capacity', async () => {
    const error = await mapped({
      status: 429,
      json: { error: { code: '429', message: 'Too busy' } },
      headers: { 'x-ratelimit-remaining-tokens': '5000', 'x-ratelimit-remaining-requests': '4' },
    });
    expect(error.category).toBe('capacity');
  });

  it('a bare 429 with remaining-requests 0 is quota and waits for the request window reset', async () => {
    const error = await mapped({
      status: 429,
      json: { error: { code: '429', message: 'Too busy' } },
      headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '7' },
    });
    expect(error).toMatchObject({ category: 'quota', retryAfterMs: 7000 });
  });

  it('the 2023 hyphenated reset header supplies the hint when retry-after is absent', async () => {
    const error = await mapped({
      status: 429,
      json: { error: { code: '429', message: 'Too busy' } },
      headers: { 'x-rate-limit-reset-tokens': '12', 'x-rate-limit-remaining-tokens': '0', 'policy-id': 'DeploymentRatelimit-Token' },
    });
    expect(error).toMatchObject({ category: 'quota', retryAfterMs: 12_000 });
  });

  it('retry-after as an HTTP date is relative to now', async () => {
    const error = await mapped({
      status: 429,
      json: { error: { code: '429', message: 'Rate limit' } },
      headers: { 'retry-after': new Date(NOW + 3000).toUTCString() },
    });
    expect(error.retryAfterMs).toBe(3000);
  });

  it('keeps the parsed rate info on the error', async () => {
    const error = await mapped({
      status: 429,
      json: { error: { code: '429', message: 'Rate limit' } },
      headers: { 'x-ratelimit-limit-tokens': '8000', 'x-ratelimit-remaining-tokens': '0' },
    });
    expect(error.rate).toMatchObject({ limitTokens: 8000, remainingTokens: 0 });
  });
});

describe('mapError: other statuses', () => {
  it('401 is auth and not retryable', async () => {
    const error = await mapped({
      status: 401,
      json: { error: { code: '401', message: 'Access denied due to invalid subscription key or wrong API endpoint.' } },
    });
    expect(error).toMatchObject({ category: 'auth', retryable: false, status: 401 });
  });

  it('403 is auth', async () => {
    expect((await mapped({ status: 403, json: { error: { code: 'PermissionDenied', message: 'no role' } } })).category).toBe('auth');
  });

  it('404 DeploymentNotFound is not_found and not retryable', async () => {
    const error = await mapped({
      status: 404,
      json: { error: { code: 'DeploymentNotFound', message: 'The API deployment for this resource does not exist.' } },
    });
    expect(error).toMatchObject({ category: 'not_found', retryable: false, errorCode: 'DeploymentNotFound' });
  });

  it('400 content_filter is content_filter and not retryable', async () => {
    const error = await mapped({ status: 400, json: FILTER_BODY });
    expect(error).toMatchObject({ category: 'content_filter', retryable: false, errorCode: 'content_filter' });
  });

  it('400 context_length_exceeded is bad_request and keeps the code', async () => {
    const error = await mapped({
      status: 400,
      json: {
        error: {
          message: "This model's maximum context length is 128000 tokens.",
          type: 'invalid_request_error',
          param: 'messages',
          code: 'context_length_exceeded',
        },
      },
    });
    expect(error).toMatchObject({ category: 'bad_request', retryable: false, errorCode: 'context_length_exceeded' });
  });

  it('422 is bad_request', async () => {
    expect((await mapped({ status: 422, json: { error: { message: 'bad' } } })).category).toBe('bad_request');
  });

  it('408 Timeout is timeout and retryable', async () => {
    const error = await mapped({ status: 408, json: { error: { code: 'Timeout', message: 'The operation was timeout.' } } });
    expect(error).toMatchObject({ category: 'timeout', retryable: true });
  });

  it('500 server_error is server and retryable', async () => {
    const error = await mapped({
      status: 500,
      json: { error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } },
    });
    expect(error).toMatchObject({ category: 'server', retryable: true, status: 500 });
  });

  it('500 gateway variant without an error key is server', async () => {
    const error = await mapped({ status: 500, json: { statusCode: 500, message: 'Internal server error', activityId: 'a1' } });
    expect(error.category).toBe('server');
  });

  it('503 with retry-after is server with the hint', async () => {
    const error = await mapped({
      status: 503,
      json: { error: { code: 'ServiceUnavailable', message: 'The service is temporarily unable to process your request.' } },
      headers: { 'retry-after': '4' },
    });
    expect(error).toMatchObject({ category: 'server', retryable: true, retryAfterMs: 4000 });
  });

  it('x-should-retry: false forces retryable false', async () => {
    const error = await mapped({ status: 500, json: { error: { message: 'nope' } }, headers: { 'x-should-retry': 'false' } });
    expect(error).toMatchObject({ category: 'server', retryable: false });
  });

  it('records x-request-id, else apim-request-id', async () => {
    expect((await mapped({ status: 500, headers: { 'x-request-id': 'r-1', 'apim-request-id': 'a-1' } })).requestId).toBe('r-1');
    expect((await mapped({ status: 500, headers: { 'apim-request-id': 'a-2' } })).requestId).toBe('a-2');
  });

  it('never copies headers or keys into the message', async () => {
    const error = await mapped({
      status: 401,
      json: { error: { code: '401', message: 'Access denied' } },
      headers: { 'x-secret-echo': 'sk-should-not-appear' },
    });
    expect(error.message).not.toContain('sk-should-not-appear');
    expect(error.message).not.toContain('Bearer');
  });
});

describe('mapError: transport and local failures', () => {
  it('a refused connection is connection and retryable', async () => {
    const client = new OpenAI({ baseURL: 'http://127.0.0.1:9/openai/v1/', apiKey: 'k', maxRetries: 0, timeout: 5000 });
    const thrown = await client.models.list().catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(APIConnectionError);
    expect(mapError(thrown, { now: NOW })).toMatchObject({ category: 'connection', retryable: true });
  });

  it('an SDK timeout is timeout (checked before connection)', async () => {
    server.setHandler(async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      return { json: {} };
    });
    const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'k', maxRetries: 0, timeout: 50 });
    const thrown = await client.models.list().catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(APIConnectionTimeoutError);
    expect(mapError(thrown, { now: NOW })).toMatchObject({ category: 'timeout', retryable: true });
  });

  it('a caller abort is aborted and not retryable', () => {
    const controller = new AbortController();
    controller.abort();
    const error = mapError(new APIUserAbortError(), { signal: controller.signal, now: NOW });
    expect(error).toMatchObject({ category: 'aborted', retryable: false });
  });

  it('an abort caused by the watchdog is timeout', () => {
    expect(mapError(new APIUserAbortError(), { signal: new AbortController().signal, watchdogFired: true, now: NOW })).toMatchObject({
      category: 'timeout',
      retryable: true,
    });
  });

  it('a failing token function is auth', async () => {
    server.setHandler(() => ({ json: {} }));
    const client = new OpenAI({
      baseURL: server.baseURL,
      apiKey: async () => {
        throw new Error('AADSTS700016: app not found');
      },
      maxRetries: 0,
    });
    const thrown = await client.models.list().catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(OpenAIError);
    expect(mapError(thrown, { now: NOW })).toMatchObject({ category: 'auth', retryable: false });
  });

  it('a response.failed stream failure is server and retryable', () => {
    expect(mapError(new StreamFailureError('boom', 'server_error'), { now: NOW })).toMatchObject({
      category: 'server',
      retryable: true,
      errorCode: 'server_error',
    });
  });

  it('a truncated stream is connection and retryable', () => {
    expect(mapError(new StreamTruncatedError('cut'), { now: NOW })).toMatchObject({ category: 'connection', retryable: true });
  });

  it('passes a ProviderError through unchanged', () => {
    const original = new ProviderError({ category: 'auth', retryable: false, message: 'x' });
    expect(mapError(original, { now: NOW })).toBe(original);
  });

  it('anything else becomes a retryable connection failure', () => {
    expect(mapError(new TypeError('terminated'), { now: NOW })).toMatchObject({ category: 'connection', retryable: true });
  });
});
