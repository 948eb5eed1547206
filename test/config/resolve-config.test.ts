import { describe, expect, test } from 'vitest';
import { resolveConfig } from '../../src/config/resolve-config.ts';
import type { BenchConfig, CliOverrides, ResolveContext } from '../../src/config/bench-config.ts';
import { ConfigError } from '../../src/errors.ts';

const AZURE = 'https://contoso.openai.azure.com/openai/v1/';
const context: ResolveContext = {
  file: '/project/eval.config.ts',
  env: { AZURE_OPENAI_API_KEY: 'k', OPENAI_API_KEY: 'k', BATCHBENCH_EMULATOR_KEY: 'k' },
  emulatorBaseURL: 'http://127.0.0.1:4010/openai/v1/',
  scorerNames: ['exact-match', 'contains', 'regex', 'llm-judge'],
};

function minimal(overrides: Partial<BenchConfig> = {}): BenchConfig {
  return { targets: [{ name: 'mini', deployments: [{ baseURL: AZURE, deployment: 'gpt-4.1-mini' }] }], ...overrides };
}

function issuesOf(config: unknown, overrides: CliOverrides = {}, ctx: ResolveContext = context): readonly string[] {
  try {
    resolveConfig(config, overrides, ctx);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveConfig: defaults', () => {
  test('applies every top-level default', () => {
    const resolved = resolveConfig(minimal(), {}, context);
    expect(resolved).toMatchObject({
      idColumn: 'id',
      repeats: 1,
      concurrency: 256,
      timeoutMs: 120_000,
      retry: { maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: 60_000 },
      outDir: 'reports',
      scorers: [{ kind: 'builtin', name: 'exact-match', options: {} }],
      scorersAreDefault: true,
      usesEmulator: false,
      file: '/project/eval.config.ts',
    });
    expect(resolved.prompt).toBeUndefined();
  });

  test('defaults a target to the Responses API with streaming and max_output_tokens', () => {
    const target = resolveConfig(minimal(), {}, context).targets[0];
    expect(target?.api).toBe('responses');
    expect(target?.params).toEqual({ tokenLimitField: 'max_output_tokens', stream: true });
  });

  test('defaults chat targets to max_completion_tokens, overridable', () => {
    const config = minimal();
    config.targets.push({ name: 'chat', api: 'chat', deployments: [{ baseURL: AZURE, deployment: 'a' }] });
    config.targets.push({ name: 'grok', api: 'chat', tokenLimitField: 'max_tokens', deployments: [{ baseURL: AZURE, deployment: 'b' }] });
    const [, chat, grok] = resolveConfig(config, {}, context).targets;
    expect(chat?.params.tokenLimitField).toBe('max_completion_tokens');
    expect(grok?.params.tokenLimitField).toBe('max_tokens');
  });

  test('resolves a deployment with id, api-key auth for Azure hosts, and inherited timeout', () => {
    const deployment = resolveConfig(minimal({ timeoutMs: 30_000 }), {}, context).targets[0]?.deployments[0];
    expect(deployment).toEqual({
      id: 'mini/gpt-4.1-mini',
      baseURL: AZURE,
      deployment: 'gpt-4.1-mini',
      auth: { kind: 'api-key', apiKeyEnv: 'AZURE_OPENAI_API_KEY' },
      limits: {},
      maxConcurrency: 64,
      timeoutMs: 30_000,
    });
  });

  test('uses OPENAI_API_KEY for non-Azure hosts', () => {
    const config = minimal({ targets: [{ name: 'oai', deployments: [{ baseURL: 'https://api.openai.com/v1', deployment: 'gpt-4.1' }] }] });
    expect(resolveConfig(config, {}, context).targets[0]?.deployments[0]?.auth).toEqual({ kind: 'api-key', apiKeyEnv: 'OPENAI_API_KEY' });
  });

  test('adds the trailing slash a base URL needs', () => {
    const config = minimal({
      targets: [{ name: 'm', deployments: [{ baseURL: 'https://contoso.openai.azure.com/openai/v1', deployment: 'd' }] }],
    });
    expect(resolveConfig(config, {}, context).targets[0]?.deployments[0]?.baseURL).toBe(AZURE);
  });

  test('defaults the Entra scope to Cognitive Services, and to ai.azure.com for project endpoints', () => {
    const config = minimal({
      targets: [
        { name: 'a', deployments: [{ baseURL: AZURE, deployment: 'd', auth: { entra: {} } }] },
        {
          name: 'b',
          deployments: [{ baseURL: 'https://x.services.ai.azure.com/api/projects/p1/openai/v1/', deployment: 'd', auth: { entra: {} } }],
        },
      ],
    });
    const [a, b] = resolveConfig(config, {}, context).targets;
    expect(a?.deployments[0]?.auth).toEqual({ kind: 'entra', scope: 'https://cognitiveservices.azure.com/.default' });
    expect(b?.deployments[0]?.auth).toEqual({ kind: 'entra', scope: 'https://ai.azure.com/.default' });
  });

  test('points "emulator" deployments at the running emulator with its key variable', () => {
    const config = minimal({ targets: [{ name: 'e', deployments: [{ baseURL: 'emulator', deployment: 'gpt-4.1-mini' }] }] });
    const resolved = resolveConfig(config, {}, context);
    expect(resolved.usesEmulator).toBe(true);
    expect(resolved.targets[0]?.deployments[0]).toMatchObject({
      baseURL: 'http://127.0.0.1:4010/openai/v1/',
      auth: { kind: 'api-key', apiKeyEnv: 'BATCHBENCH_EMULATOR_KEY' },
    });
  });

  test('lets a target system prompt win over the config one', () => {
    const config = minimal({ system: 'global' });
    config.targets.push({ name: 'own', system: 'mine', deployments: [{ baseURL: AZURE, deployment: 'x' }] });
    const [first, second] = resolveConfig(config, {}, context).targets;
    expect(first?.params.system).toBe('global');
    expect(second?.params.system).toBe('mine');
  });
});

