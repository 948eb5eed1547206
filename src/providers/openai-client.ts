/**
 * Builds the OpenAI client of one deployment: explicit base URL and credentials (so stray OPENAI_* variables
 * never leak into a multi-endpoint run), SDK retries off (the scheduler is the only retry layer), and the
 * deployment's per-attempt timeout.
 */
import type { TokenCredential } from '@azure/identity';
import OpenAI from 'openai';
import { ProviderError } from '../errors.ts';
import { shownVariableName } from '../internal/redact.ts';
import type { ResolvedDeployment } from '../types.ts';
import type { ProviderDeps } from './provider.ts';

/** What openai-node accepts as a dynamic `apiKey`: called before every attempt. */
export type BearerTokenProvider = () => Promise<string>;

/**
 * One token provider per (credential, scope), shared by every client. Each provider caches its token and
 * refreshes it before expiry, so sharing it means one token fetch serves every deployment in the scope.
 */
export class TokenProviderCache {
  readonly #byCredential = new WeakMap<TokenCredential, Map<string, BearerTokenProvider>>();

  /** The provider for `scope` (e.g. `https://cognitiveservices.azure.com/.default`), created on first use. */
  get(credential: TokenCredential, scope: string): BearerTokenProvider {
    let byScope = this.#byCredential.get(credential);
    if (!byScope) {
      byScope = new Map();
      this.#byCredential.set(credential, byScope);
    }
    let provider = byScope.get(scope);
    if (!provider) {
      provider = lazyBearerTokenProvider(credential, scope);
      byScope.set(scope, provider);
    }
    return provider;
  }
}

const processTokenProviders = new TokenProviderCache();

/**
 * The process-wide DefaultAzureCredential (env, workload identity, managed identity, developer logins),
 * behind a stable stand-in so `@azure/identity` (~40 MB of RSS) is loaded only when a token is first
 * needed: runs with API keys never load it.
 */
const defaultCredential: TokenCredential = (() => {
  let real: Promise<TokenCredential> | undefined;
  return {
    async getToken(scopes, options) {
      real ??= import('@azure/identity').then(({ DefaultAzureCredential }) => new DefaultAzureCredential());
      return (await real).getToken(scopes, options);
    },
  };
})();

/** `getBearerTokenProvider(credential, scope)`, with `@azure/identity` imported on the first call. */
function lazyBearerTokenProvider(credential: TokenCredential, scope: string): BearerTokenProvider {
  let inner: Promise<BearerTokenProvider> | undefined;
  return async () => {
    inner ??= import('@azure/identity').then(({ getBearerTokenProvider }) => getBearerTokenProvider(credential, scope));
    return (await inner)();
  };
}

/**
 * Creates the client for `deployment`.
 * @throws ProviderError (category `auth`) when the API key variable is unset; the message names the
 *   variable, never a value.
 */
export function createOpenAIClient(deployment: ResolvedDeployment, deps: ProviderDeps): OpenAI {
  return new OpenAI({
    baseURL: deployment.baseURL,
    apiKey: resolveApiKey(deployment, deps),
    // Read neither OPENAI_ORG_ID nor OPENAI_PROJECT_ID: these headers mean nothing to Azure and would
    // differ between machines.
    organization: null,
    project: null,
    maxRetries: 0,
    timeout: deployment.timeoutMs,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
}

function resolveApiKey(deployment: ResolvedDeployment, deps: ProviderDeps): string | BearerTokenProvider {
  const auth = deployment.auth;
  if (auth.kind === 'entra') {
    const credential = deps.credential ?? defaultCredential;
    return (deps.tokenProviders ?? processTokenProviders).get(credential, auth.scope);
  }
  const key = deps.env[auth.apiKeyEnv]?.trim();
  if (!key) {
    throw new ProviderError({
      category: 'auth',
      retryable: false,
      message: `deployment ${deployment.id}: environment variable ${shownVariableName(auth.apiKeyEnv)} is not set or empty`,
    });
  }
  return key;
}
