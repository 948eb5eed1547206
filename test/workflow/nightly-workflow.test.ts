/**
 * The nightly workflow, checked two ways: its structure (triggers, OIDC login, shard matrix, merge,
 * baseline comparison, artifacts) and its commands, which are lifted out of the YAML and run in
 * order through the real CLI against the embedded emulator: shards → merge → compare. A flag renamed
 * in the CLI, or a command edited in the YAML, breaks this test instead of the first nightly run.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compareCommand } from '../../src/cli/commands/compare.ts';
import { mergeCommand } from '../../src/cli/commands/merge.ts';
import { buildBaseline } from '../../src/report/baseline/build-baseline.ts';
import { saveBaseline } from '../../src/report/baseline/load-baseline.ts';
import { readJournal } from '../../src/sink/read-journal.ts';
import type { ResultRecord } from '../../src/types.ts';
import { REPO, configSource, qaCsv, tempProject, type CliResult, type TempProject } from '../support/cli-harness.ts';

interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
  readonly 'continue-on-error'?: boolean;
}
interface Job {
  readonly needs?: string | string[];
  readonly if?: string;
  readonly permissions?: Record<string, string>;
  readonly env?: Record<string, string>;
  readonly strategy?: { readonly 'fail-fast'?: boolean; readonly matrix?: Record<string, unknown> };
  readonly steps: readonly Step[];
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly env?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

const workflow = parse(readFileSync(resolve(REPO, '.github/workflows/nightly-eval.yml'), 'utf8')) as Workflow;
const evalJob = workflow.jobs['eval']!;
const mergeJob = workflow.jobs['merge']!;
const cli = (job: Job, command: string) => job.steps.find((step) => step.run?.trim().startsWith(`npx batchbench ${command} `));
const uses = (job: Job, action: string) => job.steps.filter((step) => step.uses?.startsWith(`${action}@`));
const shards = (evalJob.strategy?.matrix?.['shard'] ?? []) as number[];

describe('nightly workflow: structure', () => {
  test('runs on a schedule and on demand', () => {
    const schedule = workflow.on['schedule'] as { cron: string }[];
    expect(schedule[0]!.cron.trim().split(/\s+/)).toHaveLength(5);
    expect(workflow.on).toHaveProperty('workflow_dispatch');
  });

  test('logs in to Azure through OIDC with no stored key', () => {
    expect(evalJob.permissions?.['id-token']).toBe('write');
    const [login] = uses(evalJob, 'azure/login');
    expect(login?.uses).toBe('azure/login@v2');
    for (const input of ['client-id', 'tenant-id', 'subscription-id'])
      expect(String(login?.with?.[input])).toMatch(/^\$\{\{ (secrets|vars)\.\w+ \}\}$/);
    expect(login?.with).not.toHaveProperty('creds');
    expect(login?.with).not.toHaveProperty('client-secret');
    const env = { ...workflow.env, ...evalJob.env };
    expect(env['AZURE_OPENAI_ENDPOINT']).toBe('${{ vars.AZURE_OPENAI_ENDPOINT }}');
    expect(env['BATCHBENCH_AUTH']).toBe('entra');
    expect(JSON.stringify(workflow)).not.toMatch(/API_KEY/);
  });

  test('evaluates a shard matrix on Node 24 whose --shard count matches the matrix', () => {
    expect(shards).toEqual([1, 2, 3, 4]);
    expect(evalJob.strategy?.['fail-fast']).toBe(false);
    expect(uses(evalJob, 'actions/setup-node')[0]?.with?.['node-version']).toBe(24);
    expect(cli(evalJob, 'eval')?.run).toContain(`--shard \${{ matrix.shard }}/${shards.length}`);
  });

  test('uploads every shard run even when its eval step fails', () => {
    const evalStep = cli(evalJob, 'eval')!;
    expect(evalStep['continue-on-error']).toBe(true);
    const [upload] = uses(evalJob, 'actions/upload-artifact');
    expect(upload?.if).toBe('always()');
    expect(evalStep.run).toContain(`--out ${String(upload?.with?.['path'])}`);
  });

  test('merges what the shards uploaded, where the merge command looks for it', () => {
    expect(mergeJob.needs).toBe('eval');
    expect(mergeJob.if).toMatch(/!cancelled\(\)/);
    const [download] = uses(mergeJob, 'actions/download-artifact');
    const uploadedAs = String(uses(evalJob, 'actions/upload-artifact')[0]?.with?.['name']);
    // download-artifact puts each artifact in <path>/<artifact name>/.
    const landsIn = `${String(download?.with?.['path'])}/${uploadedAs.replace('${{ matrix.shard }}', '*')}`;
    expect(String(download?.with?.['pattern'])).toBe(uploadedAs.replace('${{ matrix.shard }}', '*'));
    expect(cli(mergeJob, 'merge')?.run).toContain(`merge ${landsIn} --out `);
  });

  test('compares the merged run with the committed baseline after merging', () => {
    const steps = mergeJob.steps;
    const merge = steps.indexOf(cli(mergeJob, 'merge')!);
    const compare = steps.indexOf(cli(mergeJob, 'compare')!);
    expect(merge).toBeGreaterThan(-1);
    expect(compare).toBeGreaterThan(merge);
    // A regression must fail the job: the compare step may not swallow its exit code.
    expect(steps[compare]!['continue-on-error']).toBeUndefined();
    // It also runs after a threshold failure of the merge step, as long as a merged run exists.
    const out = /--out (\S+)/.exec(steps[merge]!.run!)?.[1];
    expect(steps[compare]!.if).toContain(`hashFiles('${out}/journal.jsonl')`);
    expect(steps[compare]!.run).toContain(` ${out}`);
  });

  test('always uploads the merged HTML report', () => {
    const out = /--out (\S+)/.exec(cli(mergeJob, 'merge')!.run!)?.[1];
    const upload = uses(mergeJob, 'actions/upload-artifact').find((step) =>
      [out, `${out}/report.html`].includes(String(step.with?.['path']).trim()),
    );
    expect(upload?.if).toBe('always()');
  });

  test('its batchbench commands are single plain commands (so this test can run them)', () => {
    for (const step of [...evalJob.steps, ...mergeJob.steps].filter((s) => s.run?.includes('batchbench'))) {
      expect(step.run!.trim()).not.toMatch(/[|;&<>`"'\n]|\$\(/);
    }
  });
});

// --- the command sequence, run locally against the emulator ---

const EMULATOR_CONFIG = configSource(`{
  system: 'Answer with only the number.',
  scorers: ['exact-match'],
  emulator: {
    seed: 11,
    latencyScale: 0.01,
    deployments: [
      { name: 'mini', model: 'gpt-4.1-mini', capacity: 2000, accuracy: 0.9 },
      { name: 'nano', model: 'gpt-4.1-nano', capacity: 2000, accuracy: 0.7 },
      { name: 'r1', model: 'DeepSeek-R1', capacity: 2000, accuracy: 0.8 },
    ],
  },
  targets: [
    { name: 'mini', api: 'responses', maxOutputTokens: 32, deployments: [{ baseURL: 'emulator', deployment: 'mini' }] },
    { name: 'nano', api: 'chat', maxOutputTokens: 32, deployments: [{ baseURL: 'emulator', deployment: 'nano' }] },
    { name: 'r1', api: 'chat', maxOutputTokens: 512, tokenLimitField: 'max_tokens', deployments: [{ baseURL: 'emulator', deployment: 'r1' }] },
  ],
}`);
const ROWS = 30;

/** Replaces the workflow expressions a step may use; any other expression is a test failure. */
function substitute(command: string, values: Record<string, string>): string {
  return command.replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (whole, name: string) => {
    if (!(name in values)) throw new Error(`no local value for ${whole} in: ${command}`);
    return values[name]!;
  });
}