describe('resolveConfig: overrides', () => {
  test('CLI overrides win over the file', () => {
    const resolved = resolveConfig(
      minimal({ repeats: 2, outDir: 'out', dataset: { path: 'a.csv' } }),
      { repeats: 3, outDir: 'o2', dataset: 'b.csv', limit: 10, concurrency: 8 },
      context,
    );
    expect(resolved).toMatchObject({ repeats: 3, outDir: 'o2', datasetPath: 'b.csv', limit: 10, concurrency: 8 });
  });

  test('--targets keeps only the named targets', () => {
    const config = minimal();
    config.targets.push({ name: 'other', deployments: [{ baseURL: AZURE, deployment: 'o' }] });
    expect(resolveConfig(config, { targets: ['other'] }, context).targets.map((t) => t.name)).toEqual(['other']);
  });

  test('an unknown --targets name lists the known ones with a suggestion', () => {
    expect(issuesOf(minimal(), { targets: ['minu'] })).toEqual([
      '--targets: unknown target "minu" (did you mean "mini"?); known targets are mini',
    ]);
  });

  test('rejects non-positive numeric overrides', () => {
    expect(issuesOf(minimal(), { limit: 0 })).toEqual(['--limit: expected an integer ≥ 1, got 0 (number)']);
  });
});

