/**
 * Emulator configuration: the public types, one-line validation errors that name the field, and the
 * resolution of defaults (profile values, window lengths) into the runtime shape the server uses.
 */
import type { ModelProfile } from './profiles.ts';
import { knownProfileNames, modelProfiles } from './profiles.ts';
import type { FaultSpec } from './fault-types.ts';
import { validateFault } from './fault-types.ts';
import type { Dialect } from './dialect-config.ts';
import { validateDialectFields } from './dialect-config.ts';
import type { Realism, RealismSettings } from './realism.ts';
import { resolveRealism } from './realism.ts';

export type { FaultSpec, FaultKind } from './fault-types.ts';

export type FilterMode = 'default' | 'async' | 'off';
export type Sku = 'standard' | 'globalStandard' | 'dataZoneStandard' | 'provisioned' | 'globalBatch' | 'dataZoneBatch';

/** Global Batch timing and limits (§9.6), resource-wide; times are emulated milliseconds. */
export interface BatchSettings {
  /** How long a job stays `validating`. Default 30 000. */
  validationMs?: number;
  /** How long a job stays `finalizing`. Default 10 000. */
  finalizingMs?: number;
  /** How long `cancelling` lasts (Azure: up to 10 minutes). Default 60 000. */
  cancelMs?: number;
  /** A job still running when its 24 h window ends becomes `expired` (default true). */
  expireAfter24h?: boolean;
  /** Input files allowed per resource without / with an expiry (Azure: 500 / 10 000). */
  maxFiles?: number;
  maxFilesWithExpiry?: number;
}

/** Header quirks of §13.4, all off by default. */
export interface Quirks {
  /** Omit `x-ratelimit-limit-*` (2024 responses only carried `remaining-*`). */
  omitLimitHeaders?: boolean;
  /** 2023 style: `x-rate-limit-reset-tokens` + `policy-id: DeploymentRatelimit-Token`, no `retry-after*` on 429. */
  legacy2023Headers?: boolean;
  /** Responses API: token headers `-1`/`-1`/`0` and no `retry-after*` on 429 (late 2025). */
  responsesMinusOneHeaders?: boolean;
  /** Report `x-ratelimit-limit-requests` as RPM instead of the 10 s budget. */
  limitRequestsAsRpm?: boolean;
  /** Add the 1 s request sub-window at ceil(RPM/60). */
  oneSecondRequestWindow?: boolean;
  /** Use a 60 s request window (limit = RPM) instead of 10 s, as for low-RPM models. */
  sixtySecondRequestWindow?: boolean;
  /** Legacy `azure-openai-deployment-utilization: NN.N%` on PTU responses. */
  ptuUtilizationHeader?: boolean;
  /** Which §5 quota 429 message family to use. Default 'classic'. */
  quotaMessageStyle?: 'classic' | 'newer' | 'gateway';
}

export interface RequestWindowConfig {
  ms: number;
  /** Defaults to ceil(RPM × ms / 60 000): 10 s → RPM/6, 1 s → RPM/60, 60 s → RPM. */
  limit?: number;
}

