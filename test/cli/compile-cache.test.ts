/**
 * Both launchers (bin/batchbench.js, and scripts/node.mjs behind `npm run eval`) run the CLI with Node's
 * compile cache, so a second run never loads Node's WebAssembly type stripper (bin/batchbench.js says
 * why: ~25 MB RSS for the whole run). NODE_DISABLE_COMPILE_CACHE=1 turns it off.
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { preloadHook } from './preload-hook.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
// At exit: the compile cache directory in effect and whether the type stripper was loaded.
const hook = preloadHook(
  'bb-compile-cache-',
  "import { getCompileCacheDir } from 'node:module';\n" +
    "process.on('exit', () => process.stderr.write(`CACHE ${JSON.stringify({ dir: getCompileCacheDir() ?? null, stripper: process.moduleLoadList.some((m) => m.includes('amaro')) })}\\n`));\n",
);

interface CacheReport {
  readonly dir: string | null;
  readonly stripper: boolean;
}

/** The CLI's report: the first to exit (scripts/node.mjs, which also runs the hook, exits after the CLI it waited for). */
async function reportOf(launcher: 'bin' | 'npm', tmp: string, extraEnv: Record<string, string> = {}): Promise<CacheReport> {
  const env: Record<string, string | undefined> = { ...process.env, TMPDIR: tmp, ...extraEnv };
  delete env.NODE_COMPILE_CACHE;
  const args =
    launcher === 'bin'
      ? ['--import', hook.url, join(ROOT, 'bin/batchbench.js'), 'eval', '--help']
      : [join(ROOT, 'scripts/node.mjs'), join(ROOT, 'src/cli/main.ts'), 'eval', '--help'];
  if (launcher === 'npm') env.NODE_OPTIONS = `--import=${hook.url}`;
  const { stderr } = await run(process.execPath, args, { cwd: hook.dir, env });
  const reports = stderr
    .split('\n')
    .filter((line) => line.startsWith('CACHE '))
    .map((line) => JSON.parse(line.slice(6)) as CacheReport);
  return reports[0]!;
}

describe('compile cache for the CLI', () => {
  for (const launcher of ['bin', 'npm'] as const) {
    it(`${launcher === 'bin' ? 'bin/batchbench.js' : 'scripts/node.mjs'}: the second run skips the type stripper`, async () => {
      const tmp = await mkdtemp(join(hook.dir, `${launcher}-`));
      const first = await reportOf(launcher, tmp);
      expect(first.dir).toContain(join(tmp, 'node-compile-cache'));
      expect(first.stripper).toBe(true);
      const second = await reportOf(launcher, tmp);
      expect(second).toEqual({ dir: first.dir, stripper: false });
    });
  }

  it('NODE_DISABLE_COMPILE_CACHE=1 turns it off', async () => {
    const tmp = await mkdtemp(join(hook.dir, 'off-'));
    for (let i = 0; i < 2; i++)
      expect(await reportOf('bin', tmp, { NODE_DISABLE_COMPILE_CACHE: '1' })).toEqual({ dir: null, stripper: true });
  });
});