describe('resolveConfig: errors', () => {
  test('collects every problem at once, each with its path and what was found', () => {
    const issues = issuesOf({
      targets: [
        { name: 'a', temperature: 7, deployments: [{ baseURL: AZURE, deployment: 'd' }] },
        { name: 'b', deployments: [{ baseURL: AZURE, deployment: 'd', auth: { entra: { scope: 'foo' } } }] },
      ],
      repeats: 0,
    });
    expect(issues).toEqual([
      'targets[0].temperature: expected a number between 0 and 2, got 7 (number)',
      'targets[1].deployments[0].auth.entra.scope: expected a URL, got "foo"',
      'repeats: expected an integer ≥ 1, got 0 (number)',
    ]);
  });

  test('integers name their bound and what was found', () => {
    const config = minimal({ targets: [{ name: 'm', deployments: [{ baseURL: AZURE, deployment: 'd', maxConcurrency: 0 }] }] });
    expect(issuesOf(config)).toEqual(['targets[0].deployments[0].maxConcurrency: expected an integer ≥ 1, got 0 (number)']);
  });

  test('a prompt of the wrong type says what a prompt may be', () => {
    expect(issuesOf({ ...minimal(), prompt: 42 })).toEqual([
      'prompt: expected a template string or a function (row) => string | PromptInput, got 42 (number)',
    ]);
  });

  test('an unknown api names the two choices', () => {
    const config = { targets: [{ name: 'm', api: 'completions', deployments: [{ baseURL: AZURE, deployment: 'd' }] }] };
    expect(issuesOf(config)).toEqual(['targets[0].api: expected "responses" or "chat", got "completions"']);
  });

  test('an empty target list says a target is needed', () => {
    expect(issuesOf({ targets: [] })).toEqual(['targets: expected at least one target']);
  });

  test('missing targets reads as expected, got nothing', () => {
    expect(issuesOf({})).toEqual(['targets: expected an array of targets, got nothing']);
  });

  test('an Azure URL without /openai/v1 gets the v1 URL suggested', () => {
    const config = minimal({
      targets: [{ name: 'm', deployments: [{ baseURL: 'https://x.openai.azure.com/openai/deployments/gpt-4o', deployment: 'd' }] }],
    });
    expect(issuesOf(config)).toEqual([
      'targets[0].deployments[0].baseURL: Azure v1 endpoints end in /openai/v1/ (did you mean https://x.openai.azure.com/openai/v1/?)',
    ]);
  });

  test('an invalid URL is named with its value', () => {
    const config = minimal({ targets: [{ name: 'm', deployments: [{ baseURL: 'contoso', deployment: 'd' }] }] });
    expect(issuesOf(config)[0]).toMatch(/^targets\[0\]\.deployments\[0\]\.baseURL: expected an http\(s\) URL .*got "contoso"$/);
  });

  test('"emulator" without a running emulator says how to start one', () => {
    const config = minimal({ targets: [{ name: 'e', deployments: [{ baseURL: 'emulator', deployment: 'd' }] }] });
    const { emulatorBaseURL: _omit, ...withoutEmulator } = context;
    expect(issuesOf(config, {}, withoutEmulator)[0]).toMatch(
      /^targets\[0\]\.deployments\[0\]\.baseURL: "emulator" needs the embedded emulator.*--emulator$/,
    );
  });

  test('one problem repeated across many deployments is reported once with a count', () => {
    const deployments = ['a', 'b', 'c'].map((name) => ({ baseURL: 'emulator', deployment: name }));
    const { emulatorBaseURL: _omit, ...withoutEmulator } = context;
    expect(issuesOf(minimal({ targets: [{ name: 'pool', deployments }] }), {}, withoutEmulator)).toEqual([
      'targets[0].deployments[0].baseURL (and 2 more): "emulator" needs the embedded emulator, which is not running: add an `emulator: {…}` block to the config or pass --emulator',
    ]);
  });

  test('duplicate target names point at the first use', () => {
    const config = minimal();
    config.targets.push({ name: 'mini', deployments: [{ baseURL: AZURE, deployment: 'other' }] });
    expect(issuesOf(config)).toEqual(['targets[1].name: duplicate target name "mini" (first used by targets[0])']);
  });

  test('duplicate deployment ids point at the first use', () => {
    const config = minimal({
      targets: [
        {
          name: 'pool',
          deployments: [
            { baseURL: AZURE, deployment: 'd' },
            { baseURL: 'https://eu.openai.azure.com/openai/v1/', deployment: 'd' },
          ],
        },
      ],
    });
    expect(issuesOf(config)).toEqual([
      'targets[0].deployments[1].id: duplicate deployment id "pool/d" (first used by targets[0].deployments[0]); give one of them an explicit id',
    ]);
  });

  test('an API key placed in the config is refused without echoing it', () => {
    const secret = 'abcd1234abcd1234abcd1234abcd1234';
    const config = { targets: [{ name: 'm', deployments: [{ baseURL: AZURE, deployment: 'd', apiKey: secret }] }] };
    const issues = issuesOf(config);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^targets\[0\]\.deployments\[0\]\.apiKey: secrets do not belong in the config.*apiKeyEnv/);
    expect(issues.join('\n')).not.toContain(secret);
  });

  test('a key pasted into apiKeyEnv is refused without echoing it', () => {
    const secret = 'sk-proj-0123456789abcdefghijklmnop';
    const issues = issuesOf(
      minimal({ targets: [{ name: 'm', deployments: [{ baseURL: AZURE, deployment: 'd', auth: { apiKeyEnv: secret } }] }] }),
    );
    expect(issues[0]).toMatch(/^targets\[0\]\.deployments\[0\]\.auth\.apiKeyEnv: expected the NAME of an environment variable/);
    expect(issues.join('\n')).not.toContain(secret);
  });

  test('an empty auth object says what it may contain', () => {
    const issues = issuesOf(minimal({ targets: [{ name: 'm', deployments: [{ baseURL: AZURE, deployment: 'd', auth: {} as never }] }] }));
    expect(issues).toEqual([
      'targets[0].deployments[0].auth: expected { apiKeyEnv: "VAR_NAME" } or { entra: {} }, got an empty object (leave auth out for the default key variable)',
    ]);
  });

  test('a credential header is refused', () => {
    const config = minimal({ targets: [{ name: 'm', headers: { 'api-key': 'x' }, deployments: [{ baseURL: AZURE, deployment: 'd' }] }] });
    expect(issuesOf(config)[0]).toMatch(/^targets\[0\]\.headers\["api-key"\]: secrets do not belong/);
  });

  test('a credential in extraBody is refused', () => {
    const config = minimal({ targets: [{ name: 'm', extraBody: { api_key: 'x' }, deployments: [{ baseURL: AZURE, deployment: 'd' }] }] });
    expect(issuesOf(config)[0]).toMatch(/^targets\[0\]\.extraBody\.api_key: secrets do not belong/);
  });

  test('a missing key variable is named, its (absent) value never shown', () => {
    const issues = issuesOf(
      minimal({ targets: [{ name: 'm', deployments: [{ baseURL: AZURE, deployment: 'd', auth: { apiKeyEnv: 'MY_KEY' } }] }] }),
    );
    expect(issues).toEqual([
      'targets[0].deployments[0].auth.apiKeyEnv: environment variable MY_KEY is not set; export it, or use auth: { entra: {} } for Microsoft Entra ID',
    ]);
  });

  test('a missing default key variable names it and the alternatives', () => {
    const issues = issuesOf(minimal(), {}, { ...context, env: {} });
    expect(issues[0]).toMatch(
      /^targets\[0\]\.deployments\[0\]\.auth: no auth given, so the API key is read from AZURE_OPENAI_API_KEY, which is not set/,
    );
  });

  test('checkEnv: false skips the key variable check', () => {
    expect(() => resolveConfig(minimal(), {}, { ...context, env: {}, checkEnv: false })).not.toThrow();
  });

  test('an unknown option suggests the closest known one', () => {
    expect(issuesOf({ ...minimal(), repeat: 3 })).toEqual(['repeat: unknown option (did you mean "repeats"?)']);
  });

  test('an unknown scorer name suggests the closest builtin', () => {
    expect(issuesOf(minimal({ scorers: ['exact'] }))[0]).toMatch(
      /^scorers\[0\]: unknown scorer "exact" \(did you mean "exact-match"\?\); builtin scorers are /,
    );
  });

  test('an llm-judge scorer must name a configured target', () => {
    expect(issuesOf(minimal({ scorers: [['llm-judge', { target: 'judge' }]] }))).toEqual([
      'scorers[0].target: unknown target "judge"; known targets are mini',
    ]);
  });

  test('per-target thresholds must name configured targets', () => {
    expect(issuesOf(minimal({ thresholds: { perTarget: { mimi: { accuracy: 0.5 } } } }))).toEqual([
      'thresholds.perTarget.mimi: unknown target "mimi" (did you mean "mini"?); known targets are mini',
    ]);
  });

  test('a non-object export is explained', () => {
    expect(issuesOf(42)[0]).toMatch(/default export to be an object.*got 42 \(number\)/);
  });

  test('the thrown message names the config file', () => {
    expect(() => resolveConfig({ targets: [] }, {}, context)).toThrow('/project/eval.config.ts: targets: expected at least one target');
  });
});

