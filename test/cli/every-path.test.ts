/**
 * Issue 9 §1: every path a user takes writes outputs that (a) `batchbench report DIR` re-renders byte
 * for byte and (b) state per-target results, tokens by kind, cost, errors, attempts and accuracy (over
 * scored cells and over all cells; results.csv's pass column) equal to a fold of journal.jsonl computed
 * here, independently of src/report. The double feed that doubled every
 * number on the default path (console on) is caught by each of these.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Interrupt } from '../../src/cli/io.ts';
import { configSource, qaCsv, tempProject, type TempProject } from '../support/cli-harness.ts';
import { csvPassColumn, foldJournal, rerenderDiffers, reportFigures, runPath } from '../support/path-run.ts';

const ROWS = 8;

const EMULATOR = `{ seed: 5, latencyScale: 0.01, deployments: [
  { name: 'mini', model: 'gpt-4.1-mini', capacity: 1000, accuracy: 0.9 },
  { name: 'r1', model: 'DeepSeek-R1', capacity: 1000, accuracy: 0.6 },
  { name: 'grader', model: 'gpt-4.1', capacity: 1000, accuracy: 1 },
] }`;

const MINI = `{ name: 'mini', api: 'responses', maxOutputTokens: 32, deployments: [{ baseURL: 'emulator', deployment: 'mini', maxConcurrency: 2 }] }`;
const R1 = `{ name: 'r1', api: 'chat', maxOutputTokens: 512, tokenLimitField: 'max_tokens', deployments: [{ baseURL: 'emulator', deployment: 'r1', maxConcurrency: 2 }] }`;

function config(targets: string[], scorers = `['exact-match']`): string {
  return configSource(
    `{ system: 'Answer with only the number.', scorers: ${scorers}, emulator: ${EMULATOR}, targets: [${targets.join(', ')}] }`,
  );
}

async function project(targets = [MINI, R1], rows = ROWS, scorers?: string): Promise<TempProject> {
  const p = await tempProject('bb-path-');
  await p.write('eval.config.ts', config(targets, scorers));
  await p.write('qa.csv', qaCsv(rows));
  return p;
}

const round = (n: number) => Math.round(n * 1e9) / 1e9;

/** (a) and (b) for one run directory; returns the independent fold for further checks. */
async function expectTrue(p: TempProject, runDir: string | undefined, cells: number): Promise<Awaited<ReturnType<typeof foldJournal>>> {
  expect(runDir, 'run directory line').toBeDefined();
  const fold = await foldJournal(runDir!);
  const report = await reportFigures(runDir!);
  expect(fold.duplicateKeys).toBe(0);
  const norm = (m: Map<string, { cost: number }>) => Object.fromEntries([...m].map(([k, v]) => [k, { ...v, cost: round(v.cost) }]));
  expect(norm(report.targets)).toEqual(norm(fold.targets));
  expect([...fold.targets.values()].reduce((a, t) => a + t.results, 0)).toBe(cells);
  expect(report.attempts).toBe(fold.attempts);
  // results.csv's pass column: a verdict for scored cells only, empty for failed and unscored ones
  const pass = await csvPassColumn(runDir!);
  expect(Object.fromEntries(pass)).toEqual(
    Object.fromEntries(
      [...fold.targets].map(([name, t]) => [name, { true: t.passed, false: t.scored - t.passed, empty: t.results - t.scored }]),
    ),
  );
  expect(await rerenderDiffers(p.dir, runDir!)).toEqual([]);
  return fold;
}

/** An interrupt that fires once the journal holds `results` final records (journal content, never a timer). */
function interruptAt(journal: string, results: number, hard = false): () => Interrupt {
  return () => {
    const soft = new AbortController();
    const hardC = new AbortController();
    const poll = setInterval(() => {
      if (!existsSync(journal)) return;
      if (readFileSync(journal, 'utf8').split('"kind":"result"').length - 1 < results) return;
      clearInterval(poll);
      soft.abort(new Error('SIGINT'));
      // A second Ctrl-C at once: requests in flight are abandoned, not awaited.
      if (hard) hardC.abort(new Error('SIGINT'));
    }, 5);
    return { signal: soft.signal, hardSignal: hardC.signal, dispose: () => clearInterval(poll) };
  };
}

