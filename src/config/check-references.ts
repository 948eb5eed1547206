/**
 * Checks that span several parts of the config: unique target names and deployment ids, header names
 * that would carry secrets, per-target thresholds naming real targets, and the CLI overrides. They read
 * the raw config defensively, so they report even when other parts failed their shape checks.
 */
import { closestMatch } from '../internal/did-you-mean.ts';
import type { CliOverrides } from './bench-config.ts';
import { formatPath, describeValue } from './format-issues.ts';
import { DEFAULT_FLEX_FALLBACK_AFTER, defaultDeploymentId } from './resolve-targets.ts';
import { retryDefaults } from './defaults.ts';
import { SECRET_FIX, isSecretHeaderName, isSecretKeyName } from './secrets.ts';

/** Every cross-reference problem, as one-line messages. */
export function checkReferences(config: Readonly<Record<string, unknown>>, overrides: CliOverrides): string[] {
  const targets = Array.isArray(config['targets']) ? (config['targets'] as unknown[]) : [];
  const names = targetNames(targets);
  return [
    ...checkUniqueNames(targets),
    ...checkUniqueDeploymentIds(targets),
    ...checkSecretHeaders(targets),
    ...checkFlexFallback(targets, field(config['retry'], 'maxAttempts')),
    ...checkPerTargetThresholds(config['thresholds'], names),
    ...checkOverrides(overrides, names),
  ];
}

/** Names of the targets that have a string name, in order. */
export function targetNames(targets: readonly unknown[]): string[] {
  return targets.flatMap((target) => {
    const name = field(target, 'name');
    return typeof name === 'string' ? [name.trim()] : [];
  });
}

/** "unknown target "x" (did you mean "y"?); known targets are a, b". */
export function unknownTargetMessage(name: string, known: readonly string[]): string {
  const suggestion = closestMatch(name, known);
  const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
  return `unknown target ${JSON.stringify(name)}${hint}; known targets are ${known.join(', ') || '(none)'}`;
}

// --- internal ---

/** flexFallback needs a flex target, and room among the cell's attempts to fall back at all. */
function checkFlexFallback(targets: readonly unknown[], maxAttemptsRaw: unknown): string[] {
  const maxAttempts = typeof maxAttemptsRaw === 'number' ? maxAttemptsRaw : retryDefaults.maxAttempts;
  const issues: string[] = [];
  targets.forEach((target, index) => {
    const fallback = field(target, 'flexFallback');
    const after = field(target, 'flexFallbackAfter');
    if (fallback === undefined) {
      if (after !== undefined)
        issues.push(`targets[${index}].flexFallbackAfter: only used with flexFallback: 'standard'; add it or remove flexFallbackAfter`);
      return;
    }
    if (field(target, 'serviceTier') !== 'flex')
      issues.push(`targets[${index}].flexFallback: needs serviceTier: 'flex' (only flex requests fall back to the standard tier)`);
    const n = typeof after === 'number' ? after : DEFAULT_FLEX_FALLBACK_AFTER;
    if (n >= maxAttempts)
      issues.push(
        `targets[${index}].flexFallbackAfter: ${n} flex capacity 429s leave no attempt for the standard tier with retry.maxAttempts ${maxAttempts}; expected fewer than ${maxAttempts}`,
      );
  });
  return issues;
}

function checkUniqueNames(targets: readonly unknown[]): string[] {
  const firstIndex = new Map<string, number>();
  const issues: string[] = [];
  targets.forEach((target, index) => {
    const name = field(target, 'name');
    if (typeof name !== 'string') return;
    const first = firstIndex.get(name.trim());
    if (first === undefined) firstIndex.set(name.trim(), index);
    else issues.push(`targets[${index}].name: duplicate target name ${JSON.stringify(name)} (first used by targets[${first}])`);
  });
  return issues;
}

function checkUniqueDeploymentIds(targets: readonly unknown[]): string[] {
  const firstPath = new Map<string, string>();
  const issues: string[] = [];
  targets.forEach((target, targetIndex) => {
    const name = field(target, 'name');
    const deployments = field(target, 'deployments');
    if (!Array.isArray(deployments)) return;
    deployments.forEach((deployment: unknown, index) => {
      const explicit = field(deployment, 'id');
      const model = field(deployment, 'deployment');
      const id =
        typeof explicit === 'string'
          ? explicit.trim()
          : typeof name === 'string' && typeof model === 'string'
            ? defaultDeploymentId(name.trim(), model.trim())
            : undefined;
      if (id === undefined) return;
      const path = `targets[${targetIndex}].deployments[${index}]`;
      const first = firstPath.get(id);
      if (first === undefined) firstPath.set(id, path);
      else
        issues.push(`${path}.id: duplicate deployment id ${JSON.stringify(id)} (first used by ${first}); give one of them an explicit id`);
    });
  });
  return issues;
}

/** Credentials smuggled in through request headers or extra body fields. */
function checkSecretHeaders(targets: readonly unknown[]): string[] {
  return targets.flatMap((target, index) => {
    const headers = field(target, 'headers');
    const extraBody = field(target, 'extraBody');
    const headerNames = headers !== null && typeof headers === 'object' ? Object.keys(headers).filter(isSecretHeaderName) : [];
    const bodyKeys = extraBody !== null && typeof extraBody === 'object' ? Object.keys(extraBody).filter(isSecretKeyName) : [];
    return [
      ...headerNames.map((name) => `${formatPath(['targets', index, 'headers', name])}: ${SECRET_FIX}`),
      ...bodyKeys.map((name) => `${formatPath(['targets', index, 'extraBody', name])}: ${SECRET_FIX}`),
    ];
  });
}

function checkPerTargetThresholds(thresholds: unknown, names: readonly string[]): string[] {
  const perTarget = field(thresholds, 'perTarget');
  if (perTarget === null || typeof perTarget !== 'object' || Array.isArray(perTarget)) return [];
  return Object.keys(perTarget)
    .filter((name) => !names.includes(name))
    .map((name) => `${formatPath(['thresholds', 'perTarget', name])}: ${unknownTargetMessage(name, names)}`);
}

function checkOverrides(overrides: CliOverrides, names: readonly string[]): string[] {
  const issues: string[] = [];
  for (const name of overrides.targets ?? []) {
    if (!names.includes(name)) issues.push(`--targets: ${unknownTargetMessage(name, names)}`);
  }
  for (const [flag, value] of [
    ['--limit', overrides.limit],
    ['--repeats', overrides.repeats],
    ['--concurrency', overrides.concurrency],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1))
      issues.push(`${flag}: expected an integer ≥ 1, got ${describeValue(value)}`);
  }
  if (overrides.dataset !== undefined && overrides.dataset.trim() === '') issues.push('--dataset: expected a file path, got ""');
  if (overrides.outDir !== undefined && overrides.outDir.trim() === '') issues.push('--out-dir: expected a directory path, got ""');
  return issues;
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}
