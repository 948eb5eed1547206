#!/usr/bin/env node
// The `batchbench` command. Installed (under node_modules) it runs the built JavaScript in dist/,
// because Node refuses to strip TypeScript types there; in a checkout of the repository it runs the
// TypeScript sources directly, so an edit never needs a build. Plain JavaScript, so an old Node gets
// a clear message instead of a syntax error.
import { existsSync } from 'node:fs';
import { enableCompileCache } from 'node:module';
import { fileURLToPath } from 'node:url';
import { batchEnvFor, v8FlagsFor } from './v8-flags.js';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `error: batchbench needs Node >= 22.18 (this is ${process.version}); install Node 24, or run it through the npm scripts of a batchbench checkout, which bring their own\n`,
  );
  process.exit(2);
}
// Batch commands run with a tighter V8 heap and malloc setting (v8-flags.js says why). Neither can be set
// once the process runs, so it replaces itself with one that has them (same pid and stdio; POSIX only).
// The new process finds both in effect and does not replace itself again.
const heapFlags = v8FlagsFor(process.argv.slice(2), process.execArgv, process.env);
const batchEnv = batchEnvFor(process.argv.slice(2), process.env);
if ((heapFlags.length > 0 || Object.keys(batchEnv).length > 0) && typeof process.execve === 'function') {
  const script = fileURLToPath(import.meta.url);
  const argv = [process.execPath, ...process.execArgv, ...heapFlags, script, ...process.argv.slice(2)];
  process.execve(process.execPath, argv, { ...process.env, ...batchEnv });
}
// Node's compile cache keeps the type-stripped output of the TypeScript sources and V8's code cache
// on disk (os.tmpdir()/node-compile-cache, keyed by file content). A run that hits it never loads
// Node's WebAssembly type stripper, which otherwise stays resident for the whole run (~25 MB RSS), and
// starts ~0.2 s sooner. NODE_COMPILE_CACHE=dir moves it; NODE_DISABLE_COMPILE_CACHE=1 turns it off.
enableCompileCache();
const source = new URL('../src/cli/main.ts', import.meta.url);
const installed = /[\\/]node_modules[\\/]/.test(fileURLToPath(import.meta.url));
const { runProcess } = await import(!installed && existsSync(source) ? source.href : '../dist/cli/main.js');
await runProcess();
