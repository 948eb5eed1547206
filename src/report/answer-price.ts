/**
 * The price a result is charged at: its target's price (already at the batch or flex tier), except a
 * flex cell the standard tier answered after a `flexFallback`, which pays the standard price.
 */
import type { Price, TargetInfo } from '../types.ts';

export function answeredPrice(info: TargetInfo | undefined, serviceTier: 'flex' | 'default' | undefined): Price | undefined {
  return serviceTier === 'default' && info?.standardPrice ? info.standardPrice : info?.price;
}
