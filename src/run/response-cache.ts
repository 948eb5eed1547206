/**
 * Opt-in response cache (`--cache`): content-addressed by endpoint, deployment, API and the exact
 * request body, so any change to the prompt or parameters is a miss. One small JSON file per entry,
 * written atomically; a corrupt or unreadable entry is a miss, never an error.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildChatBody, buildResponsesBody } from '../providers/request-body.ts';
import { sha256Hex, stableStringify } from '../internal/content-hash.ts';
import type { Completion, PromptInput, ResolvedDeployment, ResolvedTarget } from '../types.ts';

const CACHE_VERSION = 1;

export interface ResponseCache {
  /** A cached completion from any deployment of the target, or undefined. */
  lookup(target: ResolvedTarget, input: PromptInput): Promise<{ deploymentId: string; completion: Completion } | undefined>;
  store(target: ResolvedTarget, deploymentId: string, input: PromptInput, completion: Completion): Promise<void>;
}

/**
 * @param endpointId maps a base URL to a stable identity (the embedded emulator's port changes every
 *   run, so its URLs are keyed as `emulator:/openai/v1/`)
 */
export function cacheKey(
  target: ResolvedTarget,
  deployment: ResolvedDeployment,
  input: PromptInput,
  endpointId: (url: string) => string = (url) => url,
): string {
  const body =
    target.api === 'chat'
      ? buildChatBody(deployment.deployment, target.params, input)
      : buildResponsesBody(deployment.deployment, target.params, input);
  return sha256Hex(
    stableStringify({
      v: CACHE_VERSION,
      endpoint: endpointId(deployment.baseURL),
      deployment: deployment.deployment,
      api: target.api,
      body,
    }),
  );
}

export function createResponseCache(dir: string, endpointId?: (url: string) => string): ResponseCache {
  const pathOf = (key: string) => join(dir, key.slice(0, 2), `${key}.json`);
  const cacheKey_ = (target: ResolvedTarget, deployment: ResolvedDeployment, input: PromptInput) =>
    cacheKey(target, deployment, input, endpointId);
  return {
    async lookup(target, input) {
      for (const deployment of target.deployments) {
        try {
          const entry = JSON.parse(await readFile(pathOf(cacheKey_(target, deployment, input)), 'utf8')) as {
            v: number;
            completion: Completion;
          };
          if (entry.v === CACHE_VERSION && typeof entry.completion?.text === 'string')
            return { deploymentId: deployment.id, completion: entry.completion };
        } catch {
          // Missing or unreadable: a miss.
        }
      }
      return undefined;
    },
    async store(target, deploymentId, input, completion) {
      const deployment = target.deployments.find((d) => d.id === deploymentId);
      if (!deployment) return;
      const path = pathOf(cacheKey_(target, deployment, input));
      await mkdir(join(path, '..'), { recursive: true });
      const temp = `${path}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify({ v: CACHE_VERSION, completion }));
      await rename(temp, path);
    },
  };
}
