/**
 * Finds and reads a baseline given as a NAME (`<baselinesDir>/NAME.json`), a path to a baseline file,
 * a run directory or its journal.jsonl (built on the fly), and saves baselines atomically. Every
 * problem is one UsageError line that says what was looked for and where.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, relative, resolve } from 'node:path';
import { UsageError } from '../../errors.ts';
import type { JournalRecord } from '../../types.ts';
import { writeFileAtomic } from '../output-files.ts';
import { parseBaseline, stringifyBaseline } from './baseline-json.ts';
import type { Baseline } from './baseline-types.ts';
import { buildBaseline } from './build-baseline.ts';

/** Where named baselines live, relative to the working directory. */
export const DEFAULT_BASELINES_DIR = join('reports', 'baselines');
export const JOURNAL_FILE = 'journal.jsonl';

export interface BaselineLocation {
  /** Directory against which relative refs resolve. */
  readonly cwd: string;
  /** Folder of named baselines (relative to `cwd` or absolute). @default 'reports/baselines' */
  readonly baselinesDir?: string;
}

export interface LoadBaselineOptions extends BaselineLocation {
  /** Reads a journal file as records (the sink's `readJournal`); needed for run directories. */
  readonly readJournal?: (path: string) => AsyncIterable<JournalRecord>;
  /** Prefix of error messages, e.g. `--baseline`. */
  readonly flag?: string;
}

/**
 * @param ref NAME, path to a baseline JSON, a run directory, or a journal.jsonl
 * @throws UsageError (one line) when nothing usable is found or the file is not a baseline
 */
export async function loadBaseline(ref: string, options: LoadBaselineOptions): Promise<Baseline> {
  const fail = (reason: string) => new UsageError(`${options.flag ? `${options.flag} ` : ''}${ref}: ${reason}`);
  if (ref.trim() === '') throw fail('expected a baseline name, a baseline file or a run directory');
  const dir = resolve(options.cwd, options.baselinesDir ?? DEFAULT_BASELINES_DIR);
  const named = isBaselineName(ref) ? join(dir, `${ref}.json`) : null;
  if (named && (await kind(named)) === 'file') return readBaselineFile(named, fail);
  const path = resolve(options.cwd, ref);
  const found = await kind(path);
  if (found === 'dir') return fromJournal(join(path, JOURNAL_FILE), options, fail);
  if (found === 'file') return extname(path) === '.jsonl' ? fromJournal(path, options, fail) : readBaselineFile(path, fail);
  if (named) {
    const known = await knownBaselines(dir);
    throw fail(
      `no baseline named "${ref}" (looked in ${display(options.cwd, named)}); ${known.length ? `known: ${known.join(', ')}` : `no baselines saved yet (save one with --save-baseline ${ref})`}`,
    );
  }
  throw fail(`no such file or directory (${display(options.cwd, path)})`);
}

/**
 * Where `--save-baseline NAME|path.json` writes: a NAME goes to `<baselinesDir>/NAME.json`.
 * @throws UsageError for anything that is neither a plain name nor a `.json` path
 */
export function baselineSavePath(ref: string, location: BaselineLocation): string {
  if (isBaselineName(ref)) return resolve(location.cwd, location.baselinesDir ?? DEFAULT_BASELINES_DIR, `${ref}.json`);
  if (extname(ref) === '.json') return resolve(location.cwd, ref);
  throw new UsageError(`--save-baseline ${ref}: expected a name (letters, digits, ".", "_", "-") or a path ending in .json`);
}

/** Writes the baseline atomically (temp file + rename) and returns the path. */
export async function saveBaseline(baseline: Baseline, path: string): Promise<string> {
  await writeFileAtomic(path, stringifyBaseline(baseline));
  return path;
}

/** Names of the baselines saved in `dir`, sorted; empty when the folder does not exist. */
export async function knownBaselines(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir))
      .filter((f) => f.endsWith('.json'))
      .map((f) => basename(f, '.json'))
      .sort();
  } catch {
    return [];
  }
}

// --- internal ---

/** A bare name: no separators, no `.json`, not `.`/`..`. */
function isBaselineName(ref: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(ref) && !ref.endsWith('.json') && !ref.endsWith('.jsonl');
}

async function kind(path: string): Promise<'file' | 'dir' | null> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : null;
  } catch {
    return null;
  }
}

async function readBaselineFile(path: string, fail: (reason: string) => UsageError): Promise<Baseline> {
  const text = await readFile(path, 'utf8');
  try {
    return parseBaseline(text, path);
  } catch (error) {
    const hint = basename(path) === 'report.json' ? ' (a report.json holds no per-item outcomes: pass its run directory instead)' : '';
    throw fail(`${(error as Error).message}${hint}`);
  }
}

async function fromJournal(path: string, options: LoadBaselineOptions, fail: (reason: string) => UsageError): Promise<Baseline> {
  if ((await kind(path)) !== 'file') throw fail(`not a run directory (no ${JOURNAL_FILE} in it)`);
  if (!options.readJournal) throw fail('reading a run directory needs a journal reader');
  try {
    return await buildBaseline(options.readJournal(path));
  } catch (error) {
    throw fail(`could not read ${path}: ${(error as Error).message}`);
  }
}

function display(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}
