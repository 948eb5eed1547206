/**
 * Both adapters end to end against the embedded emulator (the real SDK over real HTTP), including the
 * Entra path with a refreshing test credential and the emulator's bearer hook. Also cross-checks the
 * client-side admission estimate against the emulator's independently written one.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/server.ts';
import type { EmulatorHandle } from '../../src/emulator/server.ts';
import { ProviderError } from '../../src/errors.ts';
import { TokenProviderCache } from '../../src/providers/openai-client.ts';
import type { Provider, ProviderDeps } from '../../src/providers/provider.ts';
import { createProvider } from '../../src/providers/registry.ts';
import type { ApiKind, ModelParams, PromptInput, ResolvedDeployment } from '../../src/types.ts';
import { FakeCredential } from '../support/fake-credential.ts';
import { deploymentFor, targetFor, TEST_KEY_ENV, tickClock } from './azure-fixtures.ts';

const QUESTION: PromptInput = { messages: [{ role: 'user', content: 'What is the capital of France?' }] };
const SCOPE = 'https://cognitiveservices.azure.com/.default';
const credential = new FakeCredential({ lifetimeMs: 600_000, refreshAfterMs: 20 });
/** Credentials whose valid tokens the emulator accepts. */
const trusted: FakeCredential[] = [credential];
let emulator: EmulatorHandle;

beforeAll(async () => {
  emulator = await startEmulator({
    seed: 7,
    latencyScale: 0.002,
    acceptBearer: (token) => trusted.some((issuer) => issuer.isValid(token)),
    deployments: [
      { name: 'mini', model: 'gpt-4.1-mini', capacity: 1000 },
      { name: 'o4', model: 'o4-mini', capacity: 1000 },
      { name: 'r1', model: 'DeepSeek-R1', capacity: 1000 },
      { name: 'r1-fields', model: 'DeepSeek-R1', capacity: 1000, reasoningStyle: 'reasoning_content' },
      { name: 'tiny', model: 'gpt-4.1-mini', capacity: 1 },
      { name: 'faulty', model: 'gpt-4.1-mini', capacity: 1000 },
    ],
    answerKey: [{ question: 'What is the capital of France?', answer: 'Paris' }],
  });
});
afterAll(async () => {
  await emulator.close();
});

