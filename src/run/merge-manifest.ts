/**
 * The merged run's `manifest.json`: the first shard's, describing the whole dataset (no `shard`
 * override) under the merged run id, so the merged directory is a run like any other — e.g.
 * `eval --retry-errors <merged>` re-runs its failed cells across all rows.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_FILE, readManifest, writeManifest, type RunManifest } from './manifest.ts';

/**
 * Writes `runDir/manifest.json` from the manifest of `firstShardDir`, if that shard has one (runs
 * written before manifests existed have none; the merged run then has none either).
 * @returns whether a manifest was written
 */
export async function writeMergedManifest(firstShardDir: string, runDir: string, runId: string): Promise<boolean> {
  if (!existsSync(join(firstShardDir, MANIFEST_FILE))) return false;
  const shardManifest = await readManifest(firstShardDir);
  const { shard: _shard, ...overrides } = shardManifest.overrides;
  const merged: RunManifest = { ...shardManifest, runId, overrides };
  await writeManifest(runDir, merged);
  return true;
}
