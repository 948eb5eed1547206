/**
 * Which tier answered the cells of each flex target (`serviceTier: 'flex'`): the Flex tier, or the
 * standard tier after a `flexFallback`. Folded from result records, in run-start target order.
 */
import type { FlexTierSummary } from './summary-types.ts';
import type { ResultRecord, TargetInfo } from '../types.ts';

export class FlexTierFold {
  readonly #counts = new Map<string, { flex: number; standard: number }>();

  /** Flex targets of the run-start record, so a target with no answer yet still gets its line. */
  start(targets: readonly TargetInfo[]): void {
    for (const t of targets) if (t.serviceTier === 'flex' && !this.#counts.has(t.name)) this.#counts.set(t.name, { flex: 0, standard: 0 });
  }

  add(record: ResultRecord): void {
    if (record.status !== 'ok' || record.serviceTier === undefined || record.cached) return;
    const c = this.#counts.get(record.target);
    if (!c) return;
    if (record.serviceTier === 'default') c.standard++;
    else c.flex++;
  }

  finish(): FlexTierSummary[] {
    return [...this.#counts].map(([target, c]) => ({ target, flex: c.flex, standard: c.standard }));
  }
}
