/**
 * Runs the real CLI in-process against a temporary project: a config file that imports the repo's
 * `defineConfig`, a dataset, and captured stdout/stderr. The embedded emulator is started by the CLI
 * itself from the config's `emulator` block, exactly as for a user.
 */
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../../src/cli/main.ts';
import type { CliIo, Interrupt } from '../../src/cli/io.ts';

export const REPO = resolve(import.meta.dirname, '../..');

export interface TempProject {
  readonly dir: string;
  write(name: string, content: string): Promise<string>;
  run(argv: readonly string[], options?: { env?: Record<string, string>; interrupt?: () => Interrupt }): Promise<CliResult>;
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The run directory named on the last stdout line, if any. */
  readonly runDir: string | undefined;
}

export async function tempProject(prefix = 'bb-cli-'): Promise<TempProject> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return {
    dir,
    async write(name, content) {
      const path = join(dir, name);
      await mkdir(join(path, '..'), { recursive: true });
      await writeFile(path, content);
      return path;
    },
    async run(argv, options = {}) {
      let stdout = '';
      let stderr = '';
      const io: CliIo = {
        cwd: dir,
        env: { PATH: process.env.PATH, ...options.env },
        isTTY: false,
        datasetsDir: join(REPO, 'datasets'),
        stdout: (text) => {
          stdout += text;
        },
        stderr: (text) => {
          stderr += text;
        },
        interrupt: options.interrupt ?? noInterrupt,
      };
      const code = await runCli(argv, io);
      const runDir = /run directory: (.+)\n?$/.exec(stdout.trimEnd())?.[1];
      return { code, stdout, stderr, runDir };
    },
  };
}

export function noInterrupt(): Interrupt {
  const never = new AbortController();
  return { signal: never.signal, hardSignal: new AbortController().signal, dispose: () => undefined };
}

/** A config module source using the repo's public API. */
export function configSource(body: string): string {
  return `import { defineConfig } from ${JSON.stringify(join(REPO, 'src/index.ts'))};\nexport default defineConfig(${body});\n`;
}

/** A small factual CSV whose answers the emulator learns. */
export function qaCsv(rows: number): string {
  const lines = ['id,question,answer'];
  for (let i = 1; i <= rows; i++) lines.push(`r${String(i).padStart(3, '0')},What is ${i} plus ${i}?,${2 * i}`);
  return `${lines.join('\n')}\n`;
}