function provider(
  api: ApiKind,
  name: string,
  params: Partial<ModelParams> = {},
  deps: Partial<ProviderDeps> = {},
  deployment: Partial<ResolvedDeployment> = {},
): Provider {
  const resolved = deploymentFor(emulator.baseURL, { id: `t/${name}`, deployment: name, ...deployment });
  return createProvider(targetFor(api, resolved, params), resolved, {
    env: { [TEST_KEY_ENV]: emulator.apiKey },
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

describe.each(['chat', 'responses'] as const)('%s against the emulator', (api) => {
  it('streams an answer with TTFT after the first event, usage and rate headers', async () => {
    const completion = await provider(api, 'mini').complete(QUESTION, signal());
    expect(completion.text.length).toBeGreaterThan(0);
    expect(completion.finishReason).toBe('stop');
    expect(completion.usage.promptTokens).toBeGreaterThan(0);
    expect(completion.usage.completionTokens).toBeGreaterThan(0);
    expect(completion.timing.firstTokenMs).toBeGreaterThan(completion.timing.firstEventMs ?? Infinity);
    expect(completion.timing.chunks).toBeGreaterThan(0);
    expect(completion.rate.remainingTokens).toBeGreaterThanOrEqual(0);
    expect(completion.requestId).not.toBeNull();
  });

  it('answers without streaming', async () => {
    const completion = await provider(api, 'mini', { stream: false }).complete(QUESTION, signal());
    expect(completion.text.length).toBeGreaterThan(0);
    expect(completion.usage.completionTokens).toBeGreaterThan(0);
    expect(completion.timing.firstTokenMs).toBeUndefined();
  });

  it('reports reasoning tokens for a reasoning model', async () => {
    const completion = await provider(api, 'o4', { reasoningEffort: 'low', maxOutputTokens: 4000 }).complete(QUESTION, signal());
    expect(completion.usage.reasoningTokens).toBeGreaterThan(0);
  });

  it('charges the same admission estimate as the emulator', async () => {
    const chat = provider(api, 'mini', { system: 'Answer in one word.', maxOutputTokens: 123 });
    const input: PromptInput = { messages: [{ role: 'user', content: 'Name a colour, any colour at all.' }] };
    await chat.complete(input, signal());
    expect(emulator.admissionLog('mini').at(-1)?.cost).toBe(chat.estimateCost(input));
  });

  it('charges the same reservation as the emulator for an uncapped reasoning request', async () => {
    const reasoner = provider(api, 'o4', { reasoningEffort: 'low', maxOutputTokens: undefined });
    await reasoner.complete(QUESTION, signal());
    expect(emulator.admissionLog('o4').at(-1)?.cost).toBe(reasoner.estimateCost(QUESTION));
  });
});

describe('reasoning styles against the emulator', () => {
  it('splits DeepSeek-R1 <think> tags out of a streamed answer', async () => {
    const completion = await provider('chat', 'r1', { tokenLimitField: 'max_tokens', maxOutputTokens: 4000 }).complete(QUESTION, signal());
    expect(completion.reasoning).toBeDefined();
    expect(completion.text).not.toContain('think>');
    expect(completion.timing.firstReasoningMs).toBeLessThan(completion.timing.firstTokenMs ?? -Infinity);
  });

  it('reads reasoning_content deltas', async () => {
    const completion = await provider('chat', 'r1-fields', { tokenLimitField: 'max_tokens', maxOutputTokens: 4000 }).complete(
      QUESTION,
      signal(),
    );
    expect(completion.reasoning).toBeDefined();
    expect(completion.timing.firstReasoningMs).toBeLessThan(completion.timing.firstTokenMs ?? -Infinity);
  });
});

describe('quota against the emulator', () => {
  it('a request over the token window is a quota ProviderError with a wait hint', async () => {
    const chat = provider('chat', 'tiny', { maxOutputTokens: 600 });
    await chat.complete(QUESTION, signal());
    const error = await failure(chat.complete(QUESTION, signal()));
    expect(error).toMatchObject({ category: 'quota', retryable: true, status: 429 });
    expect(error.retryAfterMs).toBeGreaterThan(0);
  });
});

describe('emulator faults become the right ProviderError', () => {
  afterEach(() => emulator.clearFaults());

  it.each([
    ['capacity429', true, { category: 'capacity', retryable: true, status: 429 }],
    ['overload429', true, { category: 'capacity', retryable: true, status: 429, errorCode: 'EngineOverloaded' }],
    ['server500', true, { category: 'server', retryable: true, status: 500 }],
    ['unavailable503', true, { category: 'server', retryable: true, status: 503 }],
    ['timeout408', false, { category: 'timeout', retryable: true, status: 408 }],
    ['deploymentNotFound', true, { category: 'not_found', retryable: false, status: 404 }],
    ['connectionReset', true, { category: 'connection', retryable: true }],
    ['malformedJson', false, { category: 'server', retryable: true }],
    ['midStreamClose', true, { category: 'connection', retryable: true }],
    ['streamError', true, { category: 'server', retryable: true }],
  ] as const)('%s (stream %s)', async (kind, stream, expected) => {
    emulator.addFault({ kind, deployment: 'faulty', maxCount: 1, afterEvents: 3 });
    const error = await failure(provider('chat', 'faulty', { stream }).complete(QUESTION, signal()));
    expect(error).toMatchObject(expected);
  });

  it('a hanging deployment is cut by the total budget as a timeout', async () => {
    emulator.addFault({ kind: 'hang', deployment: 'faulty', maxCount: 1 });
    const error = await failure(provider('responses', 'faulty', {}, { clock: undefined }, { timeoutMs: 300 }).complete(QUESTION, signal()));
    expect(error).toMatchObject({ category: 'timeout', retryable: true });
  });
});

describe('Entra against the emulator', () => {
  const entra = { auth: { kind: 'entra', scope: SCOPE } } as const;

  it('keeps succeeding across a token refresh after the old token is no longer accepted', async () => {
    const deps = { credential, tokenProviders: new TokenProviderCache() };
    const chat = provider('chat', 'mini', {}, deps, entra);
    const callsBefore = credential.calls;
    await chat.complete(QUESTION, signal());
    const firstToken = `tok-${credential.calls}`;
    await new Promise((resolve) => setTimeout(resolve, 40)); // past refreshAfterTimestamp
    await chat.complete(QUESTION, signal()); // served with the first token; refresh starts
    credential.revoke(firstToken);
    const last = await chat.complete(QUESTION, signal());
    expect(last.text.length).toBeGreaterThan(0);
    expect(credential.calls - callsBefore).toBeGreaterThanOrEqual(2);
  });

  it('keeps succeeding while short-lived tokens expire and are replaced mid-run', async () => {
    const shortLived = new FakeCredential({ lifetimeMs: 1500, prefix: 'short' });
    trusted.push(shortLived);
    const chat = provider('chat', 'mini', { stream: false }, { credential: shortLived, tokenProviders: new TokenProviderCache() }, entra);
    const texts: string[] = [];
    for (let i = 0; i < 5; i++) {
      texts.push((await chat.complete(QUESTION, signal())).text);
      await new Promise((resolve) => setTimeout(resolve, 400)); // bounded: about 2 s in all
    }
    expect(texts.every((text) => text.length > 0)).toBe(true);
    expect(shortLived.isValid('short-1')).toBe(false); // the first token expired during the run
    expect(shortLived.calls).toBeGreaterThanOrEqual(2);
  });

  it('a token the emulator does not accept is an auth failure', async () => {
    const stranger = new FakeCredential({ lifetimeMs: 600_000, prefix: 'stranger' });
    const chat = provider('responses', 'mini', {}, { credential: stranger, tokenProviders: new TokenProviderCache() }, entra);
    const error = await failure(chat.complete(QUESTION, signal()));
    expect(error).toMatchObject({ category: 'auth', retryable: false, status: 401 });
  });

  it('a token the emulator stopped accepting (expired server-side) is an auth failure', async () => {
    const issuer = new FakeCredential({ lifetimeMs: 600_000, prefix: 'issuer' });
    trusted.push(issuer);
    const chat = provider('chat', 'mini', { stream: false }, { credential: issuer, tokenProviders: new TokenProviderCache() }, entra);
    await chat.complete(QUESTION, signal());
    issuer.revoke('issuer-1'); // the cached token is still fresh on the client side, so it is sent again
    const error = await failure(chat.complete(QUESTION, signal()));
    expect(error).toMatchObject({ category: 'auth', retryable: false, status: 401 });
  });
});
