/**
 * What report.html shows beyond the shared summary: each target's settings (from the run-start
 * record) and accuracy grouped by the dataset's label column (`__label`, `category`) or else its
 * `__description`. Fed the same records as every reporter, so a live run and `batchbench report DIR`
 * build the same page.
 */
import type { ResultRecord, RunStartRecord, TargetInfo } from '../../types.ts';
import { resultPassed } from '../metrics.ts';

/** Descriptions are grouped only while there are at most this many distinct ones (else they are per-row text). */
export const MAX_LABELS = 50;

export interface LabelTally {
  readonly label: string;
  /** Per target: [results, passed, scored]. */
  readonly byTarget: Readonly<Record<string, readonly [number, number, number]>>;
}

export interface ReportExtras {
  /** Targets as the (last) run-start record describes them. */
  readonly targets: readonly TargetInfo[];
  /** `null` when the dataset has no descriptions, or too many distinct ones to group. */
  readonly labels: readonly LabelTally[] | null;
  /** Distinct groups seen (capped at MAX_LABELS + 1). */
  readonly distinctLabels: number;
  /** What the groups are: a label column (`__label`, `category`) when rows have one, else `__description`. */
  readonly source: 'label' | 'description';
}

export interface ReportExtrasBuilder {
  addStart(record: RunStartRecord): void;
  addResult(record: ResultRecord): void;
  finish(): ReportExtras;
}

export function createReportExtras(): ReportExtrasBuilder {
  let targets: readonly TargetInfo[] = [];
  const labelIndex = new Map<string, number>();
  // Per result key: the label and verdict counted, so a re-recorded cell (--retry-errors) replaces its earlier record.
  const counted = new Map<string, { label: number; target: string; passed: boolean | null }>();
  let overflow = false;
  let byLabelColumn = false;

  return {
    addStart(record) {
      targets = record.targets;
    },
    addResult(record) {
      const text = record.label ?? record.description;
      if (text === undefined || overflow) return;
      if (record.label !== undefined) byLabelColumn = true;
      let label = labelIndex.get(text);
      if (label === undefined) {
        if (labelIndex.size >= MAX_LABELS) {
          overflow = true;
          counted.clear();
          return;
        }
        label = labelIndex.size;
        labelIndex.set(text, label);
      }
      counted.set(record.key, { label, target: record.target, passed: resultPassed(record) });
    },
    finish() {
      const distinctLabels = labelIndex.size + (overflow ? 1 : 0);
      if (overflow || labelIndex.size < 2)
        return { targets, labels: null, distinctLabels, source: byLabelColumn ? 'label' : 'description' };
      const tallies = [...labelIndex.keys()].map((label) => ({ label, byTarget: {} as Record<string, [number, number, number]> }));
      for (const { label, target, passed } of counted.values()) {
        const byTarget = tallies[label]!.byTarget;
        byTarget[target] ??= [0, 0, 0];
        const tally = byTarget[target];
        tally[0]++;
        if (passed === true) tally[1]++;
        if (passed !== null) tally[2]++;
      }
      tallies.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
      return { targets, labels: tallies, distinctLabels, source: byLabelColumn ? 'label' : 'description' };
    },
  };
}
