/**
 * End to end against the embedded emulator: two real `batchbench eval` runs in-process, then
 * `compareCommand`. One deployment gets a lower accuracy and a `busy` fault (latency × 10) in the second
 * config; an unchanged rerun must not regress.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { closeBaselineTracking, compareCommand, openBaselineTracking } from '../../src/cli/commands/compare.ts';
import { EMULATOR_BASE_URL } from '../../src/config/endpoint.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { resolveConfig } from '../../src/config/resolve-config.ts';
import { replayJournal } from '../../src/report/registry.ts';
import type { CliIo, Interrupt } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { parseBaseline } from '../../src/report/baseline/baseline-json.ts';
import { buildBaseline } from '../../src/report/baseline/build-baseline.ts';
import { saveBaseline } from '../../src/report/baseline/load-baseline.ts';
import { readJournal } from '../../src/sink/read-journal.ts';

const INDEX = pathToFileURL(fileURLToPath(new URL('../../src/index.ts', import.meta.url))).href;
const ROWS = 40;

let dir: string;

interface Captured {
  io: CliIo;
  out: string[];
  err: string[];
}

function captureIo(): Captured {
  const out: string[] = [];
  const err: string[] = [];
  const interrupt = (): Interrupt => ({ signal: new AbortController().signal, hardSignal: new AbortController().signal, dispose() {} });
  const io: CliIo = {
    cwd: dir,
    env: {},
    isTTY: false,
    datasetsDir: join(dir, 'datasets'),
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    interrupt,
  };
  return { io, out, err };
}

/** A config with two emulated targets; `worse` lowers nano's accuracy and slows it down. */
function configText(worse: boolean): string {
  const nano = worse
    ? `{ name: 'nano', model: 'gpt-4.1-nano', capacity: 5000, accuracy: 0.35, jitter: false, faults: [{ kind: 'busy', latencyMultiplier: 10 }] }`
    : `{ name: 'nano', model: 'gpt-4.1-nano', capacity: 5000, accuracy: 0.9, jitter: false }`;
  return `import { defineConfig } from ${JSON.stringify(INDEX)};
export default defineConfig({
  scorers: ['exact-match'],
  // p95 over 40 rows moves a lot between runs on a busy machine (the first run is also the coldest).
  regression: { maxP95LatencyIncreasePct: 150, maxTtftIncreasePct: 150 },
  targets: [
    { name: 'mini', api: 'chat', maxOutputTokens: 16, deployments: [{ baseURL: 'emulator', deployment: 'mini', auth: { apiKeyEnv: 'BATCHBENCH_EMULATOR_KEY' } }] },
    { name: 'nano', api: 'chat', maxOutputTokens: 16, deployments: [{ baseURL: 'emulator', deployment: 'nano', auth: { apiKeyEnv: 'BATCHBENCH_EMULATOR_KEY' } }] },
  ],
  emulator: {
    seed: 7,
    latencyScale: 0.25,
    deployments: [
      { name: 'mini', model: 'gpt-4.1-mini', capacity: 5000, accuracy: 0.9, jitter: false },
      ${nano},
    ],
  },
});
`;
}

