/**
 * Finds a dataset named on the command line or in the config: as given (relative to the working
 * directory), then in the project's `datasets/` folder, with and without a known extension.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, resolve } from 'node:path';
import { DatasetError } from '../errors.ts';

const EXTENSIONS = ['', '.csv', '.jsonl', '.tsv', '.ndjson'];

/**
 * @param name what the user wrote (`qa.csv`, `qa`, `./data/x.jsonl`)
 * @param cwd directory relative names are resolved against first
 * @param datasetsDir the project's `datasets/` folder, tried second
 * @returns the absolute path of the first existing file
 * @throws DatasetError listing every path tried
 */
export function resolveDatasetPath(name: string, cwd: string, datasetsDir?: string): string {
  const bases = isAbsolute(name) ? [name] : [resolve(cwd, name), ...(datasetsDir === undefined ? [] : [join(resolve(datasetsDir), name)])];
  const tried = bases
    .flatMap((base) => EXTENSIONS.map((extension) => base + extension))
    .filter((path, index, all) => all.indexOf(path) === index);
  const found = tried.find((path) => existsSync(path) && statSync(path).isFile());
  if (found !== undefined) return found;
  const directory = bases.find((path) => existsSync(path) && statSync(path).isDirectory());
  if (directory !== undefined) {
    const inside = readdirSync(directory)
      .filter((entry) => EXTENSIONS.slice(1).includes(extname(entry).toLowerCase()))
      .slice(0, 5);
    const hint = inside.length > 0 ? ` (it holds ${inside.join(', ')})` : '';
    throw new DatasetError(
      name,
      undefined,
      undefined,
      `is a directory${hint}; expected a dataset file (${EXTENSIONS.slice(1).join(', ')})`,
    );
  }
  throw new DatasetError(
    name,
    undefined,
    undefined,
    `dataset not found (tried ${bases.join(', ')}, also with ${EXTENSIONS.slice(1).join('/')})`,
  );
}
