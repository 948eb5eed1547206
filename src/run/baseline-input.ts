/**
 * When a run is compared with a baseline, the baseline and the limits used are kept in the run
 * directory (`baseline-input.json`), so `batchbench report` re-renders the "vs baseline" section
 * byte for byte, exactly like every other output.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createBaselineTracker, type BaselineTracker } from '../report/baseline/baseline-tracker.ts';
import { parseBaseline, stringifyBaseline } from '../report/baseline/baseline-json.ts';
import type { Baseline, RegressionThresholds } from '../report/baseline/baseline-types.ts';

export const BASELINE_INPUT_FILE = 'baseline-input.json';

export interface BaselineInput {
  readonly baseline: Baseline;
  readonly label: string;
  readonly thresholds: Partial<RegressionThresholds>;
}

export async function writeBaselineInput(runDir: string, input: BaselineInput): Promise<void> {
  const path = join(runDir, BASELINE_INPUT_FILE);
  const text = JSON.stringify({
    label: input.label,
    thresholds: input.thresholds,
    baseline: JSON.parse(stringifyBaseline(input.baseline)),
  });
  await writeFile(`${path}.tmp`, `${text}\n`);
  await rename(`${path}.tmp`, path);
}

/** A tracker comparing with the run's stored baseline, or undefined when the run had none. */
export async function storedBaselineTracker(runDir: string): Promise<BaselineTracker | undefined> {
  let text: string;
  try {
    text = await readFile(join(runDir, BASELINE_INPUT_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const stored = JSON.parse(text) as { label: string; thresholds: Partial<RegressionThresholds>; baseline: unknown };
  const baseline = parseBaseline(JSON.stringify(stored.baseline), join(runDir, BASELINE_INPUT_FILE));
  return createBaselineTracker({ against: { baseline, label: stored.label, thresholds: stored.thresholds } });
}
