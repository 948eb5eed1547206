/**
 * The batch commands run with the heap settings of bin/v8-flags.js (why: that file and README "Memory
 * and throughput"), however the CLI is started: `batchbench` (bin/batchbench.js replaces its own
 * process with one that has them) and `npm run eval` (scripts/node.mjs passes them to the child).
 * `batchbench load`, flags the user gave and BATCHBENCH_V8_FLAGS are respected.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BATCH_GLIBC_TUNABLES, BATCH_V8_FLAGS, batchEnvFor, v8FlagsFor } from '../../bin/v8-flags.js';
import { preloadHook } from './preload-hook.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
// Prints, at exit, the Node flags in effect and the pid: a process replaced by execve runs no exit handler.
const hook = preloadHook(
  'bb-v8-flags-',
  "process.on('exit', () => process.stderr.write(`FLAGS ${JSON.stringify({ execArgv: process.execArgv, pid: process.pid, tunables: process.env.GLIBC_TUNABLES ?? null })}\\n`));\n",
);

/** The `FLAGS` lines of every process that ran the hook to its exit, in the order they exited. */
async function flagsOf(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ execArgv: string[]; tunables: string | null }[]> {
  const base = { ...process.env };
  delete base.GLIBC_TUNABLES;
  const { stderr } = await run(process.execPath, [...(env.NODE_OPTIONS ? [] : ['--import', hook.url]), ...args], {
    cwd: hook.dir,
    env: { ...base, ...env },
  });
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('FLAGS '))
    .map((line) => JSON.parse(line.slice(6)) as { execArgv: string[]; tunables: string | null });
}

describe('V8 heap flags for the batch commands', () => {
  it('chooses the flags by command and leaves flags the user set alone', () => {
    expect(v8FlagsFor(['eval', '--dataset', 'qa.csv'], [], {})).toEqual(BATCH_V8_FLAGS);
    expect(v8FlagsFor(['report', 'runs/x'], [], {})).toEqual(BATCH_V8_FLAGS);
    expect(v8FlagsFor(['load', '--profile', 'sweep'], [], {})).toEqual([]);
    expect(v8FlagsFor(['--version'], [], {})).toEqual([]);
    expect(v8FlagsFor(['eval'], ['--max-semi-space-size=64'], {})).toEqual(['--heap-growing-percent=50', '--expose-gc']);
    expect(v8FlagsFor(['eval'], [], { NODE_OPTIONS: '--heap-growing-percent=20' })).toEqual(['--max-semi-space-size=8', '--expose-gc']);
    expect(v8FlagsFor(['eval'], [], { BATCHBENCH_V8_FLAGS: '' })).toEqual([]);
    expect(v8FlagsFor(['eval'], [], { BATCHBENCH_V8_FLAGS: '--max-semi-space-size=4' })).toEqual(['--max-semi-space-size=4']);
  });

  it('chooses the malloc setting by command and leaves a GLIBC_TUNABLES the user set alone', () => {
    expect(batchEnvFor(['eval', '--dataset', 'qa.csv'], {})).toEqual({ GLIBC_TUNABLES: BATCH_GLIBC_TUNABLES });
    expect(batchEnvFor(['report', 'runs/x'], {})).toEqual({ GLIBC_TUNABLES: BATCH_GLIBC_TUNABLES });
    expect(batchEnvFor(['load', '--profile', 'sweep'], {})).toEqual({});
    expect(batchEnvFor(['--version'], {})).toEqual({});
    expect(batchEnvFor(['eval'], { GLIBC_TUNABLES: 'glibc.malloc.arena_max=4' })).toEqual({});
    expect(batchEnvFor(['eval'], { GLIBC_TUNABLES: '' })).toEqual({});
  });

  it('bin/batchbench.js replaces itself with a process that has them (one process, the flags in effect)', async () => {
    const exits = await flagsOf([join(ROOT, 'bin/batchbench.js'), 'eval', '--help']);
    expect(exits).toHaveLength(1); // the first process never reached its exit handler: it became the second
    expect(exits[0]!.execArgv).toEqual(expect.arrayContaining([...BATCH_V8_FLAGS]));
    expect(exits[0]!.tunables).toBe(BATCH_GLIBC_TUNABLES);
    // with the V8 flags already given, it still replaces itself once for the malloc setting alone
    const given = await flagsOf([...BATCH_V8_FLAGS, join(ROOT, 'bin/batchbench.js'), 'eval', '--help']);
    expect(given).toHaveLength(1);
    expect(given[0]!.tunables).toBe(BATCH_GLIBC_TUNABLES);
    const mine = await flagsOf([join(ROOT, 'bin/batchbench.js'), 'eval', '--help'], { GLIBC_TUNABLES: 'glibc.malloc.arena_max=4' });
    expect(mine[0]!.tunables).toBe('glibc.malloc.arena_max=4');
  });

  it('scripts/node.mjs starts the CLI with them', async () => {
    const exits = await flagsOf([join(ROOT, 'scripts/node.mjs'), join(ROOT, 'src/cli/main.ts'), 'eval', '--help'], {
      NODE_OPTIONS: `--import=${hook.url}`,
    });
    expect(exits).toHaveLength(2); // the CLI, then the launcher that waited for it
    expect(exits[0]!.execArgv).toEqual(expect.arrayContaining([...BATCH_V8_FLAGS]));
    expect(exits[0]!.tunables).toBe(BATCH_GLIBC_TUNABLES);
    expect(exits[1]!.execArgv).toEqual([]);
    expect(exits[1]!.tunables).toBeNull();
  });

  it('batchbench load and the user’s own settings run without them', async () => {
    const load = await flagsOf([join(ROOT, 'bin/batchbench.js'), 'load', '--help']);
    expect(load.map((exit) => exit.execArgv)).toEqual([['--import', hook.url]]);
    expect(load[0]!.tunables).toBeNull();
    const custom = await flagsOf([join(ROOT, 'bin/batchbench.js'), 'eval', '--help'], { BATCHBENCH_V8_FLAGS: '' });
    expect(custom.map((exit) => exit.execArgv)).toEqual([['--import', hook.url]]);
  });
});
