/**
 * Client construction: explicit credentials, no SDK retries, and the Entra path (one token provider per
 * credential and scope, refreshed tokens, auth failures) against a loopback server that checks bearers.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.ts';
import { createChatCompletionsProvider } from '../../src/providers/chat-completions.ts';
import { TokenProviderCache } from '../../src/providers/openai-client.ts';
import type { ProviderDeps } from '../../src/providers/provider.ts';
import type { PromptInput, ResolvedDeployment } from '../../src/types.ts';
import { FakeCredential } from '../support/fake-credential.ts';
import { startLoopbackServer } from '../support/loopback-server.ts';
import type { LoopbackServer } from '../support/loopback-server.ts';
import { chatCompletionJson, deploymentFor, targetFor, TEST_KEY, TEST_KEY_ENV } from './azure-fixtures.ts';

const INPUT: PromptInput = { messages: [{ role: 'user', content: 'hi' }] };
const SCOPE = 'https://cognitiveservices.azure.com/.default';
const UNAUTHORIZED = {
  status: 401,
  json: { error: { code: '401', message: 'Access denied due to invalid subscription key or wrong API endpoint.' } },
};
let server: LoopbackServer;
let accept: (token: string) => boolean = () => false;

beforeAll(async () => {
  server = await startLoopbackServer((request) => {
    const token = request.headers['authorization']?.replace(/^Bearer /, '') ?? '';
    return accept(token) ? { json: chatCompletionJson('ok') } : UNAUTHORIZED;
  });
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  accept = () => false;
});

function entraDeployment(id: string, scope = SCOPE): ResolvedDeployment {
  return deploymentFor(server.baseURL, { id, auth: { kind: 'entra', scope } });
}

function chat(deployment: ResolvedDeployment, deps: Partial<ProviderDeps>) {
  return createChatCompletionsProvider(targetFor('chat', deployment, { stream: false }), deployment, { env: {}, ...deps });
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

const bearers = (from: number) => server.requests.slice(from).map((request) => request.headers['authorization']);

describe('api-key clients', () => {
  it('sends the key from the named variable as a bearer', async () => {
    accept = (token) => token === TEST_KEY;
    const deployment = deploymentFor(server.baseURL);
    const completion = await chat(deployment, { env: { [TEST_KEY_ENV]: TEST_KEY } }).complete(INPUT, new AbortController().signal);
    expect(completion.text).toBe('ok');
  });

  it('makes exactly one HTTP attempt on a retryable failure (SDK retries off)', async () => {
    const before = server.requests.length;
    const error = await failure(
      chat(deploymentFor(server.baseURL), { env: { [TEST_KEY_ENV]: 'wrong' } }).complete(INPUT, new AbortController().signal),
    );
    expect(error.category).toBe('auth');
    expect(server.requests.length - before).toBe(1);
  });

  it('ignores OPENAI_ORG_ID and OPENAI_PROJECT_ID from the environment', async () => {
    accept = () => true;
    process.env['OPENAI_ORG_ID'] = 'org-stray';
    process.env['OPENAI_PROJECT_ID'] = 'proj-stray';
    try {
      await chat(deploymentFor(server.baseURL), { env: { [TEST_KEY_ENV]: TEST_KEY } }).complete(INPUT, new AbortController().signal);
    } finally {
      delete process.env['OPENAI_ORG_ID'];
      delete process.env['OPENAI_PROJECT_ID'];
    }
    const headers = server.requests.at(-1)?.headers ?? {};
    expect(headers).not.toHaveProperty('openai-organization');
    expect(headers).not.toHaveProperty('openai-project');
  });
});

describe('Entra clients', () => {
  it('authenticates with a token from the credential for the configured scope', async () => {
    const credential = new FakeCredential({ lifetimeMs: 600_000 });
    accept = (token) => credential.isValid(token);
    const completion = await chat(entraDeployment('a'), { credential, tokenProviders: new TokenProviderCache() }).complete(
      INPUT,
      new AbortController().signal,
    );
    expect(completion.text).toBe('ok');
    expect(credential.scopes[0]).toEqual([SCOPE]);
  });

  it('shares one token provider between deployments with the same scope', async () => {
    const credential = new FakeCredential({ lifetimeMs: 600_000 });
    accept = (token) => credential.isValid(token);
    const deps = { credential, tokenProviders: new TokenProviderCache() };
    await chat(entraDeployment('a'), deps).complete(INPUT, new AbortController().signal);
    await chat(entraDeployment('b'), deps).complete(INPUT, new AbortController().signal);
    expect(credential.calls).toBe(1);
  });

  it('keeps one token provider per scope', async () => {
    const credential = new FakeCredential({ lifetimeMs: 600_000 });
    accept = (token) => credential.isValid(token);
    const deps = { credential, tokenProviders: new TokenProviderCache() };
    await chat(entraDeployment('a'), deps).complete(INPUT, new AbortController().signal);
    await chat(entraDeployment('b', 'https://ai.azure.com/.default'), deps).complete(INPUT, new AbortController().signal);
    expect(credential.scopes).toEqual([[SCOPE], ['https://ai.azure.com/.default']]);
  });

  it('keeps succeeding across a token refresh, after the old token stops being accepted', async () => {
    const credential = new FakeCredential({ lifetimeMs: 600_000, refreshAfterMs: 20 });
    accept = (token) => credential.isValid(token);
    const provider = chat(entraDeployment('a'), { credential, tokenProviders: new TokenProviderCache() });
    const before = server.requests.length;
    await provider.complete(INPUT, new AbortController().signal);
    await new Promise((resolve) => setTimeout(resolve, 40)); // past refreshAfterTimestamp
    await provider.complete(INPUT, new AbortController().signal); // still tok-1; starts the background refresh
    credential.revoke('tok-1');
    const last = await provider.complete(INPUT, new AbortController().signal);
    expect(last.text).toBe('ok');
    expect(credential.calls).toBeGreaterThanOrEqual(2);
    expect(bearers(before)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2']);
  });

  it('a token the server does not accept is an auth failure', async () => {
    const credential = new FakeCredential({ lifetimeMs: 600_000 });
    accept = () => false;
    const error = await failure(
      chat(entraDeployment('a'), { credential, tokenProviders: new TokenProviderCache() }).complete(INPUT, new AbortController().signal),
    );
    expect(error).toMatchObject({ category: 'auth', retryable: false, status: 401 });
  });

  it('a credential that cannot produce a token is an auth failure without a request', async () => {
    const credential = new FakeCredential({ lifetimeMs: 600_000, failWith: 'ManagedIdentityCredential: no identity endpoint' });
    const before = server.requests.length;
    const error = await failure(
      chat(entraDeployment('a'), { credential, tokenProviders: new TokenProviderCache() }).complete(INPUT, new AbortController().signal),
    );
    expect(error).toMatchObject({ category: 'auth', retryable: false });
    expect(server.requests.length).toBe(before);
  });
});
