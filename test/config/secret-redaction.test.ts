/** Credential-shaped values are masked by shape, not only by field name, and apiKeyEnv values are never echoed. */
import { describe, expect, test } from 'vitest';
import { hashConfig, redactConfig } from '../../src/config/config-hash.ts';
import { resolveConfig } from '../../src/config/resolve-config.ts';
import type { ResolveContext } from '../../src/config/bench-config.ts';
import { ConfigError } from '../../src/errors.ts';
import { containsCredential, redactText } from '../../src/internal/redact.ts';

const KEY32 = ['0a1b2c3d4e5f', '60718293a4b5c6d7', 'e8f9'].join('');
const JWT = ['eyJhbGciOiJSUzI1NiJ9', 'eyJzdWIiOiJ4In0xMjM0', 'c2lnbmF0dXJl'].join('.');

describe('redactText', () => {
  test.each([
    ['Authorization: Bearer abcdefgh12345678', 'Authorization: Bearer [redacted]'],
    ['api-key: 1234abcd', 'api-key: [redacted]'],
    ['{"apiKey":"hunter22"}', '{"apiKey":"[redacted]"}'],
    ['use sk-proj-Abcdefghij0123456789 here', 'use [redacted] here'],
    [`token ${JWT} expired`, 'token [redacted] expired'],
  ])('masks %j', (input, output) => {
    expect(redactText(input)).toBe(output);
  });

  test('long letter-and-digit runs only when asked (answers may hold hashes)', () => {
    expect(redactText(`key ${KEY32}`)).toBe(`key ${KEY32}`);
    expect(redactText(`key ${KEY32}`, { keyLikeRuns: true })).toBe('key [redacted]');
  });

  test('leaves ordinary text and hyphenated deployment names alone', () => {
    for (const text of ['gpt-4o-mini-2024-07-18-global', 'The answer is 42.', 'https://contoso.openai.azure.com/openai/v1/']) {
      expect(containsCredential(text), text).toBe(false);
    }
  });
});

describe('redactConfig', () => {
  const config = {
    targets: [
      {
        name: 'mini',
        params: {
          system: 'Answer briefly.',
          headers: { 'x-trace': 'Bearer abcdefgh12345678', 'x-custom-auth': KEY32, 'x-ms-feature': 'preview', 'x-session-token': 'short1' },
          extraBody: { metadata: { note: 'sk-proj-Abcdefghij0123456789', list: [JWT, 'plain'] }, thinking: { type: 'enabled' } },
        },
      },
    ],
  };

  test('masks credential-shaped values anywhere in headers and bodies, keeps the rest', () => {
    expect(redactConfig(config)).toEqual({
      targets: [
        {
          name: 'mini',
          params: {
            system: 'Answer briefly.',
            headers: {
              'x-trace': 'Bearer [redacted]',
              'x-custom-auth': '[redacted]',
              'x-ms-feature': 'preview',
              'x-session-token': '[redacted]',
            },
            extraBody: { metadata: { note: '[redacted]', list: ['[redacted]', 'plain'] }, thinking: { type: 'enabled' } },
          },
        },
      ],
    });
  });

  test('the hash does not depend on the secret (so rotating a key does not break resume)', () => {
    const rotated = JSON.parse(JSON.stringify(config).replace(KEY32, KEY32.split('').reverse().join(''))) as unknown;
    expect(hashConfig(rotated)).toBe(hashConfig(config));
  });
});

describe('apiKeyEnv', () => {
  const context: ResolveContext = { file: '/p/eval.config.ts', env: {}, scorerNames: ['exact-match'] };
  function issues(apiKeyEnv: string): readonly string[] {
    try {
      resolveConfig(
        {
          targets: [
            { name: 'm', deployments: [{ baseURL: 'https://c.openai.azure.com/openai/v1/', deployment: 'd', auth: { apiKeyEnv } }] },
          ],
        },
        {},
        context,
      );
    } catch (error) {
      if (error instanceof ConfigError) return error.issues;
      throw error;
    }
    return [];
  }

  test.each(['a1b2-c3d4.e5f6g7h', 'a1b2c3d4e5f6g7h8i', 'k3y'])('never echoes %j, whatever its length', (value) => {
    const found = issues(value);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^targets\[0\]\.deployments\[0\]\.auth\.apiKeyEnv: /);
    expect(found[0]).not.toContain(value);
  });

  test('a conventional variable name is still named', () => {
    expect(issues('MY_KEY')[0]).toContain('environment variable MY_KEY is not set');
  });
});