async function evalRun(config: string, out: string): Promise<number> {
  const { io, err } = captureIo();
  const code = await main(['eval', '--config', config, '--dataset', 'qa.csv', '--out', out, '--quiet'], io);
  if (code !== 0) throw new Error(`eval exited ${code}: ${err.join('')}`);
  return code;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bb-compare-'));
  const rows = Array.from(
    { length: ROWS },
    (_, i) => `q${String(i + 1).padStart(3, '0')},What is the code word number ${i + 1}?,word${i * 7 + 3}`,
  );
  await writeFile(join(dir, 'qa.csv'), `id,question,answer\n${rows.join('\n')}\n`);
  await writeFile(join(dir, 'same.config.ts'), configText(false));
  await writeFile(join(dir, 'worse.config.ts'), configText(true));
  await evalRun('same.config.ts', 'run-base');
  await evalRun('same.config.ts', 'run-same');
  await evalRun('worse.config.ts', 'run-worse');
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('batchbench compare against the emulator', () => {
  test('a saved baseline names every row of every target', async () => {
    const baseline = await buildBaseline(readJournal(join(dir, 'run-base', 'journal.jsonl')));
    const path = await saveBaseline(baseline, join(dir, 'reports', 'baselines', 'main.json'));
    const saved = parseBaseline(await readFile(path, 'utf8'), path);
    expect(Object.keys(saved.targets)).toEqual(['mini', 'nano']);
    expect(Object.keys(saved.targets['nano']!.items)).toHaveLength(ROWS);
    expect(saved.createdFrom.emulator).toBe(true);
    expect(saved.targets['nano']!.aggregates.accuracy!.rate).toBeGreaterThan(0.6);
  });

  test('an unchanged rerun exits 0', async () => {
    const { io, out } = captureIo();
    expect(await compareCommand({ baseline: 'run-base', run: 'run-same', config: 'same.config.ts' }, io)).toBe(0);
    expect(out.join('')).toContain('No regression against baseline');
    expect(out.join('')).not.toContain('flipped');
  });

  test('lower accuracy and higher latency on one deployment exit 1 naming the target, the metrics and the flipped rows', async () => {
    const { io, out } = captureIo();
    const code = await compareCommand({ baseline: 'run-base', run: 'run-worse', config: 'worse.config.ts' }, io);
    const text = out.join('');
    expect(code).toBe(1);
    expect(text).toMatch(/Regression against baseline \S+: nano \(1 of 2 targets\)/);
    expect(text).toMatch(/nano: accuracy \d+\.\d% → \d+\.\d% .* — regression; \d+ rows? flipped pass→fail: q\d{3}/);
    expect(text).toMatch(/nano: p95 latency .* — regression/);
    expect(text).not.toMatch(/mini: (accuracy|p95)/);
  });

  test('a saved baseline NAME works as well as a run directory, and --json gives the whole comparison', async () => {
    const { io, out } = captureIo();
    const code = await compareCommand({ baseline: 'main', run: 'run-worse', config: 'worse.config.ts', json: true }, io);
    expect(code).toBe(1);
    const comparison = JSON.parse(out.join(''));
    const nano = comparison.targets.find((t: { target: string }) => t.target === 'nano');
    expect(nano.status).toBe('regressed');
    expect(nano.flips.passToFail.length).toBeGreaterThan(0);
    expect(nano.flips.passToFail.every((id: string) => /^q\d{3}$/.test(id))).toBe(true);
  });

  test('an unknown baseline is a one-line usage error', async () => {
    const { io } = captureIo();
    await expect(compareCommand({ baseline: 'nightly', run: 'run-same' }, io)).rejects.toThrow(
      'baseline nightly: no baseline named "nightly" (looked in reports/baselines/nightly.json); known: main',
    );
  });
});

describe('eval --baseline / --save-baseline helpers', () => {
  async function resolved(file: string) {
    const loaded = await loadConfig({ cwd: dir, file });
    return resolveConfig(loaded.config, {}, { file: loaded.file, env: {}, checkEnv: false, emulatorBaseURL: EMULATOR_BASE_URL });
  }

  test('an unknown --baseline fails before the run, naming the flag', async () => {
    const { io } = captureIo();
    await expect(openBaselineTracking({ baseline: 'nope' }, await resolved('same.config.ts'), io)).rejects.toThrow(
      /^--baseline nope: no baseline named "nope"/,
    );
  });

  test('a bad --save-baseline name fails before the run', async () => {
    const { io } = captureIo();
    await expect(openBaselineTracking({ saveBaseline: '../x' }, await resolved('same.config.ts'), io)).rejects.toThrow(
      /--save-baseline \.\.\/x: expected a name/,
    );
  });

  test('the tracker fed by the worse run reports the regression and saves that run as a new baseline', async () => {
    const { io, err, out } = captureIo();
    const tracking = (await openBaselineTracking(
      { baseline: 'run-base', saveBaseline: 'candidate' },
      await resolved('worse.config.ts'),
      io,
    ))!;
    await replayJournal(readJournal(join(dir, 'run-worse', 'journal.jsonl')), [tracking.tracker], join(dir, 'replay'));
    const { regressed } = await closeBaselineTracking(tracking, true, io);
    expect(regressed).toBe(true);
    expect(err.join('')).toMatch(/vs baseline run-base: Regression against baseline \S+: nano/);
    expect(out.join('')).toContain(join('reports', 'baselines', 'candidate.json'));
    const saved = parseBaseline(await readFile(join(dir, 'reports', 'baselines', 'candidate.json'), 'utf8'), 'candidate.json');
    expect(saved.targets['nano']!.aggregates.accuracy!.rate).toBeLessThan(0.6);
  });

  test('an incomplete run is not saved as a baseline', async () => {
    const { io, err } = captureIo();
    const tracking = (await openBaselineTracking({ saveBaseline: 'partial' }, await resolved('same.config.ts'), io))!;
    expect(tracking.tracker.section).toBeUndefined();
    expect(await closeBaselineTracking(tracking, false, io)).toEqual({ regressed: false });
    expect(err.join('')).toContain('baseline not saved: the run did not complete');
  });
});
