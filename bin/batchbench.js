#!/usr/bin/env node
// The `batchbench` command. Installed (under node_modules) it runs the built JavaScript in dist/,
// because Node refuses to strip TypeScript types there; in a checkout of the repository it runs the
// TypeScript sources directly, so an edit never needs a build. Plain JavaScript, so an old Node gets
// a clear message instead of a syntax error.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `error: batchbench needs Node >= 22.18 (this is ${process.version}); install Node 24, or run it through the npm scripts of a batchbench checkout, which bring their own\n`,
  );
  process.exit(2);
}
const source = new URL('../src/cli/main.ts', import.meta.url);
const installed = /[\\/]node_modules[\\/]/.test(fileURLToPath(import.meta.url));
const { runProcess } = await import(!installed && existsSync(source) ? source.href : '../dist/cli/main.js');
await runProcess();
