/** Run ids and directories: `reports/<UTC timestamp>-<dataset name>/`, sortable and filesystem-safe. */
import { existsSync } from 'node:fs';
import { join, parse } from 'node:path';

export function newRunId(date: Date, datasetName: string): string {
  const stamp = date
    .toISOString()
    .replace(/[:.]/g, '-')
    .replace(/-\d{3}Z$/, 'Z');
  const name =
    parse(datasetName)
      .name.replace(/[^A-Za-z0-9_-]+/g, '-')
      .slice(0, 40) || 'dataset';
  return `${stamp}-${name}`;
}

/** A run directory that does not exist yet: two runs started in the same second get `-2`, `-3`, … */
export function runDirectory(outDir: string, runId: string): string {
  let dir = join(outDir, runId);
  for (let n = 2; existsSync(dir); n++) dir = join(outDir, `${runId}-${n}`);
  return dir;
}
