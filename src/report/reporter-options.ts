/** Options every built-in reporter accepts, and the summary they share. */
import type { BaselineSection } from './baseline/baseline-tracker.ts';
import type { SummaryOptions } from './summarize.ts';

export interface ReporterOptions {
  /** Run directory. Known up front so CSV and JUnit can stream results as they arrive. */
  readonly outDir: string;
  /** Environment (for GITHUB_STEP_SUMMARY). @default {} — pass process.env from the CLI. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where the console reporter prints, one line per call. @default no output */
  readonly write?: (line: string) => void;
  /** ANSI colour in the console summary; the CLI passes `stdout.isTTY && !NO_COLOR`. @default false */
  readonly color?: boolean;
  /** Terminal width for the console table. @default 120 */
  readonly columns?: number;
  /** Row sample size and bootstrap resamples. */
  readonly summary?: SummaryOptions;
  /**
   * Adds a "vs baseline" section to summary.md and report.html (from `createBaselineTracker`, which
   * must also be one of the run's reporters). Absent: those outputs are unchanged.
   */
  readonly baseline?: BaselineSection;
}