/** Splits a plain command into argv and expands `*` globs the way bash would (sorted; literal when nothing matches). */
function argvOf(command: string, cwd: string): string[] {
  const words = command.trim().split(/\s+/);
  expect(words.slice(0, 2)).toEqual(['npx', 'batchbench']);
  return words.slice(2).flatMap((word) => {
    if (!word.includes('*')) return [word];
    const slash = word.lastIndexOf('/');
    const dir = slash < 0 ? '.' : word.slice(0, slash);
    const pattern = new RegExp(
      `^${word
        .slice(slash + 1)
        .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')}$`,
    );
    const matches = readdirSync(join(cwd, dir))
      .filter((name) => pattern.test(name))
      .sort();
    return matches.length ? matches.map((name) => (slash < 0 ? name : `${dir}/${name}`)) : [word];
  });
}

/**
 * Runs a workflow command through the real CLI. Until the lead wires `merge` and `compare` into
 * main.ts, an "unknown command" answer falls back to the command functions with the same arguments.
 */
async function runStep(project: TempProject, argv: readonly string[], env: Record<string, string>): Promise<CliResult> {
  const result = await project.run(argv, { env });
  if (result.code !== 2 || !/Unknown argument/.test(result.stderr)) return result;
  const [command, ...rest] = argv;
  let stdout = '';
  let stderr = '';
  const io = {
    cwd: project.dir,
    env: { PATH: process.env.PATH, ...env },
    isTTY: false,
    datasetsDir: join(REPO, 'datasets'),
    stdout: (t: string) => {
      stdout += t;
    },
    stderr: (t: string) => {
      stderr += t;
    },
    interrupt: () => {
      throw new Error('not used');
    },
  };
  let code: number;
  if (command === 'merge') {
    const outAt = rest.indexOf('--out');
    code = await mergeCommand({ dirs: rest.slice(0, outAt), out: rest[outAt + 1]! }, io);
  } else if (command === 'compare') {
    code = await compareCommand({ baseline: rest[0]!, run: rest[1]! }, io);
  } else {
    return result;
  }
  return { code, stdout, stderr, runDir: /run directory: (.+)\n?$/.exec(stdout.trimEnd())?.[1] };
}