async function journalResults(runDir: string): Promise<Array<{ key: string; status: string }>> {
  return (await readFile(join(runDir, 'journal.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { kind: string; key: string; status: string })
    .filter((r) => r.kind === 'result');
}

describe('every path: outputs re-render byte for byte and match an independent fold of the journal', () => {
  test('default (no flags, CI=true): console summary on, numbers not doubled', async () => {
    const p = await project();
    const run = await runPath(p.dir, ['eval', '--dataset', 'qa.csv'], { env: { CI: 'true' } });
    expect(run.code).toBe(0);
    const fold = await expectTrue(p, run.runDir, 2 * ROWS);
    expect(run.stdout).toContain(`${fold.attempts} attempts`);
    // The plain progress line is printed once at the end, and counts what the summary counts.
    const progress = run.stderr.split('\n').filter((l) => l.startsWith('progress:'));
    expect(new Set(progress).size).toBe(progress.length);
    expect(progress.at(-1)).toContain(`attempts ${fold.attempts}`);
  });

  test('pseudo-TTY: the live progress bar ends on the summary’s attempt count', async () => {
    const p = await project();
    const run = await runPath(p.dir, ['eval', '--dataset', 'qa.csv'], { tty: true });
    expect(run.code).toBe(0);
    const fold = await expectTrue(p, run.runDir, 2 * ROWS);
    const bar = run.stderr
      .split(/\r\x1b\[2K/)
      .filter((s) => s.startsWith('['))
      .at(-1)!;
    expect(bar).toContain(`${2 * ROWS}/${2 * ROWS} (100%)`);
    expect(bar).toContain(`attempts ${fold.attempts}`);
    // each target's done/total, on a TTY only
    expect(bar).toContain(`mini ${ROWS}/${ROWS}, r1 ${ROWS}/${ROWS}`);
  });

  test('--quiet', async () => {
    const p = await project();
    const run = await runPath(p.dir, ['eval', '--dataset', 'qa.csv', '--quiet']);
    expect(run.code).toBe(0);
    await expectTrue(p, run.runDir, 2 * ROWS);
  });

  test('--json: exactly one JSON document on stdout, with the figures a script needs', async () => {
    const p = await project();
    const run = await runPath(p.dir, ['eval', '--dataset', 'qa.csv', '--json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as {
      runDir: string;
      regression: unknown;
      targets: Array<
        Record<string, unknown> & {
          target: string;
          results: number;
          tokens: { prompt: number };
          accuracy: { ci: unknown };
          latencyMs: { p50: number; p95: number };
          ttftMs: unknown;
          errorsByCategory: object;
        }
      >;
    };
    expect(run.stderr).toContain(`run directory: ${doc.runDir}`);
    const fold = await expectTrue(p, doc.runDir, 2 * ROWS);
    for (const t of doc.targets) {
      expect(t.results).toBe(fold.targets.get(t.target)!.results);
      expect(t.tokens.prompt).toBe(fold.targets.get(t.target)!.prompt);
      expect(t.accuracy.ci).toBeTruthy();
      expect(t.latencyMs.p95).toBeGreaterThanOrEqual(t.latencyMs.p50);
      for (const key of ['ttftMs', 'cost', 'errorsByCategory', 'truncated']) expect(t).toHaveProperty(key);
    }
    expect(doc).toHaveProperty('thresholdFailures');
    expect(doc.regression).toBeNull();
  });

  test('--repeats 3', async () => {
    const p = await project([MINI], 5);
    const run = await runPath(p.dir, ['eval', '--dataset', 'qa.csv', '--repeats', '3', '--quiet']);
    expect(run.code).toBe(0);
    await expectTrue(p, run.runDir, 15);
  });

  test('a wrong-key target', async () => {
    const p = await tempProject('bb-path-');
    await p.write(
      'eval.config.ts',
      config([
        MINI,
        `{ name: 'locked', api: 'responses', maxOutputTokens: 32, deployments: [{ baseURL: 'emulator', deployment: 'mini', id: 'locked', auth: { apiKeyEnv: 'WRONG_KEY' } }] }`,
      ]),
    );
    await p.write('qa.csv', qaCsv(ROWS));
    const run = await runPath(p.dir, ['eval', '--dataset', 'qa.csv'], { env: { WRONG_KEY: 'not-the-key', CI: 'true' } });
    expect(run.code).toBe(3);
    const fold = await expectTrue(p, run.runDir, 2 * ROWS);
    expect(fold.targets.get('locked')!.failed).toBe(ROWS);
    // The progress line's 429s and errors (failed attempts) are the summary's.
    const report = JSON.parse(await readFile(join(run.runDir!, 'report.json'), 'utf8')) as {
      targets: Array<{ retries: { quota429: number; capacity429: number; otherErrors: number } }>;
    };
    const sum = (f: (r: { quota429: number; capacity429: number; otherErrors: number }) => number) =>
      report.targets.reduce((a, t) => a + f(t.retries), 0);
    expect(sum((r) => r.otherErrors)).toBeGreaterThan(0);
    const last = run.stderr
      .split('\n')
      .filter((l) => l.startsWith('progress:'))
      .at(-1);
    expect(last).toContain(
      `429s ${sum((r) => r.quota429 + r.capacity429)} · errors ${sum((r) => r.otherErrors)} · attempts ${fold.attempts}`,
    );
  });

  test('an llm-judge config: judge attempts are not the candidate’s', async () => {
    const p = await project(
      [MINI, `{ name: 'judge', api: 'chat', maxOutputTokens: 64, deployments: [{ baseURL: 'emulator', deployment: 'grader' }] }`],
      ROWS,
      `['exact-match', ['llm-judge', { target: 'judge' }]]`,
    );
    const run = await runPath(p.dir, ['eval', '--dataset', 'qa.csv', '--targets', 'mini'], { env: { CI: 'true' } });
    expect(run.code).toBe(0);
    await expectTrue(p, run.runDir, ROWS);
  });

  test('Ctrl-C then --resume: the attempts line covers the whole run', async () => {
    const p = await project([MINI], 24);
    const journal = join(p.dir, 'run', 'journal.jsonl');
    const first = await runPath(p.dir, ['eval', '--dataset', 'qa.csv', '--out', 'run'], {
      interrupt: interruptAt(journal, 4),
      env: { CI: 'true' },
    });
    expect(first.code).toBe(130);
    expect(first.stderr).toContain(`batchbench eval --resume ${join(p.dir, 'run')}`);
    await expectTrue(p, first.runDir, (await journalResults(first.runDir!)).length);
    const resumed = await runPath(p.dir, ['eval', '--resume', 'run'], { env: { CI: 'true' } });
    expect(resumed.code).toBe(0);
    const fold = await expectTrue(p, resumed.runDir, 24);
    expect(resumed.stdout).toContain(`${fold.attempts} attempts`);
    expect(
      resumed.stderr
        .split('\n')
        .filter((l) => l.startsWith('progress:'))
        .at(-1),
    ).toContain(`24/24 (100%)`);
  });

  test('a double Ctrl-C abandons requests in flight without final records; --resume ends with every cell ok', async () => {
    const p = await project([MINI], 24);
    const journal = join(p.dir, 'run', 'journal.jsonl');
    const first = await runPath(p.dir, ['eval', '--dataset', 'qa.csv', '--out', 'run', '--quiet'], {
      interrupt: interruptAt(journal, 3, true),
    });
    expect(first.code).toBe(130);
    expect((await journalResults(first.runDir!)).every((r) => r.status === 'ok')).toBe(true);
    const resumed = await runPath(p.dir, ['eval', '--resume', 'run', '--quiet']);
    expect(resumed.code).toBe(0);
    const all = await journalResults(resumed.runDir!);
    expect(all).toHaveLength(24);
    expect(all.every((r) => r.status === 'ok')).toBe(true);
    await expectTrue(p, resumed.runDir, 24);
  });

  test('a journal torn mid-line by a kill resumes and re-renders', async () => {
    const p = await project([MINI], 16);
    const journal = join(p.dir, 'run', 'journal.jsonl');
    const first = await runPath(p.dir, ['eval', '--dataset', 'qa.csv', '--out', 'run', '--quiet'], { interrupt: interruptAt(journal, 3) });
    expect(first.code).toBe(130);
    // What a kill in the middle of a write leaves: the first bytes of a record, no newline.
    await appendFile(journal, '{"v":1,"kind":"result","key":"r009|mini|0","rowId":"r0');
    const resumed = await runPath(p.dir, ['eval', '--resume', 'run', '--quiet']);
    expect(resumed.code).toBe(0);
    expect(await journalResults(resumed.runDir!)).toHaveLength(16);
    await expectTrue(p, resumed.runDir, 16);
  });

  test('--retry-errors re-runs the failed cells into a new directory', async () => {
    const p = await tempProject('bb-path-');
    await p.write(
      'eval.config.ts',
      config([
        MINI,
        `{ name: 'keyed', api: 'responses', maxOutputTokens: 32, deployments: [{ baseURL: 'emulator', deployment: 'mini', id: 'keyed', auth: { apiKeyEnv: 'K' } }] }`,
      ]),
    );
    await p.write('qa.csv', qaCsv(ROWS));
    const failing = await runPath(p.dir, ['eval', '--dataset', 'qa.csv', '--quiet'], { env: { K: 'wrong' } });
    expect(failing.code).toBe(3);
    // The key is still wrong, so the re-run cells fail again: the new directory holds the copied
    // successes and the re-run failures, each cell once.
    const retried = await runPath(p.dir, ['eval', '--retry-errors', failing.runDir!, '--quiet'], { env: { K: 'wrong' } });
    expect(retried.code).toBe(3);
    expect(retried.runDir).not.toBe(failing.runDir);
    await expectTrue(p, retried.runDir, 2 * ROWS);
  });

  test('--cache second run, with --out: the cache stays in the config’s outDir and hits', async () => {
    const p = await project();
    const first = await runPath(p.dir, ['eval', '--dataset', 'qa.csv', '--cache', '--out', 'runs/c0', '--quiet']);
    expect(first.code).toBe(0);
    expect(existsSync(join(p.dir, 'reports', '.cache'))).toBe(true);
    const second = await runPath(p.dir, ['eval', '--dataset', 'qa.csv', '--cache', '--out', 'runs/c1', '--quiet']);
    expect(second.code).toBe(0);
    const fold = await expectTrue(p, second.runDir, 2 * ROWS);
    expect(fold.attempts).toBe(0);
  });

  test('--save-baseline with --out, then --baseline with another --out finds it', async () => {
    const p = await project();
    const saved = await runPath(p.dir, ['eval', '--dataset', 'qa.csv', '--save-baseline', 'nightly', '--out', 'runs/b0', '--quiet']);
    expect(saved.code).toBe(0);
    expect(existsSync(join(p.dir, 'reports', 'baselines', 'nightly.json'))).toBe(true);
    const compared = await runPath(p.dir, ['eval', '--dataset', 'qa.csv', '--baseline', 'nightly', '--out', 'runs/b1', '--json']);
    // Found (a missing baseline is exit 2); emulator latency may differ between runs, so 0 or 1.
    expect([0, 1]).toContain(compared.code);
    const verdict = (JSON.parse(compared.stdout) as { regression: { baseline: string; regressed: boolean } }).regression;
    expect(verdict).toEqual({ baseline: 'nightly', regressed: compared.code === 1 });
    await expectTrue(p, compared.runDir, 2 * ROWS);
  });

  test('shards + merge', async () => {
    const p = await project();
    for (const shard of ['1/2', '2/2']) {
      const run = await runPath(p.dir, [
        'eval',
        '--dataset',
        'qa.csv',
        '--shard',
        shard,
        '--out',
        `shards/${shard.replace('/', '-')}`,
        '--quiet',
      ]);
      expect(run.code).toBe(0);
      await expectTrue(p, run.runDir, (await journalResults(run.runDir!)).length);
    }
    const merged = await runPath(p.dir, ['merge', 'shards/1-2', 'shards/2-2', '--out', 'merged', '--quiet']);
    expect(merged.code).toBe(0);
    await expectTrue(p, merged.runDir, 2 * ROWS);
  });

  test('npm run: printed resume hints use `npm run <script> --`', async () => {
    const p = await project([MINI], 24);
    const journal = join(p.dir, 'run', 'journal.jsonl');
    const run = await runPath(p.dir, ['eval', '--dataset', 'qa.csv', '--out', 'run', '--quiet'], {
      interrupt: interruptAt(journal, 2),
      env: { npm_lifecycle_event: 'eval', npm_command: 'run-script' },
    });
    expect(run.code).toBe(130);
    expect(run.stderr).toContain(`Resume with: npm run eval -- --resume ${join(p.dir, 'run')}`);
  });
});