describe('resolveConfig: result', () => {
  test('is deeply frozen', () => {
    const resolved = resolveConfig(minimal({ thresholds: { perTarget: { mini: { accuracy: 0.5 } } } }), {}, context);
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(Object.isFrozen(resolved.targets[0]?.deployments[0]?.limits)).toBe(true);
    expect(Object.isFrozen(resolved.thresholds.perTarget?.['mini'])).toBe(true);
  });

  test("never writes into the caller's object", () => {
    const config = minimal();
    const before = structuredClone(config);
    resolveConfig(config, { repeats: 4 }, context);
    expect(config).toEqual(before);
    expect(Object.isFrozen(config)).toBe(false);
  });

  test("neither freezes nor copies the user's own scorer objects or emulator hooks", () => {
    const custom = {
      name: 'counter',
      calls: 0,
      score() {
        this.calls++;
        return { value: 1, passed: true };
      },
    };
    const acceptBearer = (token: string) => token.startsWith('tok-');
    const deployments = [{ name: 'm' }];
    const resolved = resolveConfig(minimal({ scorers: [custom], emulator: { deployments, acceptBearer } }), {}, context);
    expect(resolved.scorers[0]).toEqual({ kind: 'custom', scorer: custom });
    expect(resolved.emulator?.['acceptBearer']).toBe(acceptBearer);
    expect([Object.isFrozen(custom), Object.isFrozen(deployments)]).toEqual([false, false]);
    expect(custom.score()).toEqual({ value: 1, passed: true });
  });

  test('keeps custom scorer objects and [name, options] tuples', () => {
    const custom = { name: 'length', score: () => ({ value: 1, passed: true }) };
    const resolved = resolveConfig(minimal({ scorers: ['contains', ['regex', { pattern: 'a' }], custom] }), {}, context);
    expect(resolved.scorers).toEqual([
      { kind: 'builtin', name: 'contains', options: {} },
      { kind: 'builtin', name: 'regex', options: { pattern: 'a' } },
      { kind: 'custom', scorer: custom },
    ]);
    expect(resolved.scorersAreDefault).toBe(false);
  });

  test('lists judge targets even when --targets filters them out', () => {
    const config = minimal({ scorers: [['llm-judge', { target: 'judge' }]] });
    config.targets.push({ name: 'judge', deployments: [{ baseURL: AZURE, deployment: 'gpt-4.1' }] });
    const resolved = resolveConfig(config, { targets: ['mini'] }, context);
    expect(resolved.targets.map((t) => t.name)).toEqual(['mini']);
    expect(resolved.judgeTargets.map((t) => t.name)).toEqual(['judge']);
  });
});

