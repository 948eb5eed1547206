/**
 * Open-loop arrival schedules: offsets (ms from the step start) of every request, fixed before the step
 * starts and never moved by a slow response, which is what keeps the measurement free of coordinated
 * omission. Constant spacing, or Poisson arrivals (exponential gaps) from a seeded RNG.
 */
import type { Random } from '../internal/rng.ts';
import type { Arrivals } from './profile.ts';

/** Offsets of arrivals at `rate` req/s within `durationMs`, at most `maxRequests` of them. */
export function* arrivalOffsets(
  arrivals: Arrivals,
  rate: number,
  durationMs: number,
  maxRequests: number,
  random: Random,
): Generator<number> {
  const meanGapMs = 1000 / rate;
  let at = 0;
  for (let i = 0; i < maxRequests; i++) {
    if (arrivals === 'constant')
      at = i * meanGapMs; // multiplied, not summed: no float drift over long steps
    else if (i > 0) at += -Math.log(1 - random()) * meanGapMs;
    if (at >= durationMs) return;
    yield at;
  }
}
