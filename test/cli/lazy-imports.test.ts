/**
 * `batchbench eval` against real endpoints must not load what only other commands need: the emulator
 * with its tokenizer (`emulator`, `load`, the offline demo) and @azure/identity (Entra auth). Together
 * they were ~110 MB of the CLI's RSS before the first request.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { preloadHook } from './preload-hook.ts';

const run = promisify(execFile);
// Records every module the process resolves and prints the list at exit.
const hook = preloadHook(
  'bb-lazy-',
  [
    "import { registerHooks } from 'node:module';",
    'const seen = [];',
    'registerHooks({ resolve(specifier, context, next) { const result = next(specifier, context); seen.push(result.url); return result; } });',
    "process.on('exit', () => process.stdout.write(JSON.stringify(seen)));",
  ].join('\n'),
);

async function modulesLoadedBy(entries: readonly string[]): Promise<string[]> {
  const urls = entries.map((entry) => pathToFileURL(join(import.meta.dirname, '../../src', entry)).href);
  const script = urls.map((url) => `await import(${JSON.stringify(url)});`).join('');
  const { stdout } = await run(process.execPath, ['--import', hook.url, '--input-type=module', '-e', script]);
  return JSON.parse(stdout) as string[];
}

describe('the eval path loads only what eval needs', () => {
  it('importing the CLI, the orchestrator and the providers loads neither the emulator, a tokenizer nor @azure/identity', async () => {
    const loaded = await modulesLoadedBy(['cli/main.ts', 'cli/commands/eval.ts', 'run/run-eval.ts', 'providers/registry.ts']);
    expect(loaded.some((url) => url.endsWith('/src/run/run-eval.ts'))).toBe(true); // the hook saw the imports
    expect(
      loaded.filter((url) => /\/src\/emulator\/server\.ts|\/src\/emulator\/tokens\.ts|gpt-tokenizer|@azure\/identity/.test(url)),
    ).toEqual([]);
  });
});
