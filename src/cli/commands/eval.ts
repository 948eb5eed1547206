/**
 * `batchbench eval`: load and resolve the config, start the embedded emulator when the config asks
 * for it, check the dataset up front, run, and turn the outcome into an exit code.
 */
import { resolve } from 'node:path';
import { loadConfig } from '../../config/load-config.ts';
import { resolveConfig } from '../../config/resolve-config.ts';
import type { CliOverrides } from '../../config/bench-config.ts';
import { builtinScorerNames } from '../../run/scorer-names.ts';
import { prepareRun } from '../../run/prepare-run.ts';
import { runEval } from '../../run/run-eval.ts';
import { evaluateThresholds, readSummary } from '../../run/thresholds.ts';
import { createRunReporters } from '../../run/run-reporters.ts';
import { newRunId, runDirectory } from '../../run/run-directory.ts';
import { inShard, parseShard } from '../../run/shard.ts';
import { startEmbeddedEmulator, type EmbeddedEmulator } from '../embedded-emulator.ts';
import { EXIT, type CliIo } from '../io.ts';

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
}

export async function evalCommand(args: EvalArgs, io: CliIo): Promise<number> {
  const loaded = await loadConfig({ cwd: io.cwd, ...(args.config ? { file: args.config } : {}) });
  const raw = loaded.config as { emulator?: Record<string, unknown> };
  let emulator: EmbeddedEmulator | undefined;
  try {
    if (raw && typeof raw === 'object' && raw.emulator) emulator = await startEmbeddedEmulator(raw.emulator, io.env);
    const overrides: CliOverrides = {
      ...(args.dataset ? { dataset: args.dataset } : {}),
      ...(args.targets?.length ? { targets: [...args.targets] } : {}),
      ...(args.limit === undefined ? {} : { limit: args.limit }),
      ...(args.repeats === undefined ? {} : { repeats: args.repeats }),
      ...(args.concurrency === undefined ? {} : { concurrency: args.concurrency }),
      ...(args.out ? { outDir: args.out } : {}),
    };
    const env = emulator ? { ...io.env, ...emulator.env } : io.env;
    const config = resolveConfig(loaded.config, overrides, {
      file: loaded.file,
      env,
      ...(emulator ? { emulatorBaseURL: emulator.baseURL } : {}),
      scorerNames: builtinScorerNames,
    });
    const shard = args.shard ? parseShard(args.shard) : undefined;
    const prepared = await prepareRun(config, { cwd: io.cwd, datasetsDir: io.datasetsDir, ...(shard ? { includeRow: inShard(shard) } : {}) });
    if (emulator) await emulator.learnAnswers(prepared);

    const runId = newRunId(new Date(), shard ? `${prepared.datasetName}-shard${shard.index}of${shard.count}` : prepared.datasetName);
    const runDir = args.out ? resolve(io.cwd, args.out) : runDirectory(resolve(io.cwd, config.outDir), runId);
    const reporters = await createRunReporters({
      outDir: runDir,
      env: io.env,
      write: args.quiet || args.json ? undefined : (line) => io.stdout(`${line}\n`),
      color: io.isTTY && !io.env.NO_COLOR,
    });

    const emulatorOnly = config.targets.every((t) => t.deployments.every((d) => emulator !== undefined && d.baseURL.startsWith(emulator.origin)));
    const abort = io.interrupt();
    const result = await runEval({
      prepared,
      runDir,
      runId,
      env,
      signal: abort.signal,
      emulator: emulatorOnly,
      reporters,
      ...(args.quiet || args.json ? {} : { progressWrite: io.stderr }),
      tty: io.isTTY,
      ...(args.scheduler ? { scheduler: args.scheduler } : {}),
      hardSignal: abort.hardSignal,
      ...(shard ? { shard } : {}),
    });
    abort.dispose();

    for (const problem of reporters.errors) io.stderr(`warning: ${problem}\n`);
    const summary = await readSummary(runDir);
    const gates = summary ? evaluateThresholds(summary, config.thresholds) : { failures: ['report.json was not written; thresholds could not be checked'] };
    if (args.json) io.stdout(`${JSON.stringify({ runDir, reason: result.end.reason, tally: { ...result.tally, blocked: Object.fromEntries([...result.tally.blocked].map(([k, v]) => [k, [...v]])) }, gates })}\n`);

    for (const failure of gates.failures) io.stderr(`threshold failed: ${failure}\n`);
    for (const [target, reasons] of result.tally.blocked) {
      io.stderr(`target ${target} could not be completed: ${[...reasons].join(', ')}\n`);
    }
    if (result.end.reason === 'aborted') {
      io.stderr(`interrupted; resume with: batchbench eval --resume ${runDir}\n`);
    }
    io.stdout(`run directory: ${runDir}\n`);
    if (result.end.reason === 'aborted') return EXIT.interrupted;
    if (result.tally.blocked.size > 0 || result.end.reason === 'failed') return EXIT.incomplete;
    if (gates.failures.length > 0) return EXIT.thresholds;
    return EXIT.ok;
  } finally {
    await emulator?.close();
  }
}
