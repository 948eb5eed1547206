/**
 * `batchbench eval`: load and resolve the config, start the embedded emulator when the config asks
 * for it, check the dataset up front, run (fresh, resumed, or re-running only failed cells), and turn
 * the outcome into an exit code.
 */
import { join, resolve } from 'node:path';
import { loadConfig } from '../../config/load-config.ts';
import { resolveConfig } from '../../config/resolve-config.ts';
import { redactConfig } from '../../config/config-hash.ts';
import type { CliOverrides, ResolvedConfig } from '../../config/bench-config.ts';
import { builtinScorerNames } from '../../run/scorer-names.ts';
import { prepareRun } from '../../run/prepare-run.ts';
import { runEval, type RunEvalOptions, type RunEvalResult } from '../../run/run-eval.ts';
import { evaluateThresholds, readSummary } from '../../run/thresholds.ts';
import { createRunReporters } from '../../run/run-reporters.ts';
import { newRunId, runDirectory } from '../../run/run-directory.ts';
import { inShard, parseShard } from '../../run/shard.ts';
import { describeChanges, readManifest, writeManifest, type RunManifest } from '../../run/manifest.ts';
import { loadResumeState } from '../../run/resume-state.ts';
import { createResponseCache } from '../../run/response-cache.ts';
import { readJournal } from '../../sink/read-journal.ts';
import { BenchError, UsageError } from '../../errors.ts';
import { redactText } from '../../internal/redact.ts';
import type { EmbeddedEmulator } from '../embedded-emulator.ts';
import { startConfiguredEmulator } from '../emulator-settings.ts';
import { blockedTargetLines } from '../blocked-cause.ts';
import { EXIT, type CliIo } from '../io.ts';
import { jsonOutput, resumeCommand } from '../eval-output.ts';
import { closeBaselineTracking, openBaselineTracking } from './compare.ts';
import { writeBaselineInput } from '../../run/baseline-input.ts';

export interface EvalArgs {
  readonly config?: string | undefined;
  readonly dataset?: string | undefined;
  readonly targets?: readonly string[] | undefined;
  readonly limit?: number | undefined;
  readonly repeats?: number | undefined;
  readonly concurrency?: number | undefined;
  readonly out?: string | undefined;
  readonly quiet?: boolean | undefined;
  readonly json?: boolean | undefined;
  readonly scheduler?: 'adaptive' | 'simple' | undefined;
  /** `i/n`: run only shard i of n (rows split by a hash of their id). */
  readonly shard?: string | undefined;
  /** Continue an interrupted run in its own directory. */
  readonly resume?: string | undefined;
  /** Re-run only the cells whose final record is an error, into a new run directory. */
  readonly retryErrors?: string | undefined;
  /** Use the response cache. */
  readonly cache?: boolean | undefined;
  /** Compare with this baseline (NAME, file or run directory); a regression exits 1. */
  readonly baseline?: string | undefined;
  /** Save this run as a baseline (NAME → reports/baselines/NAME.json, or a path). */
  readonly saveBaseline?: string | undefined;
}

