/**
 * The reporters of a run directory. The live run and `batchbench report` build them the same way, so
 * a re-render writes exactly what the run wrote.
 */
import { builtinReporterNames, createReporters } from '../report/registry.ts';
import type { BaselineSection } from '../report/baseline/baseline-tracker.ts';
import type { Reporter } from '../types.ts';
import type { ReporterSet } from './run-eval.ts';

export interface RunReporterOptions {
  readonly outDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Terminal output for the console summary; omitted = no console summary. */
  readonly write?: ((line: string) => void) | undefined;
  readonly color?: boolean;
  readonly columns?: number;
  /** Adds the "vs baseline" section to summary.md and report.html. */
  readonly baseline?: BaselineSection | undefined;
  /** More reporters (e.g. the baseline tracker), fed before the built-ins. */
  readonly extra?: readonly Reporter[];
}

export async function createRunReporters(options: RunReporterOptions): Promise<ReporterSet> {
  const names = builtinReporterNames.filter((name) => name !== 'console' || options.write !== undefined);
  const reporters = await createReporters(names, {
    outDir: options.outDir,
    env: options.env,
    ...(options.write ? { write: options.write } : {}),
    ...(options.color === undefined ? {} : { color: options.color }),
    ...(options.columns === undefined ? {} : { columns: options.columns }),
    ...(options.baseline ? { baseline: options.baseline } : {}),
  });
  return { reporters: [...(options.extra ?? []), ...reporters], errors: [] };
}
