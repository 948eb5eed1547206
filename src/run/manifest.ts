/**
 * `manifest.json` in every run directory: what is needed to resume the run exactly as it was started
 * (config file, dataset, command-line choices) and the redacted resolved config, so a changed config
 * can be named field by field. Written atomically; holds no secret (only environment variable names).
 */
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';

export const MANIFEST_FILE = 'manifest.json';

export interface RunManifest {
  readonly version: 1;
  readonly runId: string;
  readonly configFile: string;
  readonly datasetPath: string;
  readonly overrides: {
    /** `--dataset` as given (resolved again on resume, exactly as the first time). */
    readonly dataset?: string;
    readonly targets?: readonly string[];
    readonly limit?: number;
    readonly repeats?: number;
    readonly shard?: string;
  };
  /** `--baseline` / `--save-baseline` as given, re-applied on resume. */
  readonly baseline?: string;
  readonly saveBaseline?: string;
  readonly configHash: string;
  /** Redacted resolved config, for naming what changed on resume. */
  readonly config: unknown;
}

export async function writeManifest(runDir: string, manifest: RunManifest): Promise<void> {
  const path = join(runDir, MANIFEST_FILE);
  await writeFile(`${path}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(`${path}.tmp`, path);
}

export async function readManifest(runDir: string): Promise<RunManifest> {
  let text: string;
  try {
    text = await readFile(join(runDir, MANIFEST_FILE), 'utf8');
  } catch {
    if (!existsSync(runDir))
      throw new UsageError(
        `${runDir}: no such run directory; give the directory a run printed as "run directory: …" (under reports/ by default)`,
      );
    throw new UsageError(`${runDir}: not a batchbench run directory (no ${MANIFEST_FILE})`);
  }
  try {
    const manifest = JSON.parse(text) as RunManifest;
    if (manifest.version !== 1) throw new Error('unknown version');
    return manifest;
  } catch {
    throw new UsageError(`${join(runDir, MANIFEST_FILE)}: unreadable run manifest`);
  }
}

/** Paths whose values differ between two JSON values, e.g. `targets[0].params.temperature: 0 → 0.7`. */
export function describeChanges(before: unknown, after: unknown, path = '', out: string[] = []): string[] {
  if (out.length >= 10) return out;
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) describeChanges(before[key], after[key], path ? `${path}.${key}` : key, out);
  } else if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    for (let i = 0; i < length; i++) describeChanges(before[i], after[i], `${path}[${i}]`, out);
  } else if (JSON.stringify(before) !== JSON.stringify(after)) {
    out.push(`${path || '(root)'}: ${short(before)} → ${short(after)}`);
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function short(value: unknown): string {
  if (value === undefined) return '(unset)';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
