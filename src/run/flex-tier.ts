/**
 * The Flex tier per cell. A flex target's requests ask for `service_tier: 'flex'`; a 429 for lack of
 * Flex capacity is an ordinary capacity 429 to the scheduler (an attempt used, backoff, never a quota
 * pause). With `flexFallback`, once a cell has had `after` capacity 429s at the flex tier, its next
 * attempts go to the standard tier of the same deployment. Every completion of a flex target says which
 * tier answered, which decides its price.
 */
import { ProviderError } from '../errors.ts';
import type { Provider } from '../providers/provider.ts';
import type { Completion, ResolvedTarget, WorkItem } from '../types.ts';

export type Execute = (item: WorkItem, signal: AbortSignal) => Promise<Completion>;

/** The same target at the standard tier: the same requests without `service_tier`. */
export function standardTier(target: ResolvedTarget): ResolvedTarget {
  const { serviceTier: _paramTier, ...params } = target.params;
  const { serviceTier: _tier, flexFallback: _fallback, ...rest } = target;
  return { ...rest, params };
}

/**
 * Wraps each deployment's provider of a flex target; undefined for other targets. One router per target,
 * so a cell's count holds across the deployments of a pool.
 */
export function createTierRouter(target: ResolvedTarget): ((flex: Provider, standard: () => Provider) => Execute) | undefined {
  if (target.serviceTier !== 'flex') return undefined;
  const after = target.flexFallback?.after ?? Number.POSITIVE_INFINITY;
  // Cell key → flex capacity 429s so far; dropped when the cell is answered.
  const refusals = new Map<string, number>();
  return (flex, makeStandard) => {
    let standard: Provider | undefined;
    return async (item, signal) => {
      const refused = refusals.get(item.key) ?? 0;
      if (refused >= after) {
        standard ??= makeStandard();
        const completion = await standard.complete(item.input, signal);
        refusals.delete(item.key);
        return { ...completion, serviceTier: 'default' };
      }
      try {
        const completion = await flex.complete(item.input, signal);
        refusals.delete(item.key);
        return { ...completion, serviceTier: 'flex' };
      } catch (error) {
        if (target.flexFallback && error instanceof ProviderError && error.category === 'capacity') refusals.set(item.key, refused + 1);
        throw error;
      }
    };
  };
}
