/**
 * What report.html shows beyond the shared summary: each target's settings (from the run-start
 * record) and accuracy grouped by the dataset's label column (`__label`, `category`) or else its
 * `__description`. Fed the same records as every reporter, so a live run and `batchbench report DIR`
 * build the same page.
 */
import type { ResultRecord, RunStartRecord, TargetInfo } from '../../types.ts';
import { IntTable } from '../columns.ts';
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

/**
 * Tallies are counted as results arrive. To let a re-recorded cell replace its earlier record, each
 * target remembers what every cell contributed in 4 bytes (an Int32 table indexed by a cell number),
 * not a Map of result keys to objects: for 100k labelled rows × 3 targets that kept 38.7 MB, this
 * keeps the Int32 tables, ~0.4 MB per target. Nothing is kept for a dataset without labels or
 * descriptions.
 *
 * @param cellOf the cell number of a result's (row, repeat), from a fold that has already seen it (the
 *   shared summary: the fan-out folds each record before any reporter sees it)
 */
export function createReportExtras(cellOf: (result: ResultRecord) => number | undefined): ReportExtrasBuilder {
  let targets: readonly TargetInfo[] = [];
  const labelIndex = new Map<string, number>();
  /** Per label number, per target: [results, passed, scored]. */
  let tallies: Map<string, [number, number, number]>[] = [];
  /** Per target: cell number → label × 4 + verdict code + 1 (0: not counted). */
  let contributions = new Map<string, IntTable>();
  let overflow = false;
  let byLabelColumn = false;

  const count = (label: number, target: string, verdict: number, sign: 1 | -1): void => {
    let tally = tallies[label]!.get(target);
    if (!tally) {
      tally = [0, 0, 0];
      tallies[label]!.set(target, tally);
    }
    tally[0] += sign;
    if (verdict === PASSED) tally[1] += sign;
    if (verdict !== UNSCORED) tally[2] += sign;
  };

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
          tallies = [];
          contributions = new Map();
          return;
        }
        label = labelIndex.size;
        labelIndex.set(text, label);
        tallies.push(new Map());
      }
      const cell = cellOf(record);
      let table = contributions.get(record.target);
      if (!table) {
        table = new IntTable();
        contributions.set(record.target, table);
      }
      // A cell the fold never numbered (its record failed to fold) is counted but cannot be replaced later.
      const earlier = cell === undefined ? 0 : table.get(cell);
      if (earlier > 0) count((earlier - 1) >> 2, record.target, (earlier - 1) & 3, -1);
      const passed = resultPassed(record);
      const verdict = passed === null ? UNSCORED : passed ? PASSED : FAILED;
      count(label, record.target, verdict, 1);
      if (cell !== undefined) table.set(cell, label * 4 + verdict + 1);
    },
    finish() {
      const distinctLabels = labelIndex.size + (overflow ? 1 : 0);
      if (overflow || labelIndex.size < 2)
        return { targets, labels: null, distinctLabels, source: byLabelColumn ? 'label' : 'description' };
      const labels = [...labelIndex.entries()].map(([label, index]) => ({
        label,
        byTarget: Object.fromEntries([...tallies[index]!.entries()].map(([target, tally]) => [target, [...tally] as const])),
      }));
      labels.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
      return { targets, labels, distinctLabels, source: byLabelColumn ? 'label' : 'description' };
    },
  };
}

const UNSCORED = 0;
const FAILED = 1;
const PASSED = 2;
