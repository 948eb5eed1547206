/**
 * The provider contract: one deployment, one attempt per `complete` call. Providers turn a PromptInput
 * into a Completion through the OpenAI SDK and translate every failure into a ProviderError, so the
 * scheduler never sees SDK classes or HTTP details.
 */
import type { TokenCredential } from '@azure/identity';
import type { Clock } from '../internal/clock.ts';
import type { Completion, PromptInput, ResolvedDeployment, ResolvedTarget } from '../types.ts';
import type { TokenProviderCache } from './openai-client.ts';

/** A callable deployment. Every method is safe to call concurrently. */
export interface Provider {
  /** `ResolvedDeployment.id` of the deployment this provider calls. */
  readonly deploymentId: string;
  /** Admission cost Azure will charge for this input: ceil(prompt chars / 4) + completion cap. @unit tokens */
  estimateCost(input: PromptInput): number;
  /** Runs exactly one HTTP attempt (SDK retries are off). Rejects with a ProviderError and nothing else. */
  complete(input: PromptInput, signal: AbortSignal): Promise<Completion>;
  /** Lists the endpoint's models (no generation, no quota): true when the list names this deployment. Never rejects. */
  checkListed(signal: AbortSignal): Promise<boolean>;
}

/** Injected I/O, so tests stay on loopback and runs can share one credential. */
export interface ProviderDeps {
  /** Where `api-key` deployments read their key (`deployment.auth.apiKeyEnv`). Usually `process.env`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Entra credential; defaults to one process-wide `DefaultAzureCredential`, created on first use. */
  readonly credential?: TokenCredential;
  /** Token providers shared by every client of a run (one per credential and scope). */
  readonly tokenProviders?: TokenProviderCache;
  /** Transport seam passed to the SDK. */
  readonly fetch?: typeof fetch;
  /** Time source for attempt timings and the stream watchdog; defaults to `systemClock`. */
  readonly clock?: Clock;
  /**
   * A stream that delivers no event for this long after its first output delta is aborted as a
   * timeout (before that, only `deployment.timeoutMs` applies: reasoning models think silently).
   * Default: min(deployment.timeoutMs, 60 000). @unit milliseconds
   */
  readonly streamIdleTimeoutMs?: number;
}

/** Builds the provider of one deployment of a target. Never throws: configuration problems surface from `complete`. */
export type ProviderFactory = (target: ResolvedTarget, deployment: ResolvedDeployment, deps: ProviderDeps) => Provider;
