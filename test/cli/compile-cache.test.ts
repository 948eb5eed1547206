/**
 * Both launchers (bin/batchbench.js, and scripts/node.mjs behind `npm run eval`) run the CLI with Node's
 * compile cache, so a second run never loads Node's WebAssembly type stripper (bin/batchbench.js says
 * why: ~25 MB RSS for the whole run). NODE_DISABLE_COMPILE_CACHE=1 turns it off.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
let dir: string;
let hook: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bb-compile-cache-'));
  hook = join(dir, 'report-cache.mjs');
  // At exit: the compile cache directory in effect and whether the type stripper was loaded.
  await writeFile(
    hook,
    "import { getCompileCacheDir } from 'node:module';\n" +
      "process.on('exit', () => process.stderr.write(`CACHE ${JSON.stringify({ dir: getCompileCacheDir() ?? null, stripper: process.moduleLoadList.some((m) => m.includes('amaro')) })}\\n`));\n",
  );
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

interface CacheReport {
  readonly dir: string | null;
  readonly stripper: boolean;
}

/** The CLI's report (the last process to exit that ran the hook and is not the launcher). */
async function reportOf(launcher: 'bin' | 'npm', tmp: string, extraEnv: Record<string, string> = {}): Promise<CacheReport> {
  const env: Record<string, string | undefined> = { ...process.env, TMPDIR: tmp, ...extraEnv };
  delete env.NODE_COMPILE_CACHE;
  const args =
    launcher === 'bin'
      ? ['--import', pathToFileURL(hook).href, join(ROOT, 'bin/batchbench.js'), 'eval', '--help']
      : [join(ROOT, 'scripts/node.mjs'), join(ROOT, 'src/cli/main.ts'), 'eval', '--help'];
  if (launcher === 'npm') env.NODE_OPTIONS = `--import=${pathToFileURL(hook).href}`;
  const { stderr } = await run(process.execPath, args, { cwd: dir, env });
  const reports = stderr
    .split('\n')
    .filter((line) => line.startsWith('CACHE '))
    .map((line) => JSON.parse(line.slice(6)) as CacheReport);
  // scripts/node.mjs exits after the CLI it waited for; its own report is the last one.
  return reports[0]!;
}

describe('compile cache for the CLI', () => {
  for (const launcher of ['bin', 'npm'] as const) {
    it(`${launcher === 'bin' ? 'bin/batchbench.js' : 'scripts/node.mjs'}: the second run skips the type stripper`, async () => {
      const tmp = await mkdtemp(join(dir, `${launcher}-`));
      const first = await reportOf(launcher, tmp);
      expect(first.dir).toContain(join(tmp, 'node-compile-cache'));
      expect(first.stripper).toBe(true);
      const second = await reportOf(launcher, tmp);
      expect(second).toEqual({ dir: first.dir, stripper: false });
    });
  }

  it('NODE_DISABLE_COMPILE_CACHE=1 turns it off', async () => {
    const tmp = await mkdtemp(join(dir, 'off-'));
    for (let i = 0; i < 2; i++)
      expect(await reportOf('bin', tmp, { NODE_DISABLE_COMPILE_CACHE: '1' })).toEqual({ dir: null, stripper: true });
  });
});
