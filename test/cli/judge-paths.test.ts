/**
 * LLM-judge paths end to end, through the real CLI and the emulator's simulated grader: judge calls are
 * journaled and reported apart from the candidate; --cache reproduces the scores without a judge
 * request; a judge that errors leaves cells unscored, not failed; Ctrl-C during judging writes no
 * final record for the interrupted cells and --resume grades them to the same accuracy as an
 * uninterrupted run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Interrupt } from '../../src/cli/io.ts';
import { configSource, qaCsv, tempProject } from '../support/cli-harness.ts';

const ROWS = 30;

/** The judge has one slot, so grading trails the answers and a Ctrl-C lands while grading is under way. */
function config(options: { judgeKeyEnv?: string; pass?: string } = {}): string {
  const auth = options.judgeKeyEnv ? `, auth: { apiKeyEnv: '${options.judgeKeyEnv}' }` : '';
  return configSource(`{
    scorers: ['exact-match', ['llm-judge', { target: 'judge' }]],
    ${options.pass ? `pass: '${options.pass}',` : ''}
    emulator: { seed: 5, latencyScale: 0.05, deployments: [
      { name: 'candidate', model: 'gpt-4.1-nano', capacity: 1000, accuracy: 0.6, heavyTail: false },
      { name: 'grader', model: 'gpt-4.1', capacity: 1000, accuracy: 0.9, heavyTail: false },
    ] },
    targets: [
      { name: 'candidate', api: 'responses', maxOutputTokens: 16, price: { input: 0.1, output: 0.4 }, deployments: [{ baseURL: 'emulator', deployment: 'candidate', maxConcurrency: 8 }] },
      { name: 'judge', api: 'chat', maxOutputTokens: 64, price: { input: 2, output: 8 }, deployments: [{ baseURL: 'emulator', deployment: 'grader', maxConcurrency: 1${auth} }] },
    ],
  }`);
}

interface Record_ {
  kind: string;
  key: string;
  role?: string;
  target: string;
  status?: string;
  outcome?: string;
  cached?: boolean;
  passed?: boolean;
  scoring?: string;
  scores?: { scorer: string; status: string; passed?: boolean; error?: string }[];
  usage?: { promptTokens: number; completionTokens: number };
}