export async function evalCommand(args: EvalArgs, io: CliIo): Promise<number> {
  const continued = args.resume ?? args.retryErrors;
  if (args.resume && args.retryErrors) throw new UsageError('--resume and --retry-errors cannot be combined');
  const previousDir = continued ? resolve(io.cwd, continued) : undefined;
  const manifest = previousDir ? await readManifest(previousDir) : undefined;
  if (manifest) rejectMatrixFlags(args, args.resume ? '--resume' : '--retry-errors');

  const loaded = await loadConfig({
    cwd: io.cwd,
    ...((args.config ?? manifest?.configFile) ? { file: args.config ?? manifest!.configFile } : {}),
  });
  let emulator: EmbeddedEmulator | undefined;
  try {
    // An invalid `emulator:` block is not started; resolveConfig reports its problems with the others.
    const configured = await startConfiguredEmulator(loaded.config, io.env);
    emulator = configured.emulator;
    const saved = manifest?.overrides;
    const overrides: CliOverrides = saved
      ? {
          dataset: saved.dataset ?? manifest!.datasetPath,
          ...(saved.targets ? { targets: [...saved.targets] } : {}),
          ...(saved.limit === undefined ? {} : { limit: saved.limit }),
          ...(saved.repeats === undefined ? {} : { repeats: saved.repeats }),
        }
      : {
          ...(args.dataset ? { dataset: args.dataset } : {}),
          ...(args.targets?.length ? { targets: [...args.targets] } : {}),
          ...(args.limit === undefined ? {} : { limit: args.limit }),
          ...(args.repeats === undefined ? {} : { repeats: args.repeats }),
        };
    // `--out` names the run directory only: baselines and the cache stay under the config's outDir.
    const withFlags: CliOverrides = { ...overrides, ...(args.concurrency === undefined ? {} : { concurrency: args.concurrency }) };
    const env = configured.env;
    const config = resolveConfig(loaded.config, withFlags, {
      file: loaded.file,
      env,
      ...configured.resolveContext,
      scorerNames: builtinScorerNames,
    });
    if (manifest && manifest.configHash !== config.hash) {
      const changes = describeChanges(manifest.config, configSnapshot(config));
      throw new UsageError(
        `${previousDir}: the config changed since the run started (${changes.length ? changes.join('; ') : 'fingerprint differs'}); restore it, or start a new run`,
      );
    }

    // A resumed run keeps comparing with (and saving) the baseline it was started with.
    const baselineRef = args.baseline ?? (args.resume ? manifest?.baseline : undefined);
    const saveBaselineRef = args.saveBaseline ?? (args.resume ? manifest?.saveBaseline : undefined);
    // With --json, stdout carries the one JSON document: every other line goes to stderr.
    const out: CliIo = args.json ? { ...io, stdout: io.stderr, stderr: io.stderr, interrupt: io.interrupt } : io;
    const tracking = await openBaselineTracking({ baseline: baselineRef, saveBaseline: saveBaselineRef }, config, out);
    const shardText = manifest?.overrides.shard ?? args.shard;
    const shard = shardText ? parseShard(shardText) : undefined;
    const prepared = await prepareRun(config, {
      cwd: io.cwd,
      datasetsDir: io.datasetsDir,
      ...(shard ? { includeRow: inShard(shard) } : {}),
    });
    if (emulator) await emulator.learnAnswers(prepared);
    // Not an empty dataset (that is exit 2): the shard's share of a small dataset can be nothing.
    if (shard && prepared.rowCount === 0)
      io.stderr(
        `--shard ${shardText}: none of the ${prepared.datasetRows} rows of ${prepared.datasetName} falls in shard ${shard.index} of ${shard.count}; this shard runs nothing\n`,
      );

    const runId =
      args.resume && manifest
        ? manifest.runId
        : newRunId(new Date(), shard ? `${prepared.datasetName}-shard${shard.index}of${shard.count}` : prepared.datasetName);
    const runDir =
      args.resume && previousDir ? previousDir : args.out ? resolve(io.cwd, args.out) : runDirectory(resolve(io.cwd, config.outDir), runId);
    const resume = previousDir ? await resumeOptions(previousDir, Boolean(args.retryErrors)) : undefined;

    const reporters = await createRunReporters({
      outDir: runDir,
      env: io.env,
      write: args.quiet || args.json ? undefined : (line) => io.stdout(`${line}\n`),
      color: io.isTTY && !io.env.NO_COLOR,
      ...(tracking ? { baseline: tracking.tracker.section, extra: [tracking.tracker] } : {}),
    });
    const newManifest: RunManifest = {
      version: 1,
      runId,
      configFile: loaded.file,
      datasetPath: prepared.dataset.path,
      overrides: {
        ...(overrides.dataset ? { dataset: overrides.dataset } : {}),
        ...(overrides.targets ? { targets: overrides.targets } : {}),
        ...(overrides.limit === undefined ? {} : { limit: overrides.limit }),
        ...(overrides.repeats === undefined ? {} : { repeats: overrides.repeats }),
        ...(shardText ? { shard: shardText } : {}),
      },
      ...(baselineRef ? { baseline: baselineRef } : {}),
      ...(saveBaselineRef ? { saveBaseline: saveBaselineRef } : {}),
      configHash: config.hash,
      config: configSnapshot(config),
    };

    const emulatorOnly = config.targets.every((t) =>
      t.deployments.every((d) => emulator !== undefined && d.baseURL.startsWith(emulator.origin)),
    );
    const abort = io.interrupt();
    let result: RunEvalResult;
    try {
      const options: RunEvalOptions = {
        prepared,
        runDir,
        runId,
        env,
        signal: abort.signal,
        hardSignal: abort.hardSignal,
        emulator: emulatorOnly,
        reporters,
        resumeCommand: resumeCommand(io.env, runDir),
        tty: io.isTTY,
        ...(args.quiet || args.json ? {} : { progressWrite: io.stderr }),
        ...(args.scheduler ? { scheduler: args.scheduler } : {}),
        ...(shard ? { shard } : {}),
        ...(resume ? { resume } : {}),
        ...(args.cache
          ? {
              cache: createResponseCache(resolve(io.cwd, config.outDir, '.cache'), (url) =>
                emulator && url.startsWith(emulator.origin) ? `emulator:${url.slice(emulator.origin.length)}` : url,
              ),
            }
          : {}),
        onStart: async () => {
          await writeManifest(runDir, newManifest);
          if (tracking?.against) await writeBaselineInput(runDir, tracking.against);
        },
      };
      result = await runEval(options);
    } catch (error) {
      // A bug mid-run: the journal so far is intact, so say where it is and how to continue.
      if (!(error instanceof BenchError)) io.stderr(`the run's journal is in ${runDir}; resume with: ${resumeCommand(io.env, runDir)}\n`);
      throw error;
    } finally {
      abort.dispose();
    }

    for (const problem of reporters.errors) io.stderr(`warning: ${redactText(problem)}\n`);
    const completed = result.end.reason === 'completed' && result.tally.blocked.size === 0;
    const baselineVerdict = tracking ? await closeBaselineTracking(tracking, completed, out) : { regressed: false };
    const summary = await readSummary(runDir);
    const gates = summary
      ? evaluateThresholds(summary, config.thresholds, result.tally.blocked)
      : { failures: ['report.json was not written; thresholds could not be checked'] };
    if (args.json) {
      const blocked = Object.fromEntries([...result.tally.blocked].map(([k, v]) => [k, [...v]]));
      const regression = tracking?.label === undefined ? null : { baseline: tracking.label, regressed: baselineVerdict.regressed };
      io.stdout(
        `${JSON.stringify(jsonOutput({ runDir, reason: result.end.reason, ok: result.tally.ok, failed: result.tally.failed, blocked, thresholdFailures: gates.failures, regression, summary: summary ?? null }))}\n`,
      );
    }
    // The cause first (a wrong key, a missing deployment), then the gates it made fail.
    for (const line of await blockedTargetLines(runDir, config, result.tally.blocked)) io.stderr(`${line}\n`);
    for (const failure of gates.failures) io.stderr(`threshold failed: ${failure}\n`);
    if (result.end.reason === 'aborted') io.stderr(`interrupted; partial reports written. Resume with: ${resumeCommand(io.env, runDir)}\n`);
    if (result.end.reason === 'incomplete')
      io.stderr(
        `incomplete: ${result.notRun} batch cell(s) of expired or cancelled jobs were not run; resume with: ${resumeCommand(io.env, runDir)}\n`,
      );
    out.stdout(`run directory: ${runDir}\n`);
    if (result.end.reason === 'aborted') return EXIT.interrupted;
    if (result.tally.blocked.size > 0 || result.end.reason === 'failed' || result.end.reason === 'incomplete') return EXIT.incomplete;
    if (gates.failures.length > 0 || baselineVerdict.regressed) return EXIT.thresholds;
    return EXIT.ok;
  } finally {
    await emulator?.close();
  }
}

