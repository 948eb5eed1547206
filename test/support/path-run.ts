/**
 * For the path matrix (test/cli/every-path.test.ts): runs the real CLI in-process with a chosen TTY
 * flag and environment, checks that `batchbench report DIR` re-renders every output byte for byte,
 * and folds journal.jsonl independently of src/report (plain sums written here, on purpose).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { runCli } from '../../src/cli/main.ts';
import type { CliIo, Interrupt } from '../../src/cli/io.ts';
import { REPO, noInterrupt } from './cli-harness.ts';

export interface PathRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly runDir: string | undefined;
}

export async function runPath(
  cwd: string,
  argv: readonly string[],
  options: { tty?: boolean; env?: Record<string, string>; interrupt?: () => Interrupt } = {},
): Promise<PathRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    cwd,
    env: { PATH: process.env.PATH, ...options.env },
    isTTY: options.tty ?? false,
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
  const named = /run directory: (.+)$/m.exec(stdout) ?? /run directory: (.+)$/m.exec(stderr);
  return { code, stdout, stderr, runDir: named?.[1] };
}

export const OUTPUT_FILES = ['results.csv', 'report.json', 'summary.md', 'junit.xml', 'report.html'] as const;

/** Every output file of the run, then re-rendered by `batchbench report DIR`: the names whose bytes differ. */
export async function rerenderDiffers(cwd: string, runDir: string): Promise<string[]> {
  const before = await Promise.all(OUTPUT_FILES.map((name) => readFile(join(runDir, name))));
  const again = await runPath(cwd, ['report', runDir]);
  if (again.code !== 0) return [`report exited ${again.code}: ${again.stderr}`];
  const after = await Promise.all(OUTPUT_FILES.map((name) => readFile(join(runDir, name))));
  return OUTPUT_FILES.filter((_, i) => !after[i]!.equals(before[i]!));
}

export interface IndependentTarget {
  results: number;
  failed: number;
  prompt: number;
  completion: number;
  reasoning: number;
  cached: number;
  cost: number;
  attempts: number;
  /** Cells with a verdict (an ok answer, not unscored, some scorer ok) and those that passed. */
  scored: number;
  passed: number;
  /** passed / every cell (failed and unscored count as not passed); null without a scored cell. */
  rateOverAllCells: number | null;
}

interface Line {
  kind: string;
  key?: string;
  target?: string;
  role?: string;
  status?: string;
  cached?: boolean;
  cost?: number | null;
  passed?: boolean;
  scoring?: string;
  scores?: Array<{ status: string }>;
  usage?: { promptTokens: number; completionTokens: number; reasoningTokens: number; cachedTokens: number };
}

/** Per-target figures summed straight from journal.jsonl: one final record per key (the last). */
export async function foldJournal(
  runDir: string,
): Promise<{ targets: Map<string, IndependentTarget>; attempts: number; duplicateKeys: number }> {
  const lines = (await readFile(join(runDir, 'journal.jsonl'), 'utf8'))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Line);
  const targets = new Map<string, IndependentTarget>();
  const of = (name: string) => {
    let t = targets.get(name);
    if (!t) {
      t = {
        results: 0,
        failed: 0,
        prompt: 0,
        completion: 0,
        reasoning: 0,
        cached: 0,
        cost: 0,
        attempts: 0,
        scored: 0,
        passed: 0,
        rateOverAllCells: null,
      };
      targets.set(name, t);
    }
    return t;
  };
  const seen = new Set<string>();
  let duplicateKeys = 0;
  let attempts = 0;
  for (const line of lines) {
    if (line.kind === 'attempt' && line.role !== 'judge') {
      of(line.target!).attempts++;
      attempts++;
    }
    if (line.kind !== 'result') continue;
    if (seen.has(line.key!)) duplicateKeys++;
    seen.add(line.key!);
    const t = of(line.target!);
    t.results++;
    if (line.status === 'failed') t.failed++;
    if (line.status === 'ok' && line.scoring !== 'unscored' && (line.scores ?? []).some((s) => s.status === 'ok')) {
      t.scored++;
      if (line.passed) t.passed++;
    }
    if (line.status === 'ok' && !line.cached) {
      t.prompt += line.usage!.promptTokens;
      t.completion += line.usage!.completionTokens;
      t.reasoning += line.usage!.reasoningTokens;
      t.cached += line.usage!.cachedTokens;
      t.cost += line.cost ?? 0;
    }
  }
  for (const t of targets.values()) t.rateOverAllCells = t.scored ? t.passed / t.results : null;
  return { targets, attempts, duplicateKeys };
}

/** results.csv's `pass` column per target: `true`, `false` and empty (no verdict: failed or unscored). */
export async function csvPassColumn(runDir: string): Promise<Map<string, { true: number; false: number; empty: number }>> {
  const rows = parse(await readFile(join(runDir, 'results.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>;
  const out = new Map<string, { true: number; false: number; empty: number }>();
  for (const row of rows) {
    const t = out.get(row['target']!) ?? { true: 0, false: 0, empty: 0 };
    out.set(row['target']!, t);
    const pass = row['pass'];
    if (pass === 'true') t.true++;
    else if (pass === 'false') t.false++;
    else if (pass === '') t.empty++;
    else throw new Error(`results.csv: pass ${JSON.stringify(pass)}`);
  }
  return out;
}

/** The same figures as report.json states them. */
export async function reportFigures(runDir: string): Promise<{ targets: Map<string, IndependentTarget>; attempts: number | null }> {
  const report = JSON.parse(await readFile(join(runDir, 'report.json'), 'utf8')) as {
    targets: Array<{
      target: string;
      results: number;
      failed: number;
      tokens: { total: { prompt: number; completion: number; reasoning: number; cached: number } };
      cost: { total: number } | null;
      retries: { attempts: number };
      accuracy: { passed: number; scored: number; cells: number; rateOverAllCells: number } | null;
    }>;
    scheduler: { attempts: number } | null;
  };
  const targets = new Map<string, IndependentTarget>();
  for (const t of report.targets) {
    targets.set(t.target, {
      results: t.results,
      failed: t.failed,
      ...t.tokens.total,
      cost: t.cost?.total ?? 0,
      attempts: t.retries.attempts,
      scored: t.accuracy?.scored ?? 0,
      passed: t.accuracy?.passed ?? 0,
      // over every cell: its denominator must be the target's results
      rateOverAllCells: t.accuracy ? (t.accuracy.cells === t.results ? t.accuracy.rateOverAllCells : Number.NaN) : null,
    });
  }
  return { targets, attempts: report.scheduler?.attempts ?? null };
}
