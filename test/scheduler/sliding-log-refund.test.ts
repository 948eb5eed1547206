/**
 * A request the server refused (quota or capacity 429) was never counted by it (azure-v1-behaviour.md §3:
 * a 429 consumes neither window), so its booking leaves our log too: kept, it held room nobody spent for
 * a whole window.
 */
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.ts';
import { resolveSchedulerOptions } from '../../src/scheduler/defaults.ts';
import { feedGate } from '../../src/scheduler/attempt-failure.ts';
import { SlidingLog } from '../../src/scheduler/sliding-log.ts';
import { completion } from './support/fake-deployment.ts';
import { contact, gate } from './support/gates.ts';

const WINDOW = 60_000;
const GUARD = 250; // life = 60,250 ms
const LIFE = WINDOW + GUARD;

describe('sliding log refund', () => {
  it('takes a refused booking out of the window: the room is free at once, not a window later', () => {
    const log = new SlidingLog(WINDOW, GUARD, 0);
    log.record(1_000, 6_000);
    log.record(2_000, 3_000);
    expect(log.earliest(2_500, 3_000, 10_000)).toBe(1_000 + LIFE);
    log.refund(2_000, 3_000, 2_500);
    expect(log.ownUsed(2_500)).toBe(6_000);
    expect(log.earliest(2_500, 3_000, 10_000)).toBe(2_500);
  });

  it('takes only its own amount out of an entry it shares with other admissions (coalesced)', () => {
    const log = new SlidingLog(WINDOW, GUARD, 0);
    log.record(1_000, 300);
    log.record(1_005, 500); // within a quantum (14.6 ms): the same entry, stamped 1,005
    expect(log.entryCount).toBe(1);
    log.refund(1_000, 300, 1_010);
    expect(log.ownUsed(1_010)).toBe(500);
    expect(log.used(1_005 + LIFE - 1)).toBe(500);
    expect(log.used(1_005 + LIFE)).toBe(0);
  });

  it('finds the booking among later entries, and never takes more than the entry holds', () => {
    const log = new SlidingLog(WINDOW, GUARD, 0);
    for (let i = 0; i < 10; i++) log.record(i * 1_000, 100 + i);
    log.refund(4_000, 1_000_000, 9_500); // the entry of t = 4,000 (104), whatever the amount says
    expect(log.ownUsed(9_500)).toBe(1_045 - 104);
    expect(log.entryCount).toBe(10);
  });

  it('a booking that already left the window changes nothing, one forgotten is a no-op', () => {
    const log = new SlidingLog(WINDOW, GUARD, 0);
    log.record(0, 700);
    log.record(LIFE + 10, 200);
    log.refund(0, 700, LIFE + 20); // expired for us already: history only
    expect(log.ownUsed(LIFE + 20)).toBe(200);
    log.refund(LIFE + 10_000, 50, LIFE + 10_000); // nothing booked at or after it
    expect(log.ownUsed(LIFE + 10_000)).toBe(200);
  });
});

describe('a refused request frees its room in the gate', () => {
  const options = { conservativeDepthMs: 0, tokenWindowMs: WINDOW, pacing: false } as const;

  it('quota 429: after the pause the next request fits where the refused one was booked', () => {
    const g = gate('a', { tpm: 10_000 }, options);
    contact(g, 0, { limitTokens: 10_000 }); // books 1 token
    g.onSuccess(110, g.onDispatch(100, 6_000), completion(100, 1, { limitTokens: 10_000, remainingTokens: 3_999 }));
    const refused = g.onDispatch(200, 3_000);
    // the server had 3,999 left and charged 4,100 (its estimate is not ours): refused, room back in 50 ms
    g.onQuota(250, refused, 50, { limitTokens: 10_000, remainingTokens: 3_999, retryAfterMs: 50 }, () => 0);
    expect(g.tokens.used(300)).toBe(6_001);
    expect(g.earliestStart(300, 3_000)).toBe(300);
  });

  it('a server that counted the refused request after all shows it in its next remaining-*: booked back', () => {
    const g = gate('a', { tpm: 10_000 }, options);
    contact(g, 0, { limitTokens: 10_000 }); // books 1 token
    const refused = g.onDispatch(100, 3_000);
    g.onQuota(150, refused, 50, { limitTokens: 10_000, retryAfterMs: 50 }, () => 0);
    expect(g.tokens.used(300)).toBe(1);
    // the next answer: the server holds our 1 + 2,000 and the refused 3,000 it counted anyway
    g.onSuccess(410, g.onDispatch(400, 2_000), completion(400, 1, { limitTokens: 10_000, remainingTokens: 10_000 - 5_001 }));
    expect(g.tokens.used(500)).toBeGreaterThanOrEqual(5_001);
    expect(g.earliestStart(500, 5_000)).toBeGreaterThan(500);
  });

  it('capacity 429 (refused before admission) frees its room; a 500 (admitted, then failed) keeps it', () => {
    const sched = resolveSchedulerOptions({ random: () => 0 }, { now: () => 0 } as never);
    for (const [status, category, freed] of [
      [429, 'capacity', true],
      [500, 'server', false],
    ] as const) {
      const g = gate('a', { tpm: 10_000 }, options);
      contact(g, 0, { limitTokens: 10_000 });
      const ticket = g.onDispatch(100, 6_000);
      const error = new ProviderError({ category, retryable: true, status, message: category, retryAfterMs: 10 });
      feedGate(g, ticket, error, 150, sched, false);
      expect(g.tokens.used(200)).toBe(freed ? 1 : 6_001);
    }
  });
});

describe('skew at its cap explains nothing more', () => {
  // window 60 s: the skew cap is max(1 s, 2 % of the window) = 1.2 s
  it('an excess that only a skew past the cap would explain is booked as foreign usage', () => {
    const log = new SlidingLog(WINDOW, GUARD, 0);
    log.record(0, 5_000);
    log.record(30_000, 5_000);
    // the server still counts our t = 0 entry 900 ms after we let it go: timing, the skew rises (≤ cap)
    expect(log.observeServerUsage(10_000, 100_000, LIFE + 900, LIFE + 950)).toBe('skew');
    const skew = log.skewMs;
    expect(skew).toBeGreaterThan(900);
    expect(skew).toBeLessThanOrEqual(1_200);
    // the server counts 3,000 more than our live entry again, where only the expired one would explain it
    // and only by a skew past the cap: that is usage, booked in the ledger, not more skew
    const at = LIFE + skew + 200;
    expect(log.observeServerUsage(8_000, 100_000, at, at + 50)).toBe('foreign');
    expect(log.skewMs).toBe(skew);
    expect(log.used(at + 50)).toBeGreaterThanOrEqual(8_000);
  });
});