// --- internal ---

/** The part of the resolved config that decides results (what the hash covers), for change messages. */
function configSnapshot(config: ResolvedConfig): unknown {
  const { file: _file, outDir: _outDir, hash: _hash, ...rest } = config;
  return JSON.parse(JSON.stringify(redactConfig(rest)));
}

function rejectMatrixFlags(args: EvalArgs, flag: string): void {
  const given = (['dataset', 'targets', 'limit', 'repeats', 'shard'] as const).filter((name) => {
    const value = args[name];
    return Array.isArray(value) ? value.length > 0 : value !== undefined;
  });
  if (given.length)
    throw new UsageError(`${flag} continues the run as it was started; drop ${given.map((name) => `--${name}`).join(', ')}`);
}

async function resumeOptions(previousDir: string, retryErrors: boolean): Promise<NonNullable<RunEvalOptions['resume']>> {
  const journalPath = join(previousDir, 'journal.jsonl');
  const state = await loadResumeState(journalPath);
  if (!retryErrors) return { completed: state.completed, recovered: state.recovered, seed: () => readJournal(journalPath) };
  // Re-run failed cells into a new directory: copy everything else, drop the failed cells' records.
  const completed = new Set([...state.completed].filter((key) => !state.failed.has(key)));
  return {
    completed,
    recovered: state.recovered,
    writeSeed: true,
    seed: async function* () {
      for await (const record of readJournal(journalPath)) {
        if ((record.kind === 'result' || record.kind === 'attempt') && state.failed.has(record.key)) continue;
        yield record;
      }
    },
  };
}
