/**
 * Provider.checkListed against the embedded emulator (the real SDK over real HTTP): the model list proves the
 * URL, the credentials and the deployment only when it names the deployment; every other answer or
 * failure is false, never a rejection, so first contact then waits for the first attempt as before.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/server.ts';
import type { EmulatorHandle } from '../../src/emulator/server.ts';
import { ProviderError } from '../../src/errors.ts';
import type { Provider } from '../../src/providers/provider.ts';
import { createProvider } from '../../src/providers/registry.ts';
import type { PromptInput } from '../../src/types.ts';
import { deploymentFor, targetFor, TEST_KEY_ENV, tickClock } from './azure-fixtures.ts';

let emulator: EmulatorHandle;

beforeAll(async () => {
  emulator = await startEmulator({ seed: 3, latencyScale: 0.002, deployments: [{ name: 'mini', model: 'gpt-4.1-mini', capacity: 1000 }] });
});
afterAll(async () => {
  await emulator.close();
});

function provider(name: string, options: { key?: string; baseURL?: string } = {}): Provider {
  const resolved = deploymentFor(options.baseURL ?? emulator.baseURL, { id: `t/${name}`, deployment: name });
  return createProvider(targetFor('chat', resolved, {}), resolved, {
    env: { [TEST_KEY_ENV]: options.key ?? emulator.apiKey },
    clock: tickClock(),
  });
}

/** A 127.0.0.1 port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const QUESTION: PromptInput = { messages: [{ role: 'user', content: 'ping' }] };

describe('Provider.checkListed', () => {
  it('is true when the model list names the deployment', async () => {
    expect(await provider('mini').checkListed(new AbortController().signal)).toBe(true);
  });

  it('is false for a deployment the list does not name, whose requests are 404s', async () => {
    const missing = provider('no-such-deployment');
    expect(await missing.checkListed(new AbortController().signal)).toBe(false);
    const error = await missing.complete(QUESTION, new AbortController().signal).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).status).toBe(404);
  });

  it('is false with a wrong key (401), without rejecting', async () => {
    expect(await provider('mini', { key: 'wrong-key' }).checkListed(new AbortController().signal)).toBe(false);
  });

  it('is false when nothing listens, and on an aborted signal', async () => {
    const port = await closedPort();
    expect(await provider('mini', { baseURL: `http://127.0.0.1:${port}/openai/v1/` }).checkListed(new AbortController().signal)).toBe(
      false,
    );
    const aborted = new AbortController();
    aborted.abort();
    expect(await provider('mini').checkListed(aborted.signal)).toBe(false);
  });
});
