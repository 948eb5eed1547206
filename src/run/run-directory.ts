/** Run ids and directories: `reports/<UTC timestamp>-<dataset name>/`, sortable and filesystem-safe. */
import { join, parse } from 'node:path';

export function newRunId(date: Date, datasetName: string): string {
  const stamp = date.toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z');
  const name = parse(datasetName).name.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 40) || 'dataset';
  return `${stamp}-${name}`;
}

export function runDirectory(outDir: string, runId: string): string {
  return join(outDir, runId);
}
