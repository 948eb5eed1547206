/**
 * A full streaming pre-pass over a dataset that surfaces every data problem (bad CSV or JSON, duplicate
 * ids, rows missing template columns) before a single request is sent.
 */
import { basename } from 'node:path';
import { DatasetError } from '../errors.ts';
import type { Dataset } from './dataset.ts';
import type { PromptBuilder } from './prompt-builder.ts';

/** Problems listed in one scan before the rest are only counted. */
export const MAX_LISTED_PROBLEMS = 20;

export interface DatasetScan {
  /** Rows that read cleanly. */
  readonly rows: number;
  /** Every problem found (the first MAX_LISTED_PROBLEMS kept; `problemCount` counts them all). */
  readonly problems: readonly DatasetError[];
  readonly problemCount: number;
}

/** Reads the whole dataset once and collects its problems without throwing for row-level ones. */
export async function collectDatasetProblems(dataset: Dataset, prompt?: Pick<PromptBuilder, 'check'>): Promise<DatasetScan> {
  const problems: DatasetError[] = [];
  let problemCount = 0;
  const report = (error: DatasetError) => {
    problemCount++;
    if (problems.length < MAX_LISTED_PROBLEMS) problems.push(error);
  };
  let rows = 0;
  try {
    for await (const row of dataset.rows({ onError: report })) {
      const problem = prompt?.check(row);
      if (problem === undefined) rows++;
      else report(problem);
    }
  } catch (error) {
    // Unrecoverable (an unclosed quote swallows the rest of the file): list it and stop.
    if (!(error instanceof DatasetError)) throw error;
    report(error);
  }
  return { rows, problems, problemCount };
}

/**
 * Scans the dataset and throws one DatasetError listing every problem found (one per line),
 * or returns the row count.
 */
export async function scanDataset(dataset: Dataset, prompt?: Pick<PromptBuilder, 'check'>): Promise<{ rows: number }> {
  const scan = await collectDatasetProblems(dataset, prompt);
  const [first, ...rest] = scan.problems;
  // An emptied file must not pass a nightly job green: zero rows is a mistake, not a run of nothing.
  if (first === undefined && scan.rows === 0)
    throw new DatasetError(basename(dataset.path), undefined, undefined, 'no data rows (only a header); add rows below the header');
  if (first === undefined) return { rows: scan.rows };
  if (scan.problemCount === 1) throw first;
  const more = scan.problemCount - scan.problems.length;
  const lines = [...rest.map((problem) => problem.message), ...(more > 0 ? [`… and ${more} more`] : [])];
  const detail = `${first.message.slice(first.message.indexOf(': ') + 2)}\n${lines.map((line) => `  ${line}`).join('\n')}`;
  throw new DatasetError(basename(dataset.path), first.line, first.column, `${detail}\n(${scan.problemCount} problems in total)`, {
    cause: first,
  });
}
