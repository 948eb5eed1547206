/**
 * Everything that can be checked before the first request: the dataset opens and parses end to end,
 * the prompt template only names real columns, scorers exist. A problem here is a one-line error and
 * exit 2, with nothing sent and nothing written.
 */
import { basename } from 'node:path';
import { openDataset } from '../dataset/open-dataset.ts';
import type { Dataset } from '../dataset/dataset.ts';
import { resolveDatasetPath } from '../dataset/resolve-dataset-path.ts';
import { createPromptBuilder } from '../dataset/prompt-builder.ts';
import { scanDataset } from '../dataset/validate-dataset.ts';
import { createScorers } from '../scoring/registry.ts';
import { estimateAdmissionCost } from '../providers/estimate-cost.ts';
import { ConfigError, UsageError } from '../errors.ts';
import type { ModelParams, PromptInput, Row, Scorer } from '../types.ts';
import type { ResolvedConfig } from '../config/bench-config.ts';

export interface PreparedRun {
  readonly config: ResolvedConfig;
  readonly dataset: Dataset;
  /** File name of the dataset, for run directory names and reports. */
  readonly datasetName: string;
  /** Rows this run covers: after `--limit` and the row filter (shard). */
  readonly rowCount: number;
  /** Rows in the whole dataset. */
  readonly datasetRows: number;
  readonly rows: () => AsyncIterable<Row>;
  readonly scorers: readonly Scorer[];
  readonly buildInput: (row: Row) => PromptInput;
  readonly estimateCost: (params: ModelParams) => (input: PromptInput) => number;
  /** Row filter (shards, --retry-errors). */
  readonly includeRow?: (row: Row) => boolean;
}

export interface PrepareOptions {
  readonly cwd: string;
  /** The project's bundled datasets folder, searched after the working directory. */
  readonly datasetsDir: string;
  readonly includeRow?: (row: Row) => boolean;
}

export async function prepareRun(config: ResolvedConfig, options: PrepareOptions): Promise<PreparedRun> {
  if (!config.datasetPath) throw new UsageError('no dataset: pass --dataset FILE (CSV or JSONL) or set dataset.path in the config');
  const path = resolveDatasetPath(config.datasetPath, options.cwd, options.datasetsDir);
  const dataset = await openDataset(path, {
    idColumn: config.idColumn,
    ...(config.expectedColumn ? { expectedColumn: config.expectedColumn } : {}),
  });
  const prompt = inConfigFile(config.file, () => createPromptBuilder(config.prompt, dataset));
  const scan = await scanDataset(dataset, prompt);
  const limited = config.limit === undefined ? scan.rows : Math.min(scan.rows, config.limit);
  const rowCount = options.includeRow ? await countIncluded(dataset, options.includeRow, config.limit) : limited;
  const hasExpected = dataset.expectedColumn !== undefined;
  const scorers = inConfigFile(config.file, () => createScorers(config.scorersAreDefault && !hasExpected ? [] : config.scorers));
  checkPassRule(config, scorers);
  return {
    config,
    dataset,
    datasetName: basename(path),
    rowCount,
    datasetRows: scan.rows,
    // scanDataset read every row with the duplicate check; the run's re-reads (one per target) skip it.
    rows: () => dataset.rows({ idsChecked: true }),
    scorers,
    buildInput: (row) => prompt.build(row),
    estimateCost: (params) => (input) => estimateAdmissionCost(input, params),
    ...(options.includeRow ? { includeRow: options.includeRow } : {}),
  };
}

async function countIncluded(dataset: Dataset, includeRow: (row: Row) => boolean, limit: number | undefined): Promise<number> {
  let seen = 0;
  let included = 0;
  for await (const row of dataset.rows()) {
    if (limit !== undefined && seen >= limit) break;
    seen++;
    if (includeRow(row)) included++;
  }
  return included;
}

/**
 * Scorer options and the prompt template are checked here, after the dataset opened, not by
 * resolveConfig; they are still config mistakes, so their messages name the config file like the rest.
 */
function inConfigFile<T>(file: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof ConfigError && !error.message.startsWith(`${file}: `)) throw new ConfigError(error.issues, { file, cause: error });
    throw error;
  }
}

/** `pass` must be 'all', 'any' or the name of a scorer of this run. @throws ConfigError */
function checkPassRule(config: ResolvedConfig, scorers: readonly Scorer[]): void {
  const rule = config.pass;
  if (rule === undefined || rule === 'all' || rule === 'any' || scorers.some((s) => s.name === rule)) return;
  const names = scorers.map((s) => `'${s.name}'`).join(', ');
  throw new ConfigError([`pass: expected 'all', 'any' or the name of a scorer${names ? ` (${names})` : ''}, got '${rule}'`], {
    file: config.file,
  });
}
