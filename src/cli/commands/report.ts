/** `batchbench report <run-dir>`: re-render every output of a run from its journal. */
import { resolve } from 'node:path';
import { rerenderRun } from '../../run/replay-journal.ts';
import { isLoadRun, rerenderLoadRun } from '../../run/rerender-load.ts';
import { redactText } from '../../internal/redact.ts';
import { EXIT, type CliIo } from '../io.ts';

export async function reportCommand(args: { readonly runDir: string }, io: CliIo): Promise<number> {
  const runDir = resolve(io.cwd, args.runDir);
  // A `batchbench load` run (its journal starts with load-start) has its own reports.
  if (await isLoadRun(runDir)) {
    await rerenderLoadRun(runDir);
    io.stdout(`run directory: ${runDir}\n`);
    return EXIT.ok;
  }
  const { errors } = await rerenderRun({ runDir, env: io.env, write: (line) => io.stdout(line.endsWith('\n') ? line : `${line}\n`) });
  for (const error of errors) io.stderr(`warning: ${redactText(error)}\n`);
  io.stdout(`run directory: ${runDir}\n`);
  return errors.length ? EXIT.incomplete : EXIT.ok;
}