describe('nightly workflow: its commands, against the emulator', () => {
  let project: TempProject;
  const evalRuns: CliResult[] = [];
  let mergeRun: CliResult;
  let compareRun: CliResult;
  let fullRunDir: string;
  const mergeJobSummary = () => join(project.dir, 'merge-job-summary.md');

  beforeAll(async () => {
    project = await tempProject('bb-nightly-');
    await project.write('eval.config.ts', EMULATOR_CONFIG);
    await project.write('qa.csv', qaCsv(ROWS));

    // The reference: the same eval, unsharded; its results are saved as the committed baseline would be.
    const full = await project.run(['eval', '--dataset', 'qa.csv', '--out', 'reports/full', '--quiet']);
    expect(full.stderr).toBe('');
    fullRunDir = full.runDir!;
    await saveBaseline(
      await buildBaseline(readJournal(join(fullRunDir, 'journal.jsonl'))),
      join(project.dir, 'reports/baselines/nightly.json'),
    );

    // Job `eval`, once per matrix entry (CI runs them in parallel; order does not matter).
    for (const shard of shards) {
      const command = substitute(cli(evalJob, 'eval')!.run!, { 'matrix.shard': String(shard) });
      const summary = join(project.dir, `eval-job-${shard}-summary.md`);
      evalRuns.push(await runStep(project, argvOf(command, project.dir), { GITHUB_STEP_SUMMARY: summary }));
    }

    // Job `merge`: one step summary file for the job, as on GitHub.
    await writeFile(mergeJobSummary(), '');
    const env = { GITHUB_STEP_SUMMARY: mergeJobSummary() };
    mergeRun = await runStep(project, argvOf(substitute(cli(mergeJob, 'merge')!.run!, {}), project.dir), env);
    compareRun = await runStep(project, argvOf(substitute(cli(mergeJob, 'compare')!.run!, {}), project.dir), env);
  }, 180_000);
  afterAll(async () => {
    await rm(project.dir, { recursive: true, force: true });
  });

  test('every shard eval succeeds', () => {
    expect(evalRuns.map((run) => [run.code, run.stderr])).toEqual(shards.map(() => [0, '']));
  });

  test('merge succeeds and names the merged run directory', () => {
    expect([mergeRun.code, mergeRun.stderr]).toEqual([0, '']);
    expect(mergeRun.runDir).toBe(join(project.dir, 'reports/nightly'));
  });

  test('shards + merge give the same per-item results as the unsharded run', async () => {
    const cells = async (runDir: string) => {
      const out = new Map<string, unknown>();
      for await (const record of readJournal(join(runDir, 'journal.jsonl'))) {
        if (record.kind !== 'result') continue;
        const r = record as ResultRecord;
        out.set(
          r.key,
          r.status === 'ok'
            ? { status: r.status, output: r.output, passed: r.passed, scores: r.scores, usage: r.usage }
            : { status: r.status, reason: r.reason },
        );
      }
      return out;
    };
    const full = await cells(fullRunDir);
    expect(full.size).toBe(ROWS * 3);
    expect(await cells(mergeRun.runDir!)).toEqual(full);
  });

  test('the merged summary lands in the merge job step summary', async () => {
    const summary = await readFile(join(mergeRun.runDir!, 'summary.md'), 'utf8');
    expect(await readFile(mergeJobSummary(), 'utf8')).toContain(summary.trim());
  });

  test('compare against the baseline of the unsharded run finds no regression', () => {
    expect(compareRun.stderr).toBe('');
    expect(compareRun.code).toBe(0);
    expect(compareRun.stdout).toMatch(/no regression/i);
  });

  test('the compare step exits 1, failing the job, when the merged run regressed', async () => {
    // A baseline in which every answer passed: the merged run is worse on every target with misses.
    const perfect = [];
    for await (const record of readJournal(join(fullRunDir, 'journal.jsonl'))) {
      perfect.push(
        record.kind === 'result' && record.status === 'ok'
          ? { ...record, passed: true, scores: record.scores.map((s) => (s.status === 'ok' ? { ...s, value: 1, passed: true } : s)) }
          : record,
      );
    }
    await saveBaseline(await buildBaseline(perfect), join(project.dir, 'reports/baselines/nightly.json'));
    const regressed = await runStep(project, argvOf(substitute(cli(mergeJob, 'compare')!.run!, {}), project.dir), {});
    expect(regressed.code).toBe(1);
    expect(regressed.stdout).toMatch(/nano/);
  });
});
