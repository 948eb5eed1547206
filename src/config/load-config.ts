/**
 * Locates and imports the config file. Node ≥ 22.18 strips TypeScript types natively, so
 * `eval.config.ts` is imported as is; only erasable syntax works, and the errors that follow from
 * that (enum, namespace, parameter properties) become one-line ConfigErrors naming the fix.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, toError } from '../errors.ts';
import { configDefaults } from './defaults.ts';
import { syntaxErrorLocation } from './syntax-error-location.ts';

const SUPPORTED_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

export interface LoadedConfig {
  /** The default export (after calling it, if it is a function); not yet validated. */
  readonly config: unknown;
  /** Absolute path of the file that was loaded. */
  readonly file: string;
}

/**
 * Imports `file` (relative to `cwd`), or the first `eval.config.{ts,mts,js,mjs}` in `cwd`.
 * A default export that is a function (sync or async) is called and its result used.
 * @throws ConfigError for a missing file, an unsupported extension, a syntax error (with line:column) or a throwing config
 */
export async function loadConfig(options: { cwd: string; file?: string }): Promise<LoadedConfig> {
  const file = locateConfig(options.cwd, options.file);
  const module = await importConfig(file);
  if (!('default' in module) || module['default'] === undefined) {
    throw new ConfigError(['has no default export; write export default defineConfig({ … })'], { file });
  }
  const exported = module['default'];
  if (typeof exported !== 'function') return { config: exported, file };
  try {
    return { config: await (exported as () => unknown)(), file };
  } catch (error) {
    const thrownAt = frameIn(toError(error), file);
    if (thrownAt !== undefined)
      throw new ConfigError([`${file}:${thrownAt}: the exported config function threw: ${toError(error).message}`], { cause: error });
    throw new ConfigError([`the exported config function threw: ${toError(error).message}`], { file, cause: error });
  }
}

// --- internal ---

function locateConfig(cwd: string, given: string | undefined): string {
  if (given !== undefined) {
    const file = resolve(cwd, given);
    if (!existsSync(file) || !statSync(file).isFile()) throw new ConfigError([`config file not found: ${file}`]);
    if (!SUPPORTED_EXTENSIONS.includes(extname(file))) {
      throw new ConfigError([
        `unsupported config file extension "${extname(file)}" (${file}); use one of ${SUPPORTED_EXTENSIONS.join(', ')}`,
      ]);
    }
    return file;
  }
  const found = configDefaults.config.map((name) => resolve(cwd, name)).find((file) => existsSync(file));
  if (found === undefined) {
    throw new ConfigError([
      `no config file found in ${resolve(cwd)} (looked for ${configDefaults.config.join(', ')}); create eval.config.ts or pass --config <file>`,
    ]);
  }
  return found;
}

async function importConfig(file: string): Promise<Record<string, unknown>> {
  try {
    // The file's modification time in the URL (`?t=`, which Vite-based test runners also understand): a config edited while the process lives (a watch
    // loop, tests running several configs) is imported afresh instead of from the module cache.
    const url = new URL(pathToFileURL(file).href);
    url.searchParams.set('t', String(Math.floor(statSync(file).mtimeMs)));
    return (await import(url.href)) as Record<string, unknown>;
  } catch (thrown) {
    throw importFailure(toError(thrown), file);
  }
}

function importFailure(error: Error, file: string): ConfigError {
  const code = (error as { code?: unknown }).code;
  const isSyntax = error instanceof SyntaxError || code === 'ERR_INVALID_TYPESCRIPT_SYNTAX' || code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX';
  if (!isSyntax) {
    const hint =
      code === 'ERR_UNKNOWN_FILE_EXTENSION' ? ' (TypeScript configs need Node ≥ 22.18; upgrade Node or use eval.config.mjs)' : '';
    const thrownAt = frameIn(error, file);
    if (thrownAt !== undefined)
      return new ConfigError([`${file}:${thrownAt}: the config threw while loading: ${error.message}`], { cause: error });
    return new ConfigError([`could not be loaded: ${error.message}${hint}`], { file, cause: error });
  }
  if (/Cannot use import statement outside a module|Unexpected token 'export'/.test(error.message)) {
    return new ConfigError(
      [
        `is loaded as CommonJS, so its import/export fails: add "type": "module" to package.json, or rename it to ${file.replace(/\.(ts|js)$/, '.m$1')}`,
      ],
      { file, cause: error },
    );
  }
  const location = syntaxErrorLocation(error, file);
  const where = location === undefined ? file : `${file}:${location.line}${location.column === undefined ? '' : `:${location.column}`}`;
  const fix =
    code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX'
      ? '; Node runs config files by stripping types, so only erasable TypeScript works: replace enums with `as const` objects or string unions, namespaces with modules, and parameter properties with explicit fields'
      : '; fix the syntax (Node strips types only: no enums, namespaces or angle-bracket casts)';
  return new ConfigError([`${where}: ${error.message.replace(/\.$/, '')}${fix}`], { cause: error });
}

/**
 * `line:column` of the innermost stack frame inside the config file (Node strips types by blanking
 * them, so positions match the source), or undefined when the error was raised elsewhere.
 */
function frameIn(error: Error, file: string): string | undefined {
  // Frames name the module by URL (`file:///…`), or by path when a test runner's loader imported it.
  const names = [pathToFileURL(file).href, file];
  for (const line of (error.stack ?? '').split('\n').slice(1)) {
    for (const name of names) {
      const at = line.indexOf(name);
      if (at < 0) continue;
      const position = /^(?:\?[^:\s)]*)?:(\d+):(\d+)/.exec(line.slice(at + name.length));
      if (position) return `${position[1]}:${position[2]}`;
    }
  }
  return undefined;
}
