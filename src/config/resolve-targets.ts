/**
 * Builds ResolvedTargets from shape-checked target specs: defaults applied, the emulator placeholder
 * replaced, URLs normalised, auth made explicit. Runs only after every check passed.
 */
import { copyData } from '../internal/deep-freeze.ts';
import type { DeploymentAuth, ModelParams, ResolvedDeployment, ResolvedTarget } from '../types.ts';
import type { ParsedDeployment, ParsedTarget } from './config-schema.ts';
import { targetDefaults, tokenLimitFieldDefaults } from './defaults.ts';
import { EMULATOR_BASE_URL, defaultApiKeyEnv, defaultEntraScope, parseHttpURL, withTrailingSlash } from './endpoint.ts';

/** Flex capacity 429s of one cell before `flexFallback` sends its next attempts to the standard tier. */
export const DEFAULT_FLEX_FALLBACK_AFTER = 3;

export interface TargetResolveContext {
  readonly emulatorBaseURL?: string;
  /** Config-level system prompt, used when a target has none. */
  readonly system?: string;
  /** Config-level per-attempt timeout. @unit milliseconds */
  readonly timeoutMs: number;
}

/** One ResolvedTarget per spec, in order. */
export function resolveTargets(targets: readonly ParsedTarget[], context: TargetResolveContext): ResolvedTarget[] {
  return targets.map((target) => resolveTarget(target, context));
}

/** The id a deployment gets when the user gives none. */
export function defaultDeploymentId(targetName: string, deployment: string): string {
  return `${targetName}/${deployment}`;
}

// --- internal ---

function resolveTarget(target: ParsedTarget, context: TargetResolveContext): ResolvedTarget {
  const api = target.api ?? targetDefaults.api;
  const system = target.system ?? context.system;
  const params: ModelParams = {
    ...(target.temperature === undefined ? {} : { temperature: target.temperature }),
    ...(target.topP === undefined ? {} : { topP: target.topP }),
    ...(target.maxOutputTokens === undefined ? {} : { maxOutputTokens: target.maxOutputTokens }),
    tokenLimitField: target.tokenLimitField ?? tokenLimitFieldDefaults[api],
    ...(target.reasoningEffort === undefined ? {} : { reasoningEffort: target.reasoningEffort }),
    ...(target.extraBody === undefined ? {} : { extraBody: copyData(target.extraBody) }),
    ...(target.headers === undefined ? {} : { headers: { ...target.headers } }),
    stream: target.stream ?? targetDefaults.stream,
    ...(system === undefined ? {} : { system }),
    ...(target.serviceTier === undefined ? {} : { serviceTier: target.serviceTier }),
  };
  return {
    name: target.name,
    api,
    params,
    ...(target.price === undefined ? {} : { price: { ...target.price } }),
    ...(target.mode === 'batch'
      ? {
          mode: 'batch' as const,
          batch: {
            enqueuedTokens: target.batch?.enqueuedTokens ?? 1_000_000_000,
            // Microsoft asks for ≥ 60 s between polls; the emulator's compressed clock needs far less.
            pollIntervalMs:
              target.batch?.pollIntervalMs ?? (target.deployments.every((d) => d.baseURL === EMULATOR_BASE_URL) ? 1_000 : 60_000),
            maxLinesPerFile: target.batch?.maxLinesPerFile ?? 100_000,
          },
        }
      : {}),
    ...(target.serviceTier === undefined ? {} : { serviceTier: target.serviceTier }),
    ...(target.flexFallback === undefined
      ? {}
      : { flexFallback: { to: target.flexFallback, after: target.flexFallbackAfter ?? DEFAULT_FLEX_FALLBACK_AFTER } }),
    deployments: target.deployments.map((deployment) => resolveDeployment(target.name, deployment, context)),
  };
}

function resolveDeployment(targetName: string, spec: ParsedDeployment, context: TargetResolveContext): ResolvedDeployment {
  const isEmulator = spec.baseURL === EMULATOR_BASE_URL;
  const rawURL = isEmulator ? (context.emulatorBaseURL ?? '') : spec.baseURL;
  const parsed = parseHttpURL(rawURL);
  const baseURL = parsed === undefined ? rawURL : withTrailingSlash(parsed);
  return {
    id: spec.id ?? defaultDeploymentId(targetName, spec.deployment),
    baseURL,
    deployment: spec.deployment,
    auth: resolveAuth(spec, baseURL),
    limits: {
      ...(spec.tpm === undefined ? {} : { tpm: spec.tpm }),
      ...(spec.rpm === undefined ? {} : { rpm: spec.rpm }),
    },
    maxConcurrency: spec.maxConcurrency ?? targetDefaults.maxConcurrency,
    timeoutMs: spec.timeoutMs ?? context.timeoutMs,
  };
}

function resolveAuth(spec: ParsedDeployment, baseURL: string): DeploymentAuth {
  if (spec.auth?.entra !== undefined) {
    return { kind: 'entra', scope: spec.auth.entra.scope ?? defaultEntraScope(baseURL) };
  }
  // The emulator placeholder decides the default variable, not the loopback URL it was replaced with.
  return { kind: 'api-key', apiKeyEnv: spec.auth?.apiKeyEnv ?? defaultApiKeyEnv(spec.baseURL) };
}
