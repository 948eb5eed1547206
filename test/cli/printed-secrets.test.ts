/**
 * What the CLI prints never carries a credential: the messages that quote a URL, a header or a
 * service's error text go through redactText (src/internal/redact.ts), and an `apiKeyEnv` value is
 * shown only when it is a conventional variable name — never a value that may be the key itself,
 * whatever its length. Our own words (`auth.apiKey: secrets do not belong …`) stay readable.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { blockedTargetLines } from '../../src/cli/blocked-cause.ts';
import { describeFailure } from '../../src/cli/main.ts';
import { BenchError, ConfigError, ProviderError } from '../../src/errors.ts';
import { redactUrls, shownVariableName } from '../../src/internal/redact.ts';
import { createOpenAIClient } from '../../src/providers/openai-client.ts';
import type { ResolvedDeployment } from '../../src/types.ts';

const KEY32 = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const SHORT_KEY = 'q8Zr2kLm9Xv4Tn7Wp'; // 17 characters, a valid identifier
const UPPER_KEY = 'A1B2C3D4E5F60718293A4B5C6D7E8F90';

function deployment(apiKeyEnv: string, baseURL = 'https://res.openai.azure.com/openai/v1/'): ResolvedDeployment {
  return { id: 't/dep', baseURL, deployment: 'dep', auth: { kind: 'api-key', apiKeyEnv }, limits: {}, maxConcurrency: 4, timeoutMs: 1_000 };
}

function notSetMessage(apiKeyEnv: string): string {
  try {
    createOpenAIClient(deployment(apiKeyEnv), { env: {} });
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    return (error as ProviderError).message;
  }
  throw new Error('expected the client to refuse a missing key');
}

describe('the "not set" message of an API-key variable', () => {
  test('names a conventional variable', () => {
    expect(notSetMessage('AZURE_OPENAI_API_KEY')).toBe('deployment t/dep: environment variable AZURE_OPENAI_API_KEY is not set or empty');
  });

  test.each([
    ['a 17-character key pasted as the name', SHORT_KEY],
    ['a 32-character key pasted as the name', KEY32],
    ['an upper-case key-shaped value', UPPER_KEY],
  ])('never echoes %s, only its length', (_name, value) => {
    const message = notSetMessage(value);
    expect(message).not.toContain(value);
    expect(message).toContain(`named in auth.apiKeyEnv (${value.length} characters, not shown in case it is the key itself)`);
  });

  test('shownVariableName is the one rule for every message', () => {
    expect(shownVariableName('MY_KEY_2')).toBe('MY_KEY_2');
    expect(shownVariableName('my_key')).toMatch(/^named in auth\.apiKeyEnv \(6 characters/);
  });
});

describe('printed failures', () => {
  test('a config error masks a key inside a quoted URL, and keeps a secret-named config path readable', () => {
    const url = `https://res.openai.azure.com/openai/v1/?api-key=${KEY32}`;
    const { code, text } = describeFailure(
      new ConfigError(
        [
          `targets[0].deployments[0].baseURL: Azure v1 endpoints end in /openai/v1/, got ${JSON.stringify(url)}`,
          'targets[0].deployments[0].auth.apiKey: secrets do not belong in the config (value not shown)',
        ],
        { file: '/p/eval.config.ts' },
      ),
    );
    expect(code).toBe(2);
    expect(text).not.toContain(KEY32);
    expect(text).toContain('?api-key=[redacted]');
    expect(text).toContain('auth.apiKey: secrets do not belong in the config');
  });

  test('a run-time error and a bug’s stack are masked whole', () => {
    expect(describeFailure(new BenchError('E_X', `the service said: Authorization: Bearer ${KEY32}`)).text).toBe(
      'error: the service said: Authorization: Bearer [redacted]',
    );
    const bug = describeFailure(new Error(`boom api-key: ${SHORT_KEY}`));
    expect(bug.code).toBe(70);
    expect(bug.text).not.toContain(SHORT_KEY);
  });

  test('redactUrls touches only the URLs of a text', () => {
    expect(redactUrls(`apiKey: secrets here; see http://h/v1?api-key=${SHORT_KEY}&x=1 now`)).toBe(
      'apiKey: secrets here; see http://h/v1?api-key=[redacted]&x=1 now',
    );
  });
});

describe('the "could not be completed" line', () => {
  test('masks a key in the deployment URL and in the quoted service message, and hides a key-shaped apiKeyEnv', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bb-printed-'));
    const result = {
      v: 1,
      kind: 'result',
      key: 'r1|t|0',
      rowId: 'r1',
      rowIndex: 0,
      target: 't',
      repeat: 0,
      deploymentId: 't/dep',
      attempts: 1,
      durationMs: 5,
      prompt: 'p',
      status: 'failed',
      reason: 'fatal',
      error: {
        name: 'ProviderError',
        code: '401',
        category: 'auth',
        status: 401,
        retryable: false,
        message: `401 auth (401): invalid key; got header api-key: ${SHORT_KEY}`,
      },
    };
    await writeFile(join(dir, 'journal.jsonl'), `${JSON.stringify(result)}\n`);
    const dep = deployment(SHORT_KEY, `https://res.openai.azure.com/openai/v1/?api-key=${KEY32}`);
    const target = { name: 't', deployments: [dep] } as unknown as Parameters<typeof blockedTargetLines>[1]['targets'][number];
    const [line] = await blockedTargetLines(dir, { targets: [target], judgeTargets: [] }, new Map([['t', new Set(['fatal'])]]));
    expect(line).toMatch(
      /^target t could not be completed: t\/dep at https:\/\/res\.openai\.azure\.com\/openai\/v1\/\?api-key=\[redacted\] answered HTTP 401 \(auth\): "invalid key; got header api-key: \[redacted\]"; the key came from the environment variable named in auth\.apiKeyEnv \(17 characters, not shown/,
    );
    expect(line).not.toContain(KEY32);
    expect(line).not.toContain(SHORT_KEY);
  });
});
