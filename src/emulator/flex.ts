/**
 * Flex processing: `service_tier: "flex"` on an ordinary (Global Standard) deployment. When Flex
 * capacity is short the service answers 429 and does not bill; Flex and Standard share the deployment's
 * quota (batch-flex-and-peers.md §1.10). `flexCapacityShortageRate` (0..1, default 0) is the seeded
 * probability that one flex request is refused; the body is §5's capacity family (Microsoft does not
 * document Flex's own wording) with `retry-after-ms` = `flexRetryAfterMs` (default 1000). Requests at
 * the standard tier are never refused here. The check runs before admission, so a refused flex request
 * uses no quota.
 */
import { createRng, hashString } from '../internal/rng.ts';
import { azureErrors, type AzureError } from './azure-errors.ts';
import type { DeploymentConfig } from './config.ts';

/** The 429 for a flex request that finds no capacity, or undefined. `seedKey` identifies the attempt. */
export function flexRefusal(
  config: Pick<DeploymentConfig, 'flexCapacityShortageRate' | 'flexRetryAfterMs'>,
  body: unknown,
  seedKey: string,
): AzureError | undefined {
  const rate = config.flexCapacityShortageRate ?? 0;
  if (rate <= 0 || (body as { service_tier?: unknown } | null)?.service_tier !== 'flex') return undefined;
  // Its own stream: drawing here never shifts the latency or answer draws of the request.
  if (createRng(hashString(seedKey))() >= rate) return undefined;
  return azureErrors.capacity(config.flexRetryAfterMs ?? 1000);
}
