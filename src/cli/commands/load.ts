/**
 * `batchbench load`: benchmark configured targets under load (profiles of synchronous, closed-loop and
 * open-loop steps, sweeps and an SLO goodput search). Resolves the config like `eval`, starts the
 * embedded emulator (in a worker thread) when the config asks for one, checks fixed rates against known
 * quotas before sending anything, and turns the run into an exit code.
 */
import { resolve } from 'node:path';
import { loadConfig } from '../../config/load-config.ts';
import { resolveConfig } from '../../config/resolve-config.ts';
import type { CliOverrides } from '../../config/bench-config.ts';
import { UsageError } from '../../errors.ts';
import { parseDurationMs, parseSlo } from '../../load/duration.ts';
import { parseProfile, type Arrivals } from '../../load/profile.ts';
import { prepareRun } from '../../run/prepare-run.ts';
import { newRunId, runDirectory } from '../../run/run-directory.ts';
import { checkFixedRates, runLoad } from '../../run/run-load.ts';
import { datasetWorkload, syntheticWorkload, type LoadWorkload } from '../../run/load-workload.ts';
import { builtinScorerNames } from '../../run/scorer-names.ts';
import type { PromptInput, ResolvedTarget } from '../../types.ts';
import { EXIT, type CliIo } from '../io.ts';
import { startLoadEmulator, type LoadEmulator } from '../load-emulator.ts';
import { startConfiguredEmulator } from '../emulator-settings.ts';

export interface LoadArgs {
  readonly config?: string | undefined;
  readonly targets?: readonly string[] | undefined;
  readonly profile: string;
  readonly rate?: readonly number[] | undefined;
  readonly concurrency?: readonly number[] | undefined;
  readonly steps?: number | undefined;
  readonly duration: string;
  readonly maxRequests?: number | undefined;
  readonly arrivals?: Arrivals | undefined;
  readonly slo?: string | undefined;
  readonly rateRange?: string | undefined;
  readonly dataset?: string | undefined;
  readonly limit?: number | undefined;
  readonly inputTokens?: number | undefined;
  readonly outputTokens?: number | undefined;
  readonly spread?: number | undefined;
  readonly warmup?: string | undefined;
  readonly workers?: number | undefined;
  readonly saturationConcurrency?: number | undefined;
  readonly allow429?: boolean | undefined;
  readonly out?: string | undefined;
  readonly seed?: string | undefined;
  readonly quiet?: boolean | undefined;
}

/** Defaults when neither a dataset nor token counts are given: a chat-like 1000-in / 200-out shape. */
const DEFAULT_SHAPE = { inputTokens: 1000, outputTokens: 200 } as const;