export interface DeploymentConfig {
  name: string;
  /** Model profile name (see profiles.ts). */
  model: string;
  modelVersion?: string;
  sku?: Sku;
  /** Standard: units of 1,000 TPM. Provisioned: PTU count. */
  capacity: number;
  /** Probability (0..1) that a known question is answered correctly. Default 0.8. */
  accuracy?: number;
  filterMode?: FilterMode;
  filterBufferTokens?: number;
  rpmPerThousandTpm?: number;
  /** Sliding token window length, default 60 000 ms. */
  tokenWindowMs?: number;
  /** Request windows; default [{ ms: 10 000 }] (plus quirk windows). */
  requestWindows?: RequestWindowConfig[];
  charsPerToken?: number;
  defaultCompletionReservation?: number;
  /** gpt-35-turbo estimate: cost = max_tokens ?? 16. */
  legacyGpt35Mode?: boolean;
  /** Count 429-rejected requests in the windows (the doc's "unsuccessful requests still count"). */
  countRejected429?: boolean;
  /** Temporary limit reduction (0..1], multiplies TPM. */
  effectiveLimitFactor?: number;
  quirks?: Quirks;
  faults?: FaultSpec[];
  /** DeepSeek-style models: `<think>` in content (default) or `reasoning_content` fields. */
  reasoningStyle?: 'think-tags' | 'reasoning_content';
  /** Re-draw answers per request instead of per (deployment, prompt). */
  temperatureNoise?: boolean;
  /** Generic (unknown-prompt) answer length in tokens: log-normal median and sigma. */
  outputTokens?: { median: number; sigma?: number };
  /** Simple prompt-cache simulation: a repeated prompt of ≥ 1 024 tokens reports cached_tokens (128-token steps). */
  promptCache?: boolean;
  /** Random latency draws (default true); false uses the medians/means, so latency is constant. */
  jitter?: boolean;
  /** Heavy latency tail (§10.4); default on for standard, always off for provisioned. */
  heavyTail?: boolean;
  /** Non-streaming requests longer than this get the 408 Timeout body (emulated ms). Default 600 000. */
  gatewayTimeoutMs?: number;
  /** Concurrency knee for the load slowdown (§10.4). Default 32; alpha default 0.5. */
  concurrencyKnee?: number;
  slowdownAlpha?: number;
  /** Global Batch: enqueued-token quota of this deployment (default 1 000 000 000). */
  enqueuedTokens?: number;
  /** Global Batch: fail-fast region (400 token_limit_exceeded at create, default) or slow-fail (validates, then `failed`). */
  batchFailFast?: boolean;
  /** Global Batch: tokens per minute at which a job's lines run (default 10 000 000); never touches online TPM. */
  batchTokensPerMinute?: number;
  /** Global Batch: probability (0..1) that a line fails with a 500 and goes to the error file. */
  batchLineFailureRate?: number;
  /** Flex tier (flex.ts): seeded probability (0..1) that a `service_tier: "flex"` request gets a capacity 429. Default 0. */
  flexCapacityShortageRate?: number;
  /** Flex tier: `retry-after-ms` of that 429. Default 1000. */
  flexRetryAfterMs?: number;
  /**
   * How the endpoint limits and reports (endpoint-dialect.ts): `azure` (default; sliding windows,
   * §4 headers), `openai` (per-minute token buckets that start full, duration resets, whole-second
   * `retry-after`, charge = JSON of the messages), `bare` (no quota, no rate headers, a hard in-flight
   * cap answered with a plain 429).
   */
  dialect?: Dialect;
  /** `exact` (default: the server's view equals the client's), `realistic`, or explicit settings (realism.ts). */
  realism?: Realism;
  /** Hard in-flight cap answered with a hint-less 429 (bare dialect default 8; unset elsewhere = none). */
  maxInFlight?: number;
}

export interface EmulatorConfig {
  deployments: DeploymentConfig[];
  /** Accepted keys (api-key header or Bearer). A random key is generated when empty. */
  apiKeys?: string[];
  /** Extra Bearer acceptance, e.g. for Entra test tokens. */
  acceptBearer?: (token: string) => boolean;
  region?: string;
  seed?: number | string;
  /** Multiplies every latency (0.02 = 50× faster). Default 1. */
  latencyScale?: number;
  /** No latency at all (throughput benchmarks). */
  zeroLatency?: boolean;
  /** Emulated time runs this many times faster than real time (windows, faults, latency). Default 1. */
  timeScale?: number;
  answerKey?: Array<{ question: string; answer: string }>;
  /**
   * Dataset file(s) (CSV/JSONL, relative to the config file) whose expected-answer column becomes the
   * answer key. Read by the CLI (`batchbench emulator`), which adds the entries to `answerKey`.
   */
  answers?: string | string[];
  contentFilter?: { promptTriggers?: string[]; completionTriggers?: string[] };
  /** Resource-wide faults (each may still name a deployment). */
  faults?: FaultSpec[];
  /** How many admissions per deployment to keep in the admission log for tests. Default 100 000. */
  admissionLogSize?: number;
  /** Files and Batches timing and limits (§9.6). */
  batch?: BatchSettings;
}

