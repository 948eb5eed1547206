import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { resolveConfig } from '../../src/config/resolve-config.ts';
import { ConfigError } from '../../src/errors.ts';
import { loadConfigInNode } from './load-in-node.ts';

const fixtures = resolve(import.meta.dirname, '../fixtures/configs');
const temp = mkdtempSync(join(tmpdir(), 'batchbench-load-config-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

async function loadError(options: { cwd: string; file?: string }): Promise<ConfigError> {
  const error: unknown = await loadConfig(options).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(error)}`);
  return error;
}

describe('loadConfig', () => {
  test('imports a TypeScript config in plain Node (type stripping)', () => {
    const result = loadConfigInNode({ cwd: fixtures, file: 'basic.config.ts' });
    expect(result).toMatchObject({ ok: true, config: { targets: [{ name: 'mini' }, { name: 'nano' }] } });
  });

  test('imports a TypeScript config', async () => {
    const { config, file } = await loadConfig({ cwd: fixtures, file: 'basic.config.ts' });
    expect(file).toBe(join(fixtures, 'basic.config.ts'));
    expect(config).toMatchObject({ prompt: 'Answer briefly: {{question}}', targets: [{ name: 'mini' }, { name: 'nano' }] });
  });

  test('a loaded fixture resolves end to end', async () => {
    const { config, file } = await loadConfig({ cwd: fixtures, file: 'basic.config.ts' });
    const resolved = resolveConfig(
      config,
      {},
      { file, env: { AZURE_OPENAI_API_KEY: 'x', BATCHBENCH_EMULATOR_KEY: 'y' }, emulatorBaseURL: 'http://127.0.0.1:1/openai/v1/' },
    );
    expect(resolved.targets.map((target) => target.deployments[0]?.baseURL)).toEqual([
      'https://contoso.openai.azure.com/openai/v1/',
      'http://127.0.0.1:1/openai/v1/',
    ]);
  });

  test('calls a default export that is an async function', async () => {
    const { config } = await loadConfig({ cwd: fixtures, file: 'function.config.ts' });
    expect(config).toMatchObject({ targets: [{ name: 'computed' }] });
  });

  test('finds eval.config.ts in the working directory', async () => {
    const dir = mkdtempSync(join(temp, 'auto-'));
    writeFileSync(join(dir, 'eval.config.ts'), 'const n: number = 1;\nexport default { repeats: n };\n');
    const { config, file } = await loadConfig({ cwd: dir });
    expect(config).toEqual({ repeats: 1 });
    expect(file).toBe(join(dir, 'eval.config.ts'));
  });

  test('a missing config names where it looked', async () => {
    const dir = mkdtempSync(join(temp, 'empty-'));
    const error = await loadError({ cwd: dir });
    expect(error.message).toBe(
      `no config file found in ${dir} (looked for eval.config.ts, eval.config.mts, eval.config.js, eval.config.mjs); create eval.config.ts or pass --config <file>`,
    );
  });

  test('a missing explicit file names its path', async () => {
    const error = await loadError({ cwd: fixtures, file: 'nope.config.ts' });
    expect(error.message).toBe(`config file not found: ${join(fixtures, 'nope.config.ts')}`);
  });

  // Syntax checks run in a real Node process: vitest's own transform would accept enums and casts.
  test('an enum names the file, line:column and the fix', () => {
    const result = loadConfigInNode({ cwd: fixtures, file: 'enum.config.ts' });
    if (result.ok) throw new Error('expected a failure');
    expect(result.name).toBe('ConfigError');
    expect(result.issues).toHaveLength(1);
    expect(result.message).toMatch(
      new RegExp(
        `^${join(fixtures, 'enum.config.ts')}:4:1: TypeScript enum is not supported in strip-only mode; .*replace enums with \`as const\` objects`,
      ),
    );
  });

  test('a TypeScript syntax error names line:column', () => {
    const file = join(temp, 'syntax.config.ts');
    writeFileSync(file, 'const x = 1;\nexport default { x: , };\n');
    const result = loadConfigInNode({ cwd: temp, file });
    expect(result.ok ? '' : result.message).toMatch(new RegExp(`^${file}:2:21: Expression expected; fix the syntax`));
  });

  test('an angle-bracket cast names line:column and the `as` fix', () => {
    const file = join(temp, 'number-cast.config.ts');
    writeFileSync(file, 'export default {\n  repeats: <number>2,\n};\n');
    const result = loadConfigInNode({ cwd: temp, file });
    expect(result.ok ? '' : result.message).toMatch(new RegExp(`^${file}:2:12: The angle-bracket syntax .*use the 'as' syntax`));
  });

  test('a JavaScript syntax error left after stripping still names line:column', () => {
    const file = join(temp, 'cast.config.ts');
    writeFileSync(file, 'export default {\n  repeats: <const>2,\n};\n');
    const result = loadConfigInNode({ cwd: temp, file });
    expect(result.ok ? '' : result.message).toMatch(new RegExp(`^${file}:2:12: Unexpected token '<'`));
  });

  test('a module without a default export says what to write', async () => {
    const error = await loadError({ cwd: fixtures, file: 'no-default.config.mjs' });
    expect(error.message).toBe(
      `${join(fixtures, 'no-default.config.mjs')}: has no default export; write export default defineConfig({ … })`,
    );
  });

  test('a config function that throws is reported with its message', async () => {
    const error = await loadError({ cwd: fixtures, file: 'throws.config.ts' });
    expect(error.message).toContain('the exported config function threw: DATASET_ROOT is not set');
  });

  test('an unsupported extension is refused', async () => {
    const file = join(temp, 'eval.config.json');
    writeFileSync(file, '{}');
    const error = await loadError({ cwd: temp, file });
    expect(error.message).toMatch(/unsupported config file extension "\.json"/);
  });

  test('a shape-invalid fixture loads, then fails resolution with every issue', async () => {
    const { config, file } = await loadConfig({ cwd: fixtures, file: 'invalid-values.config.ts' });
    let issues: readonly string[] = [];
    try {
      resolveConfig(config, {}, { file, env: { AZURE_OPENAI_API_KEY: 'x' } });
    } catch (error) {
      if (error instanceof ConfigError) issues = error.issues;
    }
    expect(issues).toEqual([
      'targets[0].temperature: expected a number between 0 and 2, got 7 (number)',
      'targets[0].deployments[0].baseURL: Azure v1 endpoints end in /openai/v1/ (did you mean https://x.openai.azure.com/openai/v1/?)',
      'targets[1].deployments[0].auth.entra.scope: expected a URL, got "foo"',
      'targets[1].deployments[0].baseURL: "emulator" needs the embedded emulator, which is not running: add an `emulator: {…}` block to the config or pass --emulator',
      'repeats: expected an integer ≥ 1, got 0 (number)',
      'targets[1].name: duplicate target name "a" (first used by targets[0])',
    ]);
  });
});
