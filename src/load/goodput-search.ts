/**
 * The goodput search: the highest rate on a grid whose step meets the SLO, by bisection over the grid
 * (latency grows with load, so "meets" is monotone in the rate). Each probe is one measured step; the
 * answer is exact to one grid step, with about log2(steps) probes instead of one per grid point.
 */
import { roundRate } from './profile.ts';

export interface GoodputSearch {
  /** The next rate to measure, or undefined when the search is over. */
  next(): number | undefined;
  /** Records whether the step at `rate` met the SLO. */
  record(rate: number, meets: boolean): void;
  /** Highest grid rate known to meet the SLO, or undefined when none did. */
  result(): number | undefined;
  readonly grid: readonly number[];
}

/** Grid: `steps` rates evenly spaced above `min` up to and including `max`. */
export function createGoodputSearch(min: number, max: number, steps: number): GoodputSearch {
  const grid = Array.from({ length: steps }, (_, i) => roundRate(min + ((max - min) * (i + 1)) / steps));
  // Invariant: every index ≤ lo is known to meet (lo = -1: none yet), every index ≥ hi is known to fail.
  let lo = -1;
  let hi = grid.length;
  return {
    grid,
    next: () => (hi - lo > 1 ? grid[(lo + hi) >> 1] : undefined),
    record(rate, meets) {
      const index = grid.indexOf(rate);
      if (index < 0) return;
      if (meets) lo = Math.max(lo, index);
      else hi = Math.min(hi, index);
    },
    result: () => (lo >= 0 ? grid[lo] : undefined),
  };
}
