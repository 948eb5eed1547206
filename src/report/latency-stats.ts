/** Turns a sample of latencies into the LatencyStats every report shows. */
import type { Random } from '../internal/rng.ts';
import { bootstrapPercentileCis } from './stats/bootstrap.ts';
import { type Description, describe } from './stats/describe.ts';
import { percentileSorted, REPORTED_PERCENTILES, sortedCopy } from './stats/percentile.ts';
import type { Interval } from './stats/wilson.ts';
import type { LatencyStats } from './summary-types.ts';

/** @returns `null` for an empty sample. `random` seeds the bootstrap (deterministic re-renders). */
export function latencyStats(values: ArrayLike<number>, random: Random, resamples: number): LatencyStats | null {
  const description = describe(values);
  if (description === null) return null;
  const sorted = sortedCopy(values);
  const cis = bootstrapPercentileCis(sorted, REPORTED_PERCENTILES, { random, resamples });
  return assembleLatencyStats(description, (p) => percentileSorted(sorted, p), cis);
}

/** LatencyStats from a description, a percentile function and intervals for REPORTED_PERCENTILES, in order. */
export function assembleLatencyStats(
  description: Description,
  percentile: (p: number) => number,
  cis: readonly (Interval | null)[],
): LatencyStats {
  const at = (i: number) => ({ value: percentile(REPORTED_PERCENTILES[i]!), ci: cis[i] ?? null });
  return {
    count: description.count,
    mean: description.mean,
    stddev: description.stddev,
    min: description.min,
    max: description.max,
    percentiles: { p50: at(0), p90: at(1), p95: at(2), p99: at(3) },
  };
}
