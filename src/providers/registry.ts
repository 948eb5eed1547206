/**
 * Which adapter serves which API. `run/` asks here; adding an API means adding one entry.
 */
import type { ApiKind, ResolvedDeployment, ResolvedTarget } from '../types.ts';
import { createChatCompletionsProvider } from './chat-completions.ts';
import type { Provider, ProviderDeps, ProviderFactory } from './provider.ts';
import { createResponsesProvider } from './responses.ts';

/** The factory per API kind. */
export const providerFactories: Readonly<Record<ApiKind, ProviderFactory>> = Object.freeze({
  chat: createChatCompletionsProvider,
  responses: createResponsesProvider,
});

/** The provider of one deployment of `target`, chosen by `target.api`. Never throws for a valid target. */
export function createProvider(target: ResolvedTarget, deployment: ResolvedDeployment, deps: ProviderDeps): Provider {
  return providerFactories[target.api](target, deployment, deps);
}
