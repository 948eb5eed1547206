/**
 * batchbench as an installed package, the way a team uses it from its own repository: `npm pack` a copy
 * of this repository (which runs the `prepare` build), install the tarball into a scratch project
 * outside the repo, then `npx batchbench init` and `npx batchbench eval` against the embedded emulator.
 * Also checks that `import { defineConfig } from 'batchbench'` carries types. Slow (npm, tsc): one file.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REPO } from '../support/cli-harness.ts';

const TIMEOUT = 240_000;
let work: string;
let project: string;
let tarball: string;

/** This Node first on PATH, so npm and npx run the Node the tests run on (≥ 22.18). */
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
  npm_config_update_notifier: 'false',
  CI: 'true',
};
delete env.AZURE_OPENAI_ENDPOINT;
delete env.OPENAI_BASE_URL;

function run(command: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: TIMEOUT });
}

function expectSuccess(result: SpawnSyncReturns<string>): void {
  if (result.status !== 0) throw new Error(`exit ${result.status}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bb-package-'));
  // A copy, so packing (which builds dist/) never touches the working tree other tests run from.
  const copy = join(work, 'batchbench');
  for (const entry of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'src', 'bin', 'scripts', 'datasets']) {
    await cp(join(REPO, entry), join(copy, entry), { recursive: true });
  }
  await symlink(join(REPO, 'node_modules'), join(copy, 'node_modules'), 'dir');
  const packed = run('npm', ['pack', '--silent', '--pack-destination', work], copy);
  expectSuccess(packed);
  tarball = join(work, packed.stdout.trim().split('\n').at(-1) ?? '');
  project = join(work, 'my-project');
  await mkdir(project);
  await writeFile(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'my-project', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`,
  );
  // The dependencies are in the npm cache already (the repository installed them); prefer it.
  expectSuccess(run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '-D', tarball], project));
}, TIMEOUT);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('installed from the packed tarball', () => {
  test(
    'the tarball ships built JavaScript with declarations, not the TypeScript sources or tests',
    async () => {
      const listed = run('tar', ['-tzf', tarball], work);
      expectSuccess(listed);
      const files = listed.stdout.split('\n');
      expect(files).toEqual(
        expect.arrayContaining([
          'package/bin/batchbench.js',
          'package/dist/index.js',
          'package/dist/index.d.ts',
          'package/dist/cli/main.js',
          'package/datasets/qa.csv',
        ]),
      );
      expect(files.some((file) => file.startsWith('package/src/') || file.startsWith('package/test/'))).toBe(false);
    },
    TIMEOUT,
  );

  test(
    'npx batchbench init, then eval on the example dataset against the embedded emulator, exits 0',
    async () => {
      const version = run('npx', ['--no-install', 'batchbench', '--version'], project);
      expectSuccess(version);
      const manifest = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { version: string };
      expect(version.stdout.trim()).toBe(manifest.version);

      const init = run('npx', ['--no-install', 'batchbench', 'init'], project);
      expectSuccess(init);
      expect(init.stdout).toContain('npx batchbench eval --dataset datasets/example.csv');
      const config = await readFile(join(project, 'eval.config.ts'), 'utf8');
      expect(config).toContain("from 'batchbench'");
      expect((await readFile(join(project, 'datasets/example.csv'), 'utf8')).trim().split('\n')).toHaveLength(11);

      const again = run('npx', ['--no-install', 'batchbench', 'init'], project);
      expect(again.status).toBe(2);
      expect(again.stderr.trim()).toMatch(/^error: init: eval\.config\.ts and datasets[\\/]example\.csv already exist/);
      expect(await readFile(join(project, 'eval.config.ts'), 'utf8')).toBe(config);

      const evalRun = run('npx', ['--no-install', 'batchbench', 'eval', '--dataset', 'datasets/example.csv'], project);
      expectSuccess(evalRun);
      expect(evalRun.stderr).not.toMatch(/^(error|warning)|ExperimentalWarning|Error:/m);
      const runDir = /run directory: (.+)$/m.exec(evalRun.stdout)?.[1]?.trim();
      expect(runDir).toBeDefined();
      expect(runDir!.startsWith(join(project, 'reports'))).toBe(true);
      expect(await readdir(runDir!)).toEqual(expect.arrayContaining(['journal.jsonl', 'results.csv', 'report.html']));
      const results = (await readFile(join(runDir!, 'journal.jsonl'), 'utf8'))
        .split('\n')
        .filter((line) => line.includes('"kind":"result"'));
      expect(results).toHaveLength(20);
    },
    TIMEOUT,
  );

  test(
    "import { defineConfig } from 'batchbench' is typed: a valid config checks, a wrong one is rejected",
    async () => {
      const tsc = join(REPO, 'node_modules/typescript/bin/tsc');
      const options = [
        '--noEmit',
        '--strict',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--target',
        'es2023',
        '--types',
        'node',
        '--typeRoots',
        join(REPO, 'node_modules/@types'),
        '--allowImportingTsExtensions',
        '--skipLibCheck',
        'false',
      ];
      await writeFile(
        join(project, 'good.ts'),
        "import { defineConfig } from 'batchbench';\nexport default defineConfig({ targets: [{ name: 'a', deployments: [{ baseURL: 'emulator', deployment: 'a' }] }] });\n",
      );
      await writeFile(
        join(project, 'bad.ts'),
        "import { defineConfig } from 'batchbench';\nexport default defineConfig({ targets: [{ name: 'a', temperature: 'hot', deployments: [] }] });\n",
      );
      const good = run(process.execPath, [tsc, ...options, 'good.ts'], project);
      expect(good.stdout + good.stderr).toBe('');
      expect(good.status).toBe(0);
      const bad = run(process.execPath, [tsc, ...options, 'bad.ts'], project);
      expect(bad.status).not.toBe(0);
      expect(bad.stdout).toMatch(/bad\.ts\(2,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/);
      expect(existsSync(join(project, 'node_modules/batchbench/dist/index.d.ts'))).toBe(true);
    },
    TIMEOUT,
  );
});