async function journal(runDir: string): Promise<Record_[]> {
  return (await readFile(join(runDir, 'journal.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record_);
}

/**
 * report.json as `batchbench report DIR` renders it from the journal alone: the figures under test here
 * are a fold of the journal (the live path's agreement with it is the §1 test matrix's concern).
 */
async function reportJson(runDir: string, project: { run(argv: readonly string[]): Promise<{ code: number }> }) {
  expect((await project.run(['report', runDir])).code).toBe(0);
  return JSON.parse(await readFile(join(runDir, 'report.json'), 'utf8'));
}

/** Passing result keys of a run's final records (last record per key wins). */
function verdicts(records: Record_[]): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const r of records) if (r.kind === 'result') out.set(r.key, r.passed === true);
  return out;
}

async function setup(options: Parameters<typeof config>[0] = {}) {
  const project = await tempProject('bb-judge-');
  await project.write('eval.config.ts', config(options));
  await project.write('qa.csv', qaCsv(ROWS));
  return project;
}

describe('judge paths', () => {
  test('judge calls are journaled as judge attempts and reported apart: tokens, cost, Judging line', async () => {
    const project = await setup();
    const run = await project.run(['eval', '--dataset', 'qa.csv', '--targets', 'candidate', '--quiet']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const records = await journal(run.runDir!);
    const judgeAttempts = records.filter((r) => r.kind === 'attempt' && r.role === 'judge');
    const candidateAttempts = records.filter((r) => r.kind === 'attempt' && r.role === undefined);
    expect(judgeAttempts.length).toBeGreaterThanOrEqual(ROWS);
    expect(judgeAttempts.every((r) => r.target === 'judge')).toBe(true);
    const report = await reportJson(run.runDir!, project);
    expect(report.targets.map((t: { target: string }) => t.target)).toEqual(['candidate']);
    const candidate = report.targets[0];
    // The candidate's figures are a fold over its own records only.
    expect(candidate.retries.attempts).toBe(candidateAttempts.length);
    const sum = (rs: Record_[], k: 'promptTokens' | 'completionTokens') => rs.reduce((a, r) => a + (r.usage?.[k] ?? 0), 0);
    expect(candidate.tokens.total.prompt).toBe(
      sum(
        records.filter((r) => r.kind === 'result'),
        'promptTokens',
      ),
    );
    const judgeOk = judgeAttempts.filter((r) => r.outcome === 'ok');
    expect(report.judging.tokens.prompt).toBe(sum(judgeOk, 'promptTokens'));
    expect(report.judging.attempts).toBe(judgeAttempts.length);
    const judgeCost = (sum(judgeOk, 'promptTokens') * 2 + sum(judgeOk, 'completionTokens') * 8) / 1e6;
    expect(report.judging.cost).toBeCloseTo(judgeCost, 9);
    expect(report.totalCost).toBeCloseTo(candidate.cost.total + judgeCost, 9);
    expect(report.pass).toBe('all');
    const markdown = await readFile(join(run.runDir!, 'summary.md'), 'utf8');
    expect(markdown).toMatch(/Judging: \d+ attempts \(judge\)/);
  });

  test('--cache: an identical rerun reproduces every score without a single judge or candidate request', async () => {
    const project = await setup();
    const first = await project.run(['eval', '--dataset', 'qa.csv', '--targets', 'candidate', '--cache', '--quiet']);
    expect(first.code).toBe(0);
    const second = await project.run(['eval', '--dataset', 'qa.csv', '--targets', 'candidate', '--cache', '--quiet']);
    expect(second.code).toBe(0);
    const records = await journal(second.runDir!);
    expect(records.filter((r) => r.kind === 'attempt' && r.cached !== true)).toHaveLength(0);
    expect(records.filter((r) => r.kind === 'attempt' && r.role === 'judge' && r.cached === true)).toHaveLength(ROWS);
    const scoresOf = (rs: Record_[]) => new Map(rs.filter((r) => r.kind === 'result').map((r) => [r.key, JSON.stringify(r.scores)]));
    expect(scoresOf(records)).toEqual(scoresOf(await journal(first.runDir!)));
    const report = await reportJson(second.runDir!, project);
    expect(report.judging).toMatchObject({ attempts: 0, cached: ROWS, cost: 0 });
  });

  test('a judge that errors leaves cells unscored, not failed: accuracy is over scored cells', async () => {
    const project = await setup({ judgeKeyEnv: 'JUDGE_KEY' });
    const run = await project.run(['eval', '--dataset', 'qa.csv', '--targets', 'candidate', '--quiet'], {
      env: { BATCHBENCH_EMULATOR_KEY: 'right', JUDGE_KEY: 'wrong' },
    });
    const results = (await journal(run.runDir!)).filter((r) => r.kind === 'result');
    expect(results).toHaveLength(ROWS);
    // Wrong answers are still known failures under 'all' (exact-match decided); the rest have no verdict.
    const unscored = results.filter((r) => r.scoring === 'unscored');
    expect(unscored.length).toBeGreaterThan(0);
    expect(unscored.every((r) => r.status === 'ok' && r.scores!.find((s) => s.scorer === 'exact-match')!.passed === true)).toBe(true);
    const candidate = (await reportJson(run.runDir!, project)).targets[0];
    expect(candidate.failed).toBe(0);
    expect(candidate.unscored).toBe(unscored.length);
    expect(candidate.accuracy.scored).toBe(ROWS - unscored.length);
    expect(candidate.accuracy.passed).toBe(0);
  });

  test('an unknown pass rule is a one-line config error (exit 2)', async () => {
    const project = await setup({ pass: 'exact' });
    const run = await project.run(['eval', '--dataset', 'qa.csv', '--targets', 'candidate', '--quiet']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/pass: expected 'all', 'any' or the name of a scorer \('exact-match', 'llm-judge'\), got 'exact'/);
  });

  test('Ctrl-C during judging writes no final record for the cells being graded; --resume grades them to the uninterrupted accuracy', async () => {
    const reference = await setup();
    const whole = await reference.run(['eval', '--dataset', 'qa.csv', '--targets', 'candidate', '--quiet']);
    expect(whole.code).toBe(0);
    const expected = verdicts(await journal(whole.runDir!));

    const project = await setup();
    const journalPath = join(project.dir, 'run', 'journal.jsonl');
    const interrupted = await project.run(['eval', '--dataset', 'qa.csv', '--targets', 'candidate', '--out', 'run', '--quiet'], {
      interrupt: interruptAfterJudgeAttempts(journalPath, 3),
    });
    expect(interrupted.code).toBe(130);
    const partial = await journal(interrupted.runDir!);
    const finals = partial.filter((r) => r.kind === 'result');
    expect(finals.length).toBeLessThan(ROWS);
    // No cell carries the interrupt as a judge error (the bug: "SIGINT" entries counted as failed).
    expect(finals.flatMap((r) => r.scores ?? []).filter((s) => s.status === 'error')).toEqual([]);
    // Answers received but not graded wait in the journal as successful attempts.
    const answered = new Set(partial.filter((r) => r.kind === 'attempt' && r.role === undefined && r.outcome === 'ok').map((r) => r.key));
    const ungraded = [...answered].filter((k) => !finals.some((r) => r.key === k));
    expect(ungraded.length).toBeGreaterThan(0);

    const resumed = await project.run(['eval', '--resume', interrupted.runDir!, '--quiet']);
    expect(resumed.code).toBe(0);
    const after = await journal(interrupted.runDir!);
    // Recovered answers are graded without asking the candidate again.
    for (const key of ungraded) expect(after.filter((r) => r.kind === 'attempt' && r.role === undefined && r.key === key)).toHaveLength(1);
    expect(verdicts(after)).toEqual(expected);
    const [a, b] = [await reportJson(interrupted.runDir!, project), await reportJson(whole.runDir!, reference)];
    expect(a.targets[0].accuracy).toMatchObject({ passed: b.targets[0].accuracy.passed, scored: b.targets[0].accuracy.scored });
  });
});

/** Fires Ctrl-C once the journal holds `count` judge attempts (polled, not timed, so load cannot race it). */
function interruptAfterJudgeAttempts(path: string, count: number): () => Interrupt {
  return () => {
    const soft = new AbortController();
    const poll = setInterval(() => {
      if (!existsSync(path)) return;
      if (readFileSync(path, 'utf8').split('"role":"judge"').length - 1 >= count) {
        clearInterval(poll);
        soft.abort(new Error('SIGINT'));
      }
    }, 5);
    return { signal: soft.signal, hardSignal: new AbortController().signal, dispose: () => clearInterval(poll) };
  };
}