describe('resolveConfig: hash', () => {
  test('is a sha256 hex digest, equal for equal configs whatever the key order', () => {
    const a = resolveConfig(minimal({ repeats: 2, outDir: 'x' }), {}, context).hash;
    const b = resolveConfig({ outDir: 'x', repeats: 2, targets: minimal().targets }, {}, context).hash;
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).toBe(b);
  });

  test('changes when a request parameter changes', () => {
    const a = resolveConfig(minimal(), {}, context).hash;
    const b = resolveConfig(
      minimal({ targets: [{ name: 'mini', temperature: 0.5, deployments: [{ baseURL: AZURE, deployment: 'gpt-4.1-mini' }] }] }),
      {},
      context,
    ).hash;
    expect(a).not.toBe(b);
  });

  test('ignores outDir, which decides where results go, not what they are', () => {
    expect(resolveConfig(minimal({ outDir: 'a' }), {}, context).hash).toBe(resolveConfig(minimal(), { outDir: 'b' }, context).hash);
  });

  test("ignores the emulator's ephemeral port and the config file location", () => {
    const config = minimal({ targets: [{ name: 'e', deployments: [{ baseURL: 'emulator', deployment: 'd' }] }] });
    const a = resolveConfig(config, {}, context).hash;
    const b = resolveConfig(
      config,
      {},
      { ...context, file: '/elsewhere/eval.config.ts', emulatorBaseURL: 'http://127.0.0.1:5999/openai/v1/' },
    ).hash;
    expect(a).toBe(b);
  });
});
