/**
 * `batchbench init`: what it writes, the config name it picks for the project's module type, and that
 * it never overwrites (any existing config or example dataset stops it before it writes anything).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tempProject } from '../support/cli-harness.ts';

describe('batchbench init', () => {
  test('an ESM project gets eval.config.ts and a 10-row example dataset, and the next command', async () => {
    const p = await tempProject('bb-init-');
    await p.write('package.json', '{ "name": "x", "type": "module" }');
    const result = await p.run(['init']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('wrote eval.config.ts and datasets/example.csv\nnext: npx batchbench eval --dataset datasets/example.csv\n');
    const config = await readFile(join(p.dir, 'eval.config.ts'), 'utf8');
    expect(config).toContain("import { defineConfig, type DeploymentAuthSpec, type DeploymentSpec } from 'batchbench';");
    expect(config).toMatch(/apiKeyEnv/);
    expect(config).toMatch(/entra: \{\}/);
    expect(config).toMatch(/emulator: \{/);
    const rows = (await readFile(join(p.dir, 'datasets/example.csv'), 'utf8')).trim().split('\n');
    expect(rows[0]).toBe('id,question,answer');
    expect(rows).toHaveLength(11);
  });

  test('a CommonJS project (npm init -y) gets eval.config.mts, and is told why', async () => {
    const p = await tempProject('bb-init-');
    await p.write('package.json', '{ "name": "x", "type": "commonjs" }');
    const result = await p.run(['init']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^wrote eval\.config\.mts \(\.mts because package\.json does not say "type": "module"/);
    expect(existsSync(join(p.dir, 'eval.config.mts'))).toBe(true);
    expect(existsSync(join(p.dir, 'eval.config.ts'))).toBe(false);
  });

  test('never overwrites: an existing config (any of the names) or example dataset stops it, naming the file', async () => {
    const p = await tempProject('bb-init-');
    await p.write('eval.config.mjs', 'export default {};\n');
    const result = await p.run(['init']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error: init: eval.config.mjs already exists; init never overwrites a file (move it away, or edit it instead)\n',
    );
    expect(existsSync(join(p.dir, 'datasets'))).toBe(false);

    const q = await tempProject('bb-init-');
    await q.write('datasets/example.csv', 'mine\n');
    expect((await q.run(['init'])).code).toBe(2);
    expect(await readFile(join(q.dir, 'datasets/example.csv'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(q.dir, 'eval.config.ts'))).toBe(false);
  });

  test('--version prints the package version', async () => {
    const p = await tempProject('bb-init-');
    const manifest = JSON.parse(await readFile(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
    expect(await p.run(['--version'])).toMatchObject({ code: 0, stdout: `${manifest.version}\n` });
  });
});