export async function loadCommand(args: LoadArgs, io: CliIo): Promise<number> {
  const slo = args.slo ? parseSlo(args.slo) : undefined;
  const profile = parseProfile(args.profile, {
    values: args.profile.trim().startsWith('rate') ? args.rate : args.concurrency,
    steps: args.steps ?? 6,
    ...(slo ? { slo } : {}),
    ...(args.rateRange ? { range: parseRange(args.rateRange) } : {}),
  });
  const durationMs = parseDurationMs(args.duration, '--duration');
  const warmupMs = args.warmup ? parseDurationMs(args.warmup, '--warmup') : undefined;
  const synthetic = args.dataset === undefined || args.inputTokens !== undefined;
  const outputTokens = args.outputTokens ?? (args.dataset === undefined ? DEFAULT_SHAPE.outputTokens : undefined);

  const loaded = await loadConfig({ cwd: io.cwd, ...(args.config ? { file: args.config } : {}) });
  let emulator: LoadEmulator | undefined;
  try {
    // Like eval: a valid `emulator:` block starts (here in its own worker thread); an invalid one is
    // reported by resolveConfig with the file, the `emulator.` path and every other config problem.
    const configured = await startConfiguredEmulator(loaded.config, io.env, (settings, env) =>
      startLoadEmulator(settings, env, synthetic ? outputTokens : undefined),
    );
    emulator = configured.emulator;
    const env = configured.env;
    const overrides: CliOverrides = {
      ...(args.targets?.length ? { targets: [...args.targets] } : {}),
      ...(args.dataset ? { dataset: args.dataset } : {}),
      ...(args.limit === undefined ? {} : { limit: args.limit }),
    };
    const config = resolveConfig(loaded.config, overrides, {
      file: loaded.file,
      env,
      ...configured.resolveContext,
      scorerNames: builtinScorerNames,
    });
    const seed = args.seed ?? '1';
    let workload: LoadWorkload;
    if (synthetic) {
      workload = syntheticWorkload({
        inputTokens: args.inputTokens ?? DEFAULT_SHAPE.inputTokens,
        ...(outputTokens === undefined ? {} : { outputTokens }),
        ...(args.spread ? { spread: args.spread } : {}),
        seed,
      });
    } else {
      const prepared = await prepareRun(config, { cwd: io.cwd, datasetsDir: io.datasetsDir });
      const inputs: PromptInput[] = [];
      for await (const row of prepared.rows()) if (inputs.push(prepared.buildInput(row)) >= Math.min(prepared.rowCount, 100_000)) break;
      workload = datasetWorkload(prepared.datasetName, inputs);
    }
    const targets: ResolvedTarget[] = config.targets.map((t) =>
      outputTokens === undefined ? t : { ...t, params: { ...t.params, maxOutputTokens: outputTokens } },
    );
    if (!args.allow429) checkFixedRates(profile.kind === 'rate' ? profile.rates : [], targets, workload);

    const runId = newRunId(new Date(), `load-${profile.kind}`);
    const runDir = args.out ? resolve(io.cwd, args.out) : runDirectory(resolve(io.cwd, config.outDir), runId);
    const emulatorOnly = emulator !== undefined && targets.every((t) => t.deployments.every((d) => d.baseURL.startsWith(emulator!.origin)));
    const abort = io.interrupt();
    try {
      const { summary } = await runLoad({
        targets,
        profile,
        profileText:
          args.profile +
          (profile.kind === 'rate' ? ` ${profile.rates.join(',')}` : profile.kind === 'concurrency' ? ` ${profile.levels.join(',')}` : ''),
        arrivals: args.arrivals ?? 'constant',
        durationMs,
        maxRequests: args.maxRequests ?? 100_000,
        saturationConcurrency: args.saturationConcurrency ?? 64,
        ...(warmupMs ? { warmupMs } : {}),
        workload,
        ...(slo ? { slo } : {}),
        runDir,
        runId,
        env,
        signal: abort.signal,
        workers: args.workers ?? 0,
        allow429: Boolean(args.allow429),
        ...(emulatorOnly ? { emulator: { origin: emulator!.origin, apiKey: emulator!.apiKey } } : {}),
        seed,
        ...(args.quiet ? {} : { progress: (line: string) => io.stderr(`${line}\n`) }),
      });
      for (const t of summary.targets) {
        if (args.quiet) break;
        io.stdout(
          `${t.name}: floor ${fmt(t.floorRps)} req/s, saturation ${fmt(t.saturationRps)} req/s${t.goodput ? `, goodput ${fmt(t.goodput.rate)} req/s offered (${fmt(t.goodput.goodputRps)} good req/s, ${Math.round(t.goodput.tokensPerMin)} tokens/min)` : slo ? ', no rate met the SLO' : ''}\n`,
        );
      }
      io.stdout(`run directory: ${runDir}\n`);
      if (summary.reason === 'aborted') return EXIT.interrupted;
      const dead = summary.targets.filter((t) => t.steps.every((s) => s.ok === 0));
      for (const t of dead) io.stderr(`target ${t.name}: no request succeeded (see results.csv for the errors)\n`);
      return dead.length ? EXIT.incomplete : EXIT.ok;
    } finally {
      abort.dispose();
    }
  } finally {
    await emulator?.close();
  }
}

// --- internal ---

function parseRange(text: string): { min: number; max: number } {
  const [min, max] = text.split(/[:,]/).map(Number);
  if (min === undefined || max === undefined || !(min >= 0) || !(max > min))
    throw new UsageError(`--rate-range: expected MIN:MAX with 0 ≤ MIN < MAX (req/s), got ${JSON.stringify(text)}`);
  return { min, max };
}

function fmt(x: number | null): string {
  return x === null ? '—' : x.toFixed(2);
}
