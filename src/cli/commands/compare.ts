/**
 * `batchbench compare <baseline> <run>`: compares a run (a run directory, a journal, a baseline name or
 * file) with a baseline, using the regression limits of the config (`--config`, else eval.config.* in
 * the working directory, else the defaults). Exit 1 on a regression, 0 otherwise; bad input throws a
 * UsageError/ConfigError, which main.ts maps to exit 2.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedConfig } from '../../config/bench-config.ts';
import { configDefaults } from '../../config/defaults.ts';
import { EMULATOR_BASE_URL } from '../../config/endpoint.ts';
import { loadConfig } from '../../config/load-config.ts';
import { resolveConfig } from '../../config/resolve-config.ts';
import { createBaselineTracker, type BaselineTracker } from '../../report/baseline/baseline-tracker.ts';
import { compareBaselines } from '../../report/baseline/compare-baseline.ts';
import { baselineSavePath, loadBaseline, saveBaseline } from '../../report/baseline/load-baseline.ts';
import { renderBaselineText } from '../../report/baseline/render-baseline.ts';
import { builtinScorerNames } from '../../run/scorer-names.ts';
import { readJournal } from '../../sink/read-journal.ts';
import type { Baseline, RegressionThresholds } from '../../report/baseline/baseline-types.ts';
import { UsageError } from '../../errors.ts';
import { EXIT, type CliIo } from '../io.ts';

export interface CompareArgs {
  /** Baseline NAME (reports/baselines/NAME.json), baseline file, run directory or journal. */
  readonly baseline: string | undefined;
  /** The run to judge: a run directory, a journal, or a baseline name or file. */
  readonly run: string | undefined;
  /** Config file whose `regression` limits apply. */
  readonly config?: string | undefined;
  /** Print the whole comparison as JSON on stdout instead of text. */
  readonly json?: boolean | undefined;
}

export async function compareCommand(args: CompareArgs, io: CliIo): Promise<number> {
  const missing = [
    args.baseline === undefined || args.baseline === '' ? '<baseline>' : undefined,
    args.run === undefined || args.run === '' ? '<run>' : undefined,
  ].filter(Boolean);
  if (missing.length > 0 || args.baseline === undefined || args.run === undefined) {
    throw new UsageError(
      `compare: missing ${missing.join(' and ')}; usage: batchbench compare <baseline> <run>, where <baseline> is a NAME in reports/baselines/, a .json file or a run directory, and <run> the run directory to judge (e.g. batchbench compare nightly reports/<run-dir>)`,
    );
  }
  const config = await regressionConfig(args.config, io);
  const location = { cwd: io.cwd, baselinesDir: join(config?.outDir ?? configDefaults.outDir, 'baselines'), readJournal };
  const baseline = await loadBaseline(args.baseline, { ...location, flag: 'baseline' });
  const current = await loadBaseline(args.run, { ...location, flag: 'run' });
  const comparison = compareBaselines(baseline, current, config?.regression ?? {});
  if (args.json) io.stdout(`${JSON.stringify(comparison, null, 2)}\n`);
  else io.stdout(`${renderBaselineText(comparison, args.baseline).join('\n')}\n`);
  return comparison.regressed ? EXIT.thresholds : EXIT.ok;
}

/** The baseline flags of `eval`, prepared before the run so a bad name fails before any request. */
export interface BaselineTracking {
  /** Add to the run's reporters; pass `tracker.section` as ReporterOptions.baseline. */
  readonly tracker: BaselineTracker;
  readonly label: string | undefined;
  readonly savePath: string | undefined;
  /** What the run is compared with (kept in the run directory so `report` re-renders the section). */
  readonly against?: { readonly baseline: Baseline; readonly label: string; readonly thresholds: Partial<RegressionThresholds> };
}

/**
 * For `eval --baseline REF` and/or `--save-baseline NAME`: loads the baseline (NAME, file or run
 * directory) and checks the save path up front. `undefined` when neither flag is given.
 * @throws UsageError naming the flag (exit 2) for an unknown baseline or a bad name
 */
export async function openBaselineTracking(
  args: { readonly baseline?: string | undefined; readonly saveBaseline?: string | undefined },
  config: ResolvedConfig,
  io: CliIo,
): Promise<BaselineTracking | undefined> {
  if (!args.baseline && !args.saveBaseline) return undefined;
  const location = { cwd: io.cwd, baselinesDir: join(config.outDir, 'baselines') };
  const savePath = args.saveBaseline ? baselineSavePath(args.saveBaseline, location) : undefined;
  const baseline = args.baseline ? await loadBaseline(args.baseline, { ...location, readJournal, flag: '--baseline' }) : undefined;
  const against = baseline && args.baseline ? { baseline, label: args.baseline, thresholds: config.regression } : undefined;
  const tracker = createBaselineTracker(against ? { against } : {});
  return { tracker, label: args.baseline, savePath, ...(against ? { against } : {}) };
}

/**
 * After the run: prints the comparison (stderr, one line per regression) and saves the run's baseline
 * when asked and the run completed (a partial run would make a misleading baseline).
 * @returns whether a regression was found (the caller exits 1)
 */
export async function closeBaselineTracking(
  tracking: BaselineTracking,
  completed: boolean,
  io: CliIo,
): Promise<{ readonly regressed: boolean }> {
  const comparison = tracking.tracker.section?.comparison();
  if (comparison && tracking.label !== undefined) io.stderr(`${renderBaselineText(comparison, tracking.label).join('\n')}\n`);
  if (tracking.savePath) {
    if (completed) io.stdout(`baseline saved: ${await saveBaseline(tracking.tracker.current(), tracking.savePath)}\n`);
    else io.stderr(`baseline not saved: the run did not complete (${tracking.savePath} left as it was)\n`);
  }
  return { regressed: comparison?.regressed ?? false };
}

// --- internal ---

/**
 * The resolved config, for its regression limits and outDir; validated offline (no emulator, no key
 * variables needed). `undefined` when no config was named and none exists in the working directory.
 */
async function regressionConfig(file: string | undefined, io: CliIo): Promise<ResolvedConfig | undefined> {
  if (file === undefined && !configDefaults.config.some((name) => existsSync(join(io.cwd, name)))) return undefined;
  const loaded = await loadConfig({ cwd: io.cwd, ...(file === undefined ? {} : { file }) });
  return resolveConfig(
    loaded.config,
    {},
    { file: loaded.file, env: io.env, checkEnv: false, emulatorBaseURL: EMULATOR_BASE_URL, scorerNames: builtinScorerNames },
  );
}
