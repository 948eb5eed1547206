/**
 * A preload module for the CLI tests: written to a fresh temporary directory before a test file's tests
 * and removed after them. `--import` it (`url`) into a process to report from inside it, e.g. at exit.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

export interface PreloadHook {
  /** The temporary directory (also usable as a scratch directory by the tests). */
  readonly dir: string;
  /** The hook module's file URL. */
  readonly url: string;
}

/** Call at a test file's top level; the fields are set once `beforeAll` has run. */
export function preloadHook(prefix: string, source: string): PreloadHook {
  const hook = { dir: '', url: '' };
  beforeAll(async () => {
    hook.dir = await mkdtemp(join(tmpdir(), prefix));
    const path = join(hook.dir, 'hook.mjs');
    await writeFile(path, source);
    hook.url = pathToFileURL(path).href;
  });
  afterAll(async () => rm(hook.dir, { recursive: true, force: true }));
  return hook;
}
