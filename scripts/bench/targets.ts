/**
 * Builds real DeploymentHandles for the benchmark: the batchbench providers (OpenAI SDK, real HTTP to
 * the emulator, SDK retries off), one per emulator deployment of a target.
 */
import type { Clock } from '../../src/internal/clock.ts';
import { createProvider } from '../../src/providers/registry.ts';
import type { Provider } from '../../src/providers/provider.ts';
import type { DeploymentHandle, ModelParams, ResolvedDeployment, ResolvedTarget } from '../../src/types.ts';

export const BENCH_KEY_ENV = 'BATCHBENCH_BENCH_KEY';

/** One emulator deployment as the client sees it. */
export interface BenchDeployment {
  /** Emulator deployment name. */
  readonly name: string;
  /** Quota hints given to the scheduler. */
  readonly limits: { readonly tpm?: number; readonly rpm?: number };
}

export interface BenchTarget {
  readonly name: string;
  readonly deployments: readonly BenchDeployment[];
}

export function resolvedTarget(target: BenchTarget, baseURL: string, maxOutputTokens: number): ResolvedTarget {
  const params: ModelParams = { maxOutputTokens, tokenLimitField: 'max_tokens', stream: false, temperature: 0 };
  const deployments: ResolvedDeployment[] = target.deployments.map((d) => ({
    id: `${target.name}/${d.name}`,
    baseURL,
    deployment: d.name,
    auth: { kind: 'api-key', apiKeyEnv: BENCH_KEY_ENV },
    limits: d.limits,
    maxConcurrency: 256,
    timeoutMs: 120_000,
  }));
  return { name: target.name, api: 'chat', params, deployments };
}

export interface BuiltTarget {
  readonly resolved: ResolvedTarget;
  readonly handles: DeploymentHandle[];
  /** The provider's admission estimate (identical for every member of the target). */
  readonly estimateCost: Provider['estimateCost'];
}

export function buildTarget(target: BenchTarget, baseURL: string, apiKey: string, clock: Clock, maxOutputTokens: number): BuiltTarget {
  const resolved = resolvedTarget(target, baseURL, maxOutputTokens);
  const env = { [BENCH_KEY_ENV]: apiKey };
  const providers = resolved.deployments.map((d) => createProvider(resolved, d, { env, clock }));
  const handles = providers.map((provider, i) => {
    const d = resolved.deployments[i] as ResolvedDeployment;
    return {
      id: d.id,
      limits: d.limits,
      maxConcurrency: d.maxConcurrency,
      execute: (item, signal) => provider.complete(item.input, signal),
      checkListed: (signal) => provider.checkListed(signal),
    } satisfies DeploymentHandle;
  });
  return { resolved, handles, estimateCost: (input) => (providers[0] as Provider).estimateCost(input) };
}
