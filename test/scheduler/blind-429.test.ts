/**
 * Hint-less 429s (blind-429.ts) against a bare endpoint: no rate headers at all and a hard in-flight
 * cap answered with a plain 429. The scheduler must treat them as overload: shrink concurrency to
 * about the cap, retry quickly, count a burst once, and lose nothing.
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/internal/clock.ts';
import { createRng } from '../../src/internal/rng.ts';
import { Blind429, blindTuning, isBlind } from '../../src/scheduler/blind-429.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import { FakeDeployment, providerError } from './support/fake-deployment.ts';
import { drive, lane, recorder } from './support/harness.ts';

/** A bare endpoint: `cap` requests at once, the next one refused with a 429 that says nothing. */
function bare(clock: VirtualClock, cap: number, latencyMs: number): FakeDeployment {
  let admitted = 0;
  const dep: FakeDeployment = new FakeDeployment({
    id: 'bare',
    clock,
    latencyMs,
    headers: false,
    script: () => {
      if (admitted >= cap) return providerError('quota', { status: 429 });
      admitted++;
      clock.setTimer(() => void admitted--, latencyMs);
      return undefined;
    },
  });
  return dep;
}

describe('hint-less 429s', () => {
  it.each([1, 2, 3])('finish a bare endpoint near its in-flight-cap bound with few 429s and nothing lost (seed %i)', async (seed) => {
    const clock = new VirtualClock();
    const dep = bare(clock, 8, 1_000);
    const rec = recorder(clock);
    const stats = await drive(clock, createScheduler({ clock, random: createRng(seed) }), [lane('t', [dep], 300)], rec.hooks);
    expect([...rec.settled.values()].every((list) => list[0]?.status === 'ok')).toBe(true);
    const boundMs = Math.ceil(300 / 8) * 1_000;
    const ratio = boundMs / clock.now();
    // measured 0.950 and 9 429s of 309 attempts: one slow-start overshoot (completions arrive together
    // on this clock, so the extra requests leave in one instant and are refused as one burst) and one
    // probe past the cap. 0.927 (8 of 308) while slow start doubled once per update window instead of
    // adding a slot per completion; 0.922 (15 of 315) before later refusals of a burst lowered the
    // ceiling; when hint-less 429s were quota pauses stepping towards 60 s, the same run reached 0.018
    expect(ratio).toBeGreaterThanOrEqual(0.94);
    expect(stats.quota429 / stats.attempts).toBeLessThanOrEqual(0.03);
  });

  it('counts a burst of refusals once and pauses briefly, doubling only while bursts continue', () => {
    const blind = new Blind429();
    const half = () => 0.5;
    const first = blind.onReject(0, half);
    expect(first.newBurst).toBe(true);
    expect(first.until).toBe(blindTuning.baseMs * 0.75);
    expect(blind.onReject(10, half).newBurst).toBe(false); // same burst
    const second = blind.onReject(first.until, half);
    expect(second.newBurst).toBe(true);
    expect(second.until - first.until).toBe(2 * blindTuning.baseMs * 0.75);
    for (let i = 0; i < 20; i++) blind.onReject(1e9 * (i + 1), half);
    expect(blind.onReject(1e12, () => 1).until - 1e12).toBe(blindTuning.maxMs);
    blind.onAnswer();
    expect(blind.onReject(2e12, half).until - 2e12).toBe(blindTuning.baseMs * 0.75);
    expect(blind.signals).toBe(24);
  });

  it('is blind only when the 429 carries no hint and no rate header at all', () => {
    expect(isBlind(undefined, undefined)).toBe(true);
    expect(isBlind(undefined, {})).toBe(true);
    expect(isBlind(1_000, undefined)).toBe(false);
    expect(isBlind(undefined, { remainingRequests: 0 })).toBe(false);
    expect(isBlind(undefined, { resetTokensMs: 6 * 60_000 })).toBe(false);
  });
});
