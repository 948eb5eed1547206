/**
 * The one place that validates user input: config file plus CLI overrides → a deeply frozen
 * ResolvedConfig. Every problem is collected first and thrown as one ConfigError.
 */
import { resolve as resolvePath } from 'node:path';
import { ConfigError } from '../errors.ts';
import { copyData, deepFreeze } from '../internal/deep-freeze.ts';
import type { CliOverrides, ResolveContext, ResolvedConfig, ResolvedScorerSpec } from './bench-config.ts';
import { EMPTY_AUTH_MESSAGE } from './check-deployment.ts';
import { checkReferences, targetNames } from './check-references.ts';
import { hashConfig } from './config-hash.ts';
import { createConfigSchema, type ParsedConfig } from './config-schema.ts';
import { configDefaults, regressionDefaults, retryDefaults } from './defaults.ts';
import { EMULATOR_BASE_URL } from './endpoint.ts';
import { describeValue, formatIssues } from './format-issues.ts';
import { resolveScorers } from './resolve-scorers.ts';
import { resolveTargets } from './resolve-targets.ts';

/**
 * Validates `config` (the default export of the config file), applies defaults and `overrides`, and
 * returns a frozen ResolvedConfig. Never mutates `config`.
 * @throws ConfigError listing every problem, each prefixed with its path
 */
export function resolveConfig(config: unknown, overrides: CliOverrides, context: ResolveContext): ResolvedConfig {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new ConfigError(
      [`expected the config's default export to be an object (use export default defineConfig({…})), got ${describeValue(config)}`],
      { file: context.file },
    );
  }
  const raw = config as Readonly<Record<string, unknown>>;
  const schema = createConfigSchema(context);
  const parsed = schema.safeParse(config, { reportInput: true });
  const names = targetNames(Array.isArray(raw['targets']) ? raw['targets'] : []);
  const scorerEntries = Array.isArray(raw['scorers']) ? (raw['scorers'] as unknown[]) : undefined;
  const scorers = resolveScorers(scorerEntries ?? [], context.scorerNames, names);
  const issues = [
    ...(parsed.success ? [] : formatIssues(parsed.error.issues, schema)),
    ...checkReferences(raw, overrides),
    ...scorers.issues,
    ...(context.emulatorIssues ?? []),
  ];
  if (!parsed.success || issues.length > 0) throw new ConfigError(dedupe(withoutShadowedAuth(issues)), { file: context.file });
  return build(parsed.data, overrides, context, scorerEntries === undefined ? undefined : scorers);
}

// --- internal ---

/** Identical problems at this many paths or more are reported once. */
const FOLD_REPEATS_FROM = 3;

function build(
  config: ParsedConfig,
  overrides: CliOverrides,
  context: ResolveContext,
  scorers: { specs: ResolvedScorerSpec[]; judgeTargets: string[] } | undefined,
): ResolvedConfig {
  const timeoutMs = config.timeoutMs ?? configDefaults.timeoutMs;
  const allTargets = resolveTargets(config.targets, {
    timeoutMs,
    ...(config.system === undefined ? {} : { system: config.system }),
    ...(context.emulatorBaseURL === undefined ? {} : { emulatorBaseURL: context.emulatorBaseURL }),
  });
  const keep = overrides.targets;
  // `optIn` targets (e.g. a slow Global Batch comparison) run only when --targets names them.
  const optIn = new Set(config.targets.filter((target) => target.optIn === true).map((target) => target.name));
  const targets =
    keep === undefined || keep.length === 0
      ? allTargets.filter((target) => !optIn.has(target.name))
      : allTargets.filter((target) => keep.includes(target.name));
  const judgeNames = scorers?.judgeTargets ?? [];
  const judgeTargets = allTargets.filter((target) => judgeNames.includes(target.name));
  const datasetPath = overrides.dataset ?? config.dataset?.path;
  const withoutHash = {
    datasetPath,
    idColumn: config.dataset?.idColumn ?? configDefaults.idColumn,
    expectedColumn: config.dataset?.expectedColumn,
    prompt: config.prompt as ResolvedConfig['prompt'],
    system: config.system,
    targets,
    judgeTargets,
    repeats: overrides.repeats ?? config.repeats ?? configDefaults.repeats,
    concurrency: overrides.concurrency ?? config.concurrency ?? configDefaults.concurrency,
    timeoutMs,
    retry: {
      maxAttempts: config.retry?.maxAttempts ?? retryDefaults.maxAttempts,
      baseDelayMs: config.retry?.baseDelayMs ?? retryDefaults.baseDelayMs,
      maxDelayMs: config.retry?.maxDelayMs ?? retryDefaults.maxDelayMs,
    },
    deadlineMs: config.deadlineMs,
    limit: overrides.limit,
    outDir: overrides.outDir ?? config.outDir ?? configDefaults.outDir,
    scorers: scorers?.specs ?? configDefaults.scorers.map((name): ResolvedScorerSpec => ({ kind: 'builtin', name, options: {} })),
    scorersAreDefault: scorers === undefined,
    thresholds: copyData(config.thresholds ?? {}),
    slo: { ...config.slo },
    pass: config.pass,
    regression: { ...regressionDefaults, ...dropUndefined(config.regression ?? {}) },
    emulator: config.emulator === undefined ? undefined : copyData(config.emulator),
    usesEmulator: config.targets.some((target) => target.deployments.some((deployment) => deployment.baseURL === EMULATOR_BASE_URL)),
  };
  // The emulator's URL changes every run (ephemeral port), so the hash sees the placeholder instead.
  const stableTargets = resolveTargets(config.targets, {
    timeoutMs,
    ...(config.system === undefined ? {} : { system: config.system }),
    emulatorBaseURL: EMULATOR_BASE_URL,
  });
  // outDir decides where results go and regression how they are judged, not what they are: both stay out of the hash.
  const { outDir: _outDir, regression: _regression, ...identity } = withoutHash;
  const hashInput = {
    ...identity,
    targets: stableTargets.filter((target) => targets.some((kept) => kept.name === target.name)),
    judgeTargets: judgeNames,
  };
  const resolved = { file: resolvePath(context.file), ...dropUndefined(withoutHash), hash: hashConfig(hashInput) };
  return deepFreeze(resolved) as ResolvedConfig;
}

/** `X.auth: … got an empty object` is noise next to `X.auth.apiKey: secrets do not belong …`. */
function withoutShadowedAuth(issues: readonly string[]): string[] {
  return issues.filter((issue) => {
    if (!issue.endsWith(`: ${EMPTY_AUTH_MESSAGE}`)) return true;
    const path = issue.slice(0, -`: ${EMPTY_AUTH_MESSAGE}`.length);
    return !issues.some((other) => other.startsWith(`${path}.`));
  });
}

function dropUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}

/**
 * Drops repeated issues and folds one problem repeated at many paths (every deployment pointing at a
 * missing emulator, say) into a single line naming the first path and the count of the others.
 */
function dedupe(issues: readonly string[]): string[] {
  const pathsByMessage = new Map<string, string[]>();
  for (const issue of new Set(issues)) {
    const split = issue.indexOf(': ');
    const [path, message] = split < 0 ? ['', issue] : [issue.slice(0, split), issue.slice(split + 2)];
    pathsByMessage.set(message, [...(pathsByMessage.get(message) ?? []), path]);
  }
  return [...pathsByMessage].flatMap(([message, paths]) => {
    if (paths.length < FOLD_REPEATS_FROM) return paths.map((path) => (path === '' ? message : `${path}: ${message}`));
    return [`${paths[0] ?? ''} (and ${paths.length - 1} more): ${message}`];
  });
}
