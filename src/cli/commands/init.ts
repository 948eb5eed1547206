/**
 * `batchbench init`: writes a starter config and `datasets/example.csv` into the working directory and
 * prints the next command. It never overwrites: when either file exists it writes nothing and says which.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { configDefaults } from '../../config/defaults.ts';
import { UsageError } from '../../errors.ts';
import { EXAMPLE_DATASET, STARTER_CONFIG } from '../init-templates.ts';
import { EXIT, type CliIo } from '../io.ts';

export async function initCommand(io: CliIo): Promise<number> {
  const configName = configFileName(io.cwd);
  const files = [
    { path: join(io.cwd, configName.name), text: STARTER_CONFIG },
    { path: join(io.cwd, 'datasets', 'example.csv'), text: EXAMPLE_DATASET },
  ];
  // Any existing config counts: a second one next to it would be ignored (the first found wins).
  const candidates = [...configDefaults.config.map((name) => join(io.cwd, name)), join(io.cwd, 'datasets', 'example.csv')];
  const existing = candidates.filter((path) => existsSync(path)).map((path) => relative(io.cwd, path));
  if (existing.length > 0) {
    throw new UsageError(
      `init: ${existing.join(' and ')} already ${existing.length > 1 ? 'exist' : 'exists'}; init never overwrites a file (move it away, or edit it instead)`,
    );
  }
  for (const file of files) {
    await mkdir(dirname(file.path), { recursive: true });
    // 'wx': fail rather than overwrite, should the file appear between the check and the write.
    await writeFile(file.path, file.text, { flag: 'wx' });
  }
  io.stdout(`wrote ${configName.name}${configName.why ? ` (${configName.why})` : ''} and datasets/example.csv\n`);
  io.stdout('next: npx batchbench eval --dataset datasets/example.csv\n');
  return EXIT.ok;
}

// --- internal ---

/**
 * `eval.config.ts`, unless the project's package.json declares CommonJS (what `npm init -y` writes):
 * Node would then load a .ts file as CommonJS and fail on its `import`, so the config becomes `.mts`.
 */
function configFileName(cwd: string): { name: string; why?: string } {
  const manifest = join(cwd, 'package.json');
  if (!existsSync(manifest)) return { name: 'eval.config.ts' };
  let type: unknown;
  try {
    type = (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type;
  } catch {
    return { name: 'eval.config.ts' };
  }
  if (type === 'module') return { name: 'eval.config.ts' };
  return {
    name: 'eval.config.mts',
    why: `.mts because package.json does not say "type": "module", so Node would read a .ts config as CommonJS`,
  };
}
