/**
 * The price a target's cells are charged at: Global Batch and the Flex tier bill at a discount of the
 * configured online price (`price.batch` / `price.flex` multipliers, 50 % by default as Azure lists).
 */
import type { Price, ResolvedTarget } from '../../types.ts';

export const DEFAULT_BATCH_DISCOUNT = 0.5;
export const DEFAULT_FLEX_DISCOUNT = 0.5;

export function tierPrice(target: Pick<ResolvedTarget, 'price' | 'mode' | 'serviceTier'>): Price | undefined {
  const p = target.price;
  if (!p) return undefined;
  const factor =
    target.mode === 'batch' ? (p.batch ?? DEFAULT_BATCH_DISCOUNT) : target.serviceTier === 'flex' ? (p.flex ?? DEFAULT_FLEX_DISCOUNT) : 1;
  if (factor === 1) return p;
  return {
    input: p.input * factor,
    output: p.output * factor,
    ...(p.cachedInput === undefined ? {} : { cachedInput: p.cachedInput * factor }),
  };
}
