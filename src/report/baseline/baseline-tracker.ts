/**
 * A reporter that folds the live run into its own Baseline, for `eval --save-baseline` and for the
 * "vs baseline" section of summary.md and report.html. Reporters see every result before any run end,
 * so `comparison()` is complete whenever another reporter's `onRunEnd` asks for it. With a baseline to
 * compare with, it also writes the comparison as JSON into the run directory, for CI tooling.
 */
import { join } from 'node:path';
import type { Reporter } from '../../types.ts';
import { writeFileAtomic } from '../output-files.ts';
import type { Baseline, Comparison, RegressionThresholds } from './baseline-types.ts';
import { createBaselineBuilder } from './build-baseline.ts';
import { compareBaselines } from './compare-baseline.ts';

/** Written to the run directory when the run is compared with a baseline: the whole Comparison. */
export const BASELINE_COMPARISON_FILE = 'baseline-comparison.json';

/** What the markdown and HTML reporters render as "vs baseline" (see ReporterOptions.baseline). */
export interface BaselineSection {
  /** How the user named the baseline (`nightly`, a path), shown in the heading. */
  readonly label: string;
  /** The comparison of the run so far with the baseline; memoised after the first call. */
  comparison(): Comparison;
}

export interface BaselineTrackerOptions {
  /** Compare the run with this baseline. */
  readonly against?: {
    readonly baseline: Baseline;
    readonly label: string;
    /** Missing fields take the defaults. */
    readonly thresholds?: Partial<RegressionThresholds>;
  };
}

export interface BaselineTracker extends Reporter {
  /** The run's own baseline, from every record seen (call after the run). */
  current(): Baseline;
  /** Present when `against` was given: pass it as `ReporterOptions.baseline`. */
  readonly section: BaselineSection | undefined;
}

export function createBaselineTracker(options: BaselineTrackerOptions = {}): BaselineTracker {
  const builder = createBaselineBuilder();
  let done = false;
  const current = () => {
    done = true;
    return builder.finish();
  };
  const against = options.against;
  let comparison: Comparison | undefined;
  const section: BaselineSection | undefined = against && {
    label: against.label,
    comparison: () => (comparison ??= compareBaselines(against.baseline, current(), against.thresholds ?? {})),
  };
  return {
    name: 'baseline',
    // Attempts and the run end add nothing a baseline keeps (latency comes from the results).
    onRunStart: (record) => (done ? undefined : builder.add(record)),
    onResult: (record) => (done ? undefined : builder.add(record)),
    async onRunEnd(_end, outDir) {
      if (section)
        await writeFileAtomic(
          join(outDir, BASELINE_COMPARISON_FILE),
          `${JSON.stringify({ label: section.label, ...section.comparison() }, null, 2)}\n`,
        );
    },
    current,
    section,
  };
}
