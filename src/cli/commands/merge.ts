/**
 * `batchbench merge <dir>… --out <dir>`: combine the run directories of `eval --shard i/n` into one
 * run directory and report. Refusals (gaps, overlaps, mismatched configs, unfinished shards) are
 * UsageErrors, which main.ts prints as one line with exit code 2.
 */
import { mergeRuns } from '../../run/merge-runs.ts';
import { redactText } from '../../internal/redact.ts';
import { EXIT, type CliIo } from '../io.ts';

export interface MergeArgs {
  /** Shard run directories, in any order (relative to the working directory). */
  readonly dirs: readonly string[];
  /** The merged run directory; must not exist or be empty. */
  readonly out: string;
  /** No console summary; only the run directory line. @default false */
  readonly quiet?: boolean | undefined;
}

/**
 * @returns EXIT.ok; EXIT.thresholds when the merged run fails a threshold of its config (as an
 * unsharded eval would); EXIT.incomplete when a reporter failed. A shard whose final session was
 * aborted but holds every result only earns a warning: the merged data is complete.
 */
export async function mergeCommand(args: MergeArgs, io: CliIo): Promise<number> {
  const result = await mergeRuns(args.dirs, args.out, {
    cwd: io.cwd,
    env: io.env,
    ...(args.quiet ? {} : { write: (line: string) => io.stdout(line.endsWith('\n') ? line : `${line}\n`) }),
  });
  for (const error of result.reportErrors) io.stderr(`warning: ${redactText(error)}\n`);
  if (result.reason !== 'completed')
    io.stderr(
      `warning: a shard's final session ended as "${result.reason}" (its results are all present); the merged run is marked ${result.reason}\n`,
    );
  for (const failure of result.thresholdFailures) io.stderr(`threshold failed: ${failure}\n`);
  const rows = result.rows === null ? '' : `${result.rows} rows, `;
  io.stdout(`merged ${result.shards} run${result.shards === 1 ? '' : 's'} (${rows}${result.results} results)\n`);
  io.stdout(`run directory: ${result.runDir}\n`);
  if (result.reportErrors.length > 0) return EXIT.incomplete;
  return result.thresholdFailures.length > 0 ? EXIT.thresholds : EXIT.ok;
}
