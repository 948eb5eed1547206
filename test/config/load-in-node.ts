/**
 * Runs loadConfig in a plain Node child process. Vitest transforms dynamic imports with its own
 * TypeScript compiler (which accepts enums), so only a real Node process shows what users will see.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const loader = pathToFileURL(resolve(import.meta.dirname, '../../src/config/load-config.ts')).href;

export type NodeLoadResult = { ok: true; config: unknown; file: string } | { ok: false; name: string; message: string; issues: string[] };

export function loadConfigInNode(options: { cwd: string; file?: string }): NodeLoadResult {
  const script = `
    const { loadConfig } = await import(${JSON.stringify(loader)});
    try {
      const loaded = await loadConfig(${JSON.stringify(options)});
      process.stdout.write(JSON.stringify({ ok: true, config: loaded.config, file: loaded.file }));
    } catch (error) {
      process.stdout.write(JSON.stringify({ ok: false, name: error.name, message: error.message, issues: error.issues ?? [] }));
    }`;
  const child = spawnSync(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
  if (child.status !== 0) throw new Error(`child failed (${String(child.status)}): ${child.stderr}`);
  return JSON.parse(child.stdout) as NodeLoadResult;
}
