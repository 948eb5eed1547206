#!/usr/bin/env node
// Builds the installable package: src/**/*.ts → dist/**/*.js + .d.ts (run by `prepare`, so `npm pack`,
// `npm publish` and installs from a git URL build it).
//
// Why a build at all: the repository runs its TypeScript sources directly (Node strips the types), but
// Node refuses to strip types under node_modules (ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING), so an
// installed batchbench must ship JavaScript. tsc emits it, rewriting `./x.ts` imports to `./x.js`
// (rewriteRelativeImportExtensions). Two things tsc leaves alone are fixed here: worker entry points
// named in `new URL('./x.ts', import.meta.url)`, and `.ts` specifiers in the declaration files.
// Plain JavaScript, so it runs on any Node that runs npm.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// The one line an older Node gets instead of npm's EBADENGINE warnings (silenced in .npmrc).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stdout.write(
    `batchbench: Node ${process.version} is older than 22.18; npm run eval / npm test use Node 24 from ~/.cache/batchbench-node24 (installed once, on first use)\n`,
  );
}
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
const require = createRequire(import.meta.url);
const typescript = dirname(require.resolve('typescript/package.json'));
const tscBin = join(typescript, JSON.parse(readFileSync(join(typescript, 'package.json'), 'utf8')).bin.tsc);
const built = spawnSync(process.execPath, [tscBin, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
if (built.status !== 0) {
  process.stderr.write('build: tsc failed (see above)\n');
  process.exit(built.status ?? 1);
}

const relativeTs = /(['"])(\.\.?\/[^'"]*?)\.ts\1/g;
const leftovers = [];
for (const file of walk(dist)) {
  const text = readFileSync(file, 'utf8');
  let fixed = text;
  if (file.endsWith('.d.ts')) fixed = text.replace(relativeTs, (_m, quote, path) => `${quote}${path}.js${quote}`);
  else if (file.endsWith('.js')) {
    fixed = text.replace(
      /new URL\((['"])(\.\.?\/[^'"]*?)\.ts\1, import\.meta\.url\)/g,
      (_m, quote, path) => `new URL(${quote}${path}.js${quote}, import.meta.url)`,
    );
    // Any relative .ts specifier still in code would fail only at run time, inside node_modules: stop here.
    for (const line of fixed.split('\n'))
      if (!/^\s*(\/\/|\*|\/\*)/.test(line) && /(import|from|URL)\W.*(['"])\.\.?\/[^'"]*\.ts\2/.test(line))
        leftovers.push(`${file}: ${line.trim()}`);
  }
  if (fixed !== text) writeFileSync(file, fixed);
}
if (leftovers.length > 0) {
  process.stderr.write(`build: relative .ts specifiers left in the emitted JavaScript:\n${leftovers.join('\n')}\n`);
  process.exit(1);
}

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}