export class EmulatorConfigError extends Error {
  readonly issues: string[];
  constructor(issues: string[]) {
    super(issues.length === 1 ? (issues[0] ?? '') : `${issues.length} problems:\n${issues.join('\n')}`);
    this.name = 'EmulatorConfigError';
    this.issues = issues;
  }
}

/** Runtime view of a deployment: config plus resolved profile values. Mutable through PATCH. */
export interface ResolvedDeployment {
  config: DeploymentConfig;
  profile: ModelProfile;
  modelVersion: string;
  provisioned: boolean;
  tpm: number;
  rpm: number;
  tokenWindowMs: number;
  requestWindows: Array<{ ms: number; limit: number }>;
  charsPerToken: number;
  completionReservation: number;
  accuracy: number;
  filterMode: FilterMode;
  filterBufferTokens: number;
  quirks: Quirks;
  dialect: Dialect;
  /** undefined = exact. */
  realism: RealismSettings | undefined;
}

const quirkNames = [
  'omitLimitHeaders',
  'legacy2023Headers',
  'responsesMinusOneHeaders',
  'limitRequestsAsRpm',
  'oneSecondRequestWindow',
  'sixtySecondRequestWindow',
  'ptuUtilizationHeader',
];

const describe = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

function checkNumber(
  issues: string[],
  path: string,
  v: unknown,
  opts: { gt?: number; min?: number; max?: number; int?: boolean },
  optional = true,
): void {
  if (v === undefined && optional) return;
  const bounds = [
    opts.gt !== undefined ? `> ${opts.gt}` : '',
    opts.min !== undefined ? `>= ${opts.min}` : '',
    opts.max !== undefined ? `<= ${opts.max}` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  const want = `expected ${opts.int ? 'an integer' : 'a number'}${bounds ? ` ${bounds}` : ''}`;
  if (
    typeof v !== 'number' ||
    !Number.isFinite(v) ||
    (opts.int && !Number.isInteger(v)) ||
    (opts.gt !== undefined && !(v > opts.gt)) ||
    (opts.min !== undefined && v < opts.min) ||
    (opts.max !== undefined && v > opts.max)
  ) {
    issues.push(`${path}: ${want}, got ${describe(v)}`);
  }
}

function checkEnum(issues: string[], path: string, v: unknown, allowed: readonly string[]): void {
  if (v !== undefined && !allowed.includes(v as string)) issues.push(`${path}: expected one of ${allowed.join(', ')}, got ${describe(v)}`);
}

function validateDeployment(issues: string[], d: unknown, i: number, seen: Set<string>): void {
  const p = `deployments[${i}]`;
  if (typeof d !== 'object' || d === null) {
    issues.push(`${p}: expected an object, got ${describe(d)}`);
    return;
  }
  const dep = d as Partial<DeploymentConfig>;
  if (typeof dep.name !== 'string' || dep.name === '') issues.push(`${p}.name: expected a non-empty string, got ${describe(dep.name)}`);
  else if (seen.has(dep.name)) issues.push(`${p}.name: duplicate deployment "${dep.name}"`);
  else seen.add(dep.name);
  if (typeof dep.model !== 'string' || !modelProfiles.has(dep.model)) {
    issues.push(`${p}.model: unknown model profile ${describe(dep.model)} (known: ${knownProfileNames.join(', ')})`);
  }
  checkNumber(issues, `${p}.capacity`, dep.capacity, { gt: 0 }, false);
  checkEnum(issues, `${p}.sku`, dep.sku, ['standard', 'globalStandard', 'dataZoneStandard', 'provisioned', 'globalBatch', 'dataZoneBatch']);
  checkNumber(issues, `${p}.enqueuedTokens`, dep.enqueuedTokens, { gt: 0 });
  checkNumber(issues, `${p}.batchTokensPerMinute`, dep.batchTokensPerMinute, { gt: 0 });
  checkNumber(issues, `${p}.batchLineFailureRate`, dep.batchLineFailureRate, { min: 0, max: 1 });
  checkNumber(issues, `${p}.flexCapacityShortageRate`, dep.flexCapacityShortageRate, { min: 0, max: 1 });
  checkNumber(issues, `${p}.flexRetryAfterMs`, dep.flexRetryAfterMs, { min: 0 });
  if (dep.batchFailFast !== undefined && typeof dep.batchFailFast !== 'boolean')
    issues.push(`${p}.batchFailFast: expected a boolean, got ${describe(dep.batchFailFast)}`);
  checkNumber(issues, `${p}.accuracy`, dep.accuracy, { min: 0, max: 1 });
  checkEnum(issues, `${p}.filterMode`, dep.filterMode, ['default', 'async', 'off']);
  checkNumber(issues, `${p}.filterBufferTokens`, dep.filterBufferTokens, { min: 1, int: true });
  checkNumber(issues, `${p}.rpmPerThousandTpm`, dep.rpmPerThousandTpm, { gt: 0 });
  checkNumber(issues, `${p}.tokenWindowMs`, dep.tokenWindowMs, { gt: 0 });
  checkNumber(issues, `${p}.charsPerToken`, dep.charsPerToken, { gt: 0 });
  checkNumber(issues, `${p}.defaultCompletionReservation`, dep.defaultCompletionReservation, { min: 0, int: true });
  checkNumber(issues, `${p}.effectiveLimitFactor`, dep.effectiveLimitFactor, { gt: 0, max: 1 });
  checkNumber(issues, `${p}.gatewayTimeoutMs`, dep.gatewayTimeoutMs, { gt: 0 });
  checkNumber(issues, `${p}.concurrencyKnee`, dep.concurrencyKnee, { min: 1 });
  checkNumber(issues, `${p}.slowdownAlpha`, dep.slowdownAlpha, { min: 0 });
  checkEnum(issues, `${p}.reasoningStyle`, dep.reasoningStyle, ['think-tags', 'reasoning_content']);
  if (dep.outputTokens !== undefined) {
    checkNumber(issues, `${p}.outputTokens.median`, dep.outputTokens?.median, { gt: 0 }, false);
    checkNumber(issues, `${p}.outputTokens.sigma`, dep.outputTokens?.sigma, { min: 0 });
  }
  if (dep.requestWindows !== undefined) {
    if (!Array.isArray(dep.requestWindows)) issues.push(`${p}.requestWindows: expected an array, got ${describe(dep.requestWindows)}`);
    else
      dep.requestWindows.forEach((w, j) => {
        checkNumber(issues, `${p}.requestWindows[${j}].ms`, w?.ms, { gt: 0 }, false);
        checkNumber(issues, `${p}.requestWindows[${j}].limit`, w?.limit, { min: 1, int: true });
      });
  }
  if (dep.quirks !== undefined) {
    if (typeof dep.quirks !== 'object' || dep.quirks === null) issues.push(`${p}.quirks: expected an object, got ${describe(dep.quirks)}`);
    else
      for (const [k, v] of Object.entries(dep.quirks)) {
        if (k === 'quotaMessageStyle') checkEnum(issues, `${p}.quirks.quotaMessageStyle`, v, ['classic', 'newer', 'gateway']);
        else if (!quirkNames.includes(k))
          issues.push(`${p}.quirks.${k}: unknown quirk (known: ${[...quirkNames, 'quotaMessageStyle'].join(', ')})`);
        else if (typeof v !== 'boolean') issues.push(`${p}.quirks.${k}: expected a boolean, got ${describe(v)}`);
      }
  }
  validateDialectFields(issues, p, dep);
  if (dep.faults !== undefined) {
    if (!Array.isArray(dep.faults)) issues.push(`${p}.faults: expected an array, got ${describe(dep.faults)}`);
    else for (const [j, f] of dep.faults.entries()) validateFault(issues, `${p}.faults[${j}]`, f);
  }
}

/** Checks everything and throws one EmulatorConfigError listing every problem. */
export function validateEmulatorConfig(config: unknown): EmulatorConfig {
  const issues: string[] = [];
  if (typeof config !== 'object' || config === null) throw new EmulatorConfigError([`config: expected an object, got ${describe(config)}`]);
  const c = config as Partial<EmulatorConfig>;
  if (!Array.isArray(c.deployments)) issues.push(`deployments: expected an array, got ${describe(c.deployments)}`);
  else {
    const seen = new Set<string>();
    for (const [i, d] of c.deployments.entries()) validateDeployment(issues, d, i, seen);
  }
  if (c.apiKeys !== undefined && (!Array.isArray(c.apiKeys) || c.apiKeys.some((k) => typeof k !== 'string' || k === ''))) {
    issues.push(`apiKeys: expected an array of non-empty strings`);
  }
  checkNumber(issues, 'latencyScale', c.latencyScale, { min: 0 });
  checkNumber(issues, 'timeScale', c.timeScale, { gt: 0 });
  checkNumber(issues, 'admissionLogSize', c.admissionLogSize, { min: 0, int: true });
  if (c.batch !== undefined) {
    for (const k of ['validationMs', 'finalizingMs', 'cancelMs'] as const) checkNumber(issues, `batch.${k}`, c.batch?.[k], { min: 0 });
    for (const k of ['maxFiles', 'maxFilesWithExpiry'] as const) checkNumber(issues, `batch.${k}`, c.batch?.[k], { min: 1, int: true });
  }
  if (c.answerKey !== undefined) {
    if (!Array.isArray(c.answerKey)) issues.push(`answerKey: expected an array, got ${describe(c.answerKey)}`);
    else
      c.answerKey.forEach((e, i) => {
        if (typeof e?.question !== 'string' || e.question.trim() === '')
          issues.push(`answerKey[${i}].question: expected a non-empty string, got ${describe(e?.question)}`);
        if (typeof e?.answer !== 'string') issues.push(`answerKey[${i}].answer: expected a string, got ${describe(e?.answer)}`);
      });
  }
  if (
    c.answers !== undefined &&
    !(typeof c.answers === 'string' && c.answers.trim() !== '') &&
    !(Array.isArray(c.answers) && c.answers.every((a) => typeof a === 'string' && a.trim() !== ''))
  ) {
    issues.push(
      `answers: expected a dataset path (or an array of paths) whose expected column is the answer key, got ${describe(c.answers)}`,
    );
  }
  if (c.faults !== undefined) {
    if (!Array.isArray(c.faults)) issues.push(`faults: expected an array, got ${describe(c.faults)}`);
    else for (const [j, f] of c.faults.entries()) validateFault(issues, `faults[${j}]`, f);
  }
  if (issues.length > 0) throw new EmulatorConfigError(issues);
  return c as EmulatorConfig;
}

/** Applies profile defaults and quirk windows. Pure: call again after a PATCH. */
export function resolveDeployment(config: DeploymentConfig): ResolvedDeployment {
  const profile = modelProfiles.get(config.model);
  if (!profile) throw new EmulatorConfigError([`model: unknown model profile "${config.model}"`]);
  const provisioned = config.sku === 'provisioned';
  const tpm = config.capacity * 1000;
  const rpm = (tpm / 1000) * (config.rpmPerThousandTpm ?? profile.rpmPerThousandTpm);
  const quirks = config.quirks ?? {};
  const windowLimit = (ms: number) => Math.max(1, Math.ceil((rpm * ms) / 60_000));
  let windows: Array<{ ms: number; limit: number }>;
  if (config.requestWindows) windows = config.requestWindows.map((w) => ({ ms: w.ms, limit: w.limit ?? windowLimit(w.ms) }));
  else {
    const mainMs = quirks.sixtySecondRequestWindow ? 60_000 : 10_000;
    windows = [{ ms: mainMs, limit: windowLimit(mainMs) }];
    if (quirks.oneSecondRequestWindow) windows.push({ ms: 1_000, limit: windowLimit(1_000) });
  }
  return {
    config,
    profile,
    modelVersion: config.modelVersion ?? profile.modelVersion,
    provisioned,
    tpm,
    rpm,
    tokenWindowMs: config.tokenWindowMs ?? 60_000,
    requestWindows: windows,
    charsPerToken: config.charsPerToken ?? 4,
    completionReservation: config.defaultCompletionReservation ?? profile.defaultCompletionReservation,
    accuracy: config.accuracy ?? 0.8,
    filterMode: config.filterMode ?? 'default',
    filterBufferTokens: config.filterBufferTokens ?? 30,
    quirks,
    dialect: config.dialect ?? 'azure',
    realism: resolveRealism(config.realism),
  };
}
