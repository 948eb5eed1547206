import { describe, expect, it } from 'vitest';
import { chooseGate } from '../../src/scheduler/lane.ts';
import type { Choice } from '../../src/scheduler/lane.ts';
import { completion } from './support/fake-deployment.ts';
import { contact, gate } from './support/gates.ts';

const choice = (): Choice => ({ gate: undefined, at: 0, fits: false });

describe('Gate', () => {
  it('allows one request in flight until the deployment first answers', () => {
    const g = gate('a', { tpm: 100_000, rpm: 600 });
    expect(g.cap).toBe(1);
    g.onDispatch(0, 10);
    expect(g.earliestStart(0, 10)).toBe(Number.POSITIVE_INFINITY);
  });

  it('switches from the conservative bucket to the sliding log on the first headers', () => {
    const g = gate('a', { tpm: 60_000, rpm: 600 }, { conservativeDepthMs: 2_000 });
    expect(g.tokens.shape).toBe('bucket');
    contact(g, 0, { limitTokens: 60_000, limitRequests: 100 });
    expect(g.tokens.shape).toBe('sliding');
    expect(g.earliestStart(10, 50_000)).toBe(10); // the whole first window is usable
  });

  it('derives the request budget as rpm/6 per request window', () => {
    const g = gate('a', { rpm: 60 }, { conservativeDepthMs: 0 });
    expect(g.requests.budget).toBe(10);
  });

  it('follows a temporary limit reduction from headers and back', () => {
    const g = gate('a', { tpm: 100_000 }, { conservativeDepthMs: 0 });
    contact(g, 0, { limitTokens: 60_000 });
    expect(g.tokens.budget).toBe(60_000);
    contact(g, 10, { limitTokens: 100_000 });
    expect(g.tokens.budget).toBe(100_000);
  });

  it('a quota 429 pauses the whole gate for the hint plus at most 10 % jitter', () => {
    const g = gate('a', { tpm: 100_000 }, { conservativeDepthMs: 0 });
    contact(g, 0);
    const ticket = g.onDispatch(100, 10);
    expect(g.onQuota(200, ticket, 5_000, undefined, () => 0.5)).toBe(true);
    expect(g.pauseUntil).toBe(200 + 5_000 * 1.05);
    expect(g.earliestStart(300, 10)).toBe(g.pauseUntil);
  });

  it('the jitter is at most 1 s, however long the hint', () => {
    const g = gate('a', { tpm: 100_000 }, { conservativeDepthMs: 0 });
    contact(g, 0);
    g.onQuota(200, g.onDispatch(100, 10), 45_000, undefined, () => 0.99);
    expect(g.pauseUntil).toBe(200 + 45_000 + 990); // not 45,000 × 1.099
  });

  it('cuts beta by 10 % at most once per cooldown, with a floor of 0.5', () => {
    const g = gate('a', { tpm: 100_000 }, { conservativeDepthMs: 0, betaCooldownMs: 2_000 });
    contact(g, 0);
    g.onQuota(100, g.onDispatch(100, 1), 100, undefined, () => 0);
    g.onQuota(150, g.onDispatch(150, 1), 100, undefined, () => 0);
    expect(g.beta).toBeCloseTo(0.9);
    for (let i = 1; i <= 20; i++) g.onQuota(i * 3_000, g.onDispatch(i * 3_000, 1), 100, undefined, () => 0);
    expect(g.beta).toBe(0.5);
  });

  it('recovers beta by 0.02 per clean token window', () => {
    const g = gate('a', { tpm: 100_000 }, { conservativeDepthMs: 0, tokenWindowMs: 60_000 });
    contact(g, 0);
    g.onQuota(100, g.onDispatch(100, 1), 100, undefined, () => 0);
    g.earliestStart(100 + 3 * 60_000, 1);
    expect(g.beta).toBeCloseTo(0.96);
  });

  it('quota 429s never touch the concurrency cap', () => {
    const g = gate('a', { tpm: 1e9, rpm: 1e9 }, { conservativeDepthMs: 0 });
    contact(g, 0);
    const before = g.cap;
    for (let i = 0; i < 50; i++) g.onQuota(10 + i * 100, g.onDispatch(10 + i * 100, 1), 50, undefined, () => 0);
    expect(g.cap).toBe(before);
  });

  it('enables the 1 s request sub-window when a quota 429 arrives with requests and tokens left', () => {
    const g = gate('a', { tpm: 100_000, rpm: 600 }, { conservativeDepthMs: 0 });
    contact(g, 0);
    expect(g.subWindowEnabled).toBe(false);
    g.onQuota(10, g.onDispatch(10, 100), 500, { remainingRequests: 80, remainingTokens: 50_000 }, () => 0);
    expect(g.subWindowEnabled).toBe(true);
  });

  it('falls back to a paced bucket after a storm of quota 429s in one pause', () => {
    const g = gate('a', { tpm: 100_000 }, { conservativeDepthMs: 0 });
    contact(g, 0, { limitTokens: 100_000 });
    for (let i = 0; i < 3; i++) g.onQuota(10 + i, g.onDispatch(10 + i, 1), 5_000, undefined, () => 0);
    expect(g.tokens.shape).toBe('bucket');
  });

  it('a 429’s round trip caps the skew its mirrors have learned (the server stamped it before answering)', () => {
    const g = gate('a', { tpm: 10_000 }, { conservativeDepthMs: 0 });
    contact(g, 0, { limitTokens: 10_000 });
    g.onSuccess(200, g.onDispatch(100, 4_000), completion(100, 100, { limitTokens: 10_000, remainingTokens: 5_999 }));
    // 61 s: the server still counts the 4,000 sent at 0.1 s, which left our window at 60.35 s
    g.onSuccess(61_100, g.onDispatch(61_000, 1_000), completion(61_000, 100, { limitTokens: 10_000, remainingTokens: 4_999 }));
    expect(g.tokens.skewMs).toBeGreaterThan(500);
    g.onQuota(62_040, g.onDispatch(62_000, 100), 1_000, undefined, () => 0);
    expect(g.tokens.skewMs).toBeLessThanOrEqual(40);
  });

  it('marks a day-long hint as unavailable and opens the breaker', () => {
    const g = gate('a', { tpm: 100_000 });
    contact(g, 0);
    expect(g.onQuota(10, g.onDispatch(10, 1), 86_400_000, undefined, () => 0)).toBe(false);
    expect(g.breaker.state).toBe('open');
  });

  it('counts a long reset (6m0s, no remaining-* headers) as paused time and shows it in pauseUntil', () => {
    const g = gate('a', { tpm: 100_000 });
    contact(g, 0);
    expect(g.onQuota(10, g.onDispatch(10, 1), undefined, { resetRequestsMs: 360_000 }, () => 0)).toBe(false);
    expect(g.pauseUntil).toBe(360_010);
    expect(g.pausedMs(360_010)).toBe(360_000);
    expect(g.snapshot(20).pauseUntil).toBe(360_010);
  });

  it('rejects a cost above the whole token budget', () => {
    const g = gate('a', { tpm: 1_000 });
    expect(g.fits(1_000)).toBe(true);
    expect(g.fits(1_001)).toBe(false);
  });

  it('counts paused time as the union of overlapping pauses', () => {
    const g = gate('a', { tpm: 100_000 }, { conservativeDepthMs: 0 });
    contact(g, 0);
    g.onQuota(1_000, g.onDispatch(1_000, 1), 1_000, undefined, () => 0); // [1000, 2000]
    g.onQuota(1_500, g.onDispatch(1_500, 1), 1_000, undefined, () => 0); // [1500, 2500]
    g.onQuota(5_000, g.onDispatch(5_000, 1), 1_000, undefined, () => 0); // [5000, 6000]
    expect(g.pausedMs(10_000)).toBe(2_500);
    expect(g.pausedMs(5_500)).toBe(2_000);
  });
});

describe('pacing and beta recovery', () => {
  it('paces a burst: 10 % of the window budget at once, then four times the average rate', () => {
    const g = gate('a', { tpm: 60_000 }, { conservativeDepthMs: 0 }); // 1 token/ms on average
    contact(g, 0); // books 1 token at t = 0
    const now = 1; // the pacer is full again: 6,000 (10 % of the budget), refilling at 4 tokens/ms
    for (let i = 0; i < 6; i++) {
      expect(g.earliestStart(now, 1_000)).toBe(now);
      g.onSuccess(now, g.onDispatch(now, 1_000), completion(now, 1, {}));
    }
    // empty: the next 1,000 tokens wait 1,000 / 4 ms
    expect(g.earliestStart(now, 1_000)).toBeCloseTo(now + 250, 6);
  });

  it('can be switched off', () => {
    const g = gate('a', { tpm: 60_000 }, { conservativeDepthMs: 0, pacing: false });
    contact(g, 0);
    for (let i = 0; i < 20; i++) g.onSuccess(10, g.onDispatch(10, 1_000), completion(10, 1, {}));
    expect(g.earliestStart(10, 1_000)).toBe(10);
  });

  it('a 429 whose headers show an unseen tenant books it in the mirror and leaves beta alone', () => {
    const g = gate('a', { tpm: 100_000 }, { conservativeDepthMs: 0, tokenWindowMs: 60_000, pacing: false });
    contact(g, 0, { limitTokens: 100_000 }); // books 1 token at t = 0
    const ticket = g.onDispatch(100, 5_000);
    // the server holds 96,000 without our 5,000: 95,000 (and our 1) are someone else's
    g.onQuota(150, ticket, 1_000, { limitTokens: 100_000, remainingTokens: 4_000, retryAfterMs: 1_000 }, () => 0);
    expect(g.beta).toBe(1);
    expect(g.tokens.used(200)).toBeGreaterThanOrEqual(96_000);
    expect(g.earliestStart(2_000, 5_000)).toBeGreaterThan(60_000);
  });

  describe('a 429 at a window turn that our late arrivals explain', () => {
    // 9,000 sent at 0.1 s reached the server late, so at 60.4 s it still holds them while our mirror let them
    // go at 60.35 s. The 429's own headers show exactly that (skew, within the refusal's 100 ms round trip);
    // re-checked against the raised skew the burst counts as alive at the send and explains nothing more.
    const turn = (tenant: number) => {
      const g = gate('a', { tpm: 10_000 }, { conservativeDepthMs: 0, tokenWindowMs: 60_000, pacing: false });
      let held = 1; // what the server holds: contact's 1 token at 0
      const answer = (at: number, cost: number) => {
        held += cost;
        g.onSuccess(at + 100, g.onDispatch(at, cost), completion(at, 100, { limitTokens: 10_000, remainingTokens: 10_000 - held }));
      };
      contact(g, 0, { limitTokens: 10_000 });
      answer(100, 9_000);
      held += tenant; // from 30 s a tenant uses `tenant` tokens, seen (and booked) at our request then
      answer(30_000, 1);
      answer(59_500, 1);
      answer(59_600, 1);
      held -= 1; // contact's token left the server's window at 60 s
      const refused = g.onDispatch(60_400, 1_000);
      g.onQuota(60_500, refused, 500, { limitTokens: 10_000, remainingTokens: 10_000 - held, retryAfterMs: 500 }, () => 0);
      return g;
    };

    it('leaves beta alone when no foreign usage is booked: the server sees nobody but us', () => {
      expect(turn(0).beta).toBe(1);
    });

    it('still cuts beta while a tenant is booked (an over-charge or tenant the ledger only partly holds)', () => {
      expect(turn(500).beta).toBeCloseTo(0.9);
    });
  });

  it('raises beta again when the server counts no more than we sent', () => {
    const g = gate('a', { tpm: 100_000 }, { conservativeDepthMs: 0, tokenWindowMs: 60_000 });
    contact(g, 0, { limitTokens: 100_000 });
    g.onQuota(100, g.onDispatch(100, 1), 100, undefined, () => 0);
    expect(g.beta).toBeCloseTo(0.9);
    const ticket = g.onDispatch(10_000, 1_000);
    g.onSuccess(10_100, ticket, completion(10_000, 1, { limitTokens: 100_000, remainingTokens: 100_000 - 1_000 }));
    expect(g.beta).toBeCloseTo(0.92);
  });
});

describe('earliest-feasible-start choice', () => {
  it('picks the pool member whose mirror has room now', () => {
    const full = gate('full', { tpm: 10_000 }, { conservativeDepthMs: 0 });
    const free = gate('free', { tpm: 10_000 }, { conservativeDepthMs: 0 });
    contact(full, 0);
    contact(free, 0);
    full.onSuccess(5, full.onDispatch(5, 9_900), completion(5, 1, {}));
    expect(chooseGate([full, free], 10, 500, choice()).gate?.id).toBe('free');
  });

  it('picks the member that frees room first when none has room now', () => {
    const early = gate('early', { tpm: 1_000 }, { conservativeDepthMs: 0, tokenWindowMs: 10_000, expiryGuardMs: 0 });
    const late = gate('late', { tpm: 1_000 }, { conservativeDepthMs: 0, tokenWindowMs: 10_000, expiryGuardMs: 0 });
    contact(early, 0);
    contact(late, 0);
    early.onSuccess(100, early.onDispatch(100, 999), completion(100, 1, {}));
    late.onSuccess(500, late.onDispatch(500, 999), completion(500, 1, {}));
    const c = chooseGate([late, early], 1_000, 500, choice());
    expect(c.gate?.id).toBe('early');
    expect(c.at).toBe(10_100);
  });

  it('breaks ties by fewest requests in flight', () => {
    const busy = gate('busy', { tpm: 1e6 }, { conservativeDepthMs: 0 });
    const idle = gate('idle', { tpm: 1e6 }, { conservativeDepthMs: 0 });
    contact(busy, 0);
    contact(idle, 0);
    busy.onDispatch(10, 1);
    expect(chooseGate([busy, idle], 20, 1, choice()).gate?.id).toBe('idle');
  });

  it('then by the largest remaining budget fraction', () => {
    const used = gate('used', { tpm: 10_000 }, { conservativeDepthMs: 0 });
    const fresh = gate('fresh', { tpm: 10_000 }, { conservativeDepthMs: 0 });
    contact(used, 0);
    contact(fresh, 0);
    used.onSuccess(10, used.onDispatch(10, 5_000), completion(10, 1, {}));
    expect(chooseGate([used, fresh], 20, 1, choice()).gate?.id).toBe('fresh');
  });

  it('skips a paused member', () => {
    const paused = gate('paused', { tpm: 1e6 }, { conservativeDepthMs: 0 });
    const other = gate('other', { tpm: 1e6 }, { conservativeDepthMs: 0 });
    contact(paused, 0);
    contact(other, 0);
    paused.onQuota(10, paused.onDispatch(10, 1), 5_000, undefined, () => 0);
    other.onDispatch(10, 1);
    other.onDispatch(10, 1);
    expect(chooseGate([paused, other], 20, 1, choice()).gate?.id).toBe('other');
  });

  it('reports when no member can ever hold the request', () => {
    const small = gate('small', { tpm: 1_000 });
    const c = chooseGate([small], 0, 5_000, choice());
    expect(c.fits).toBe(false);
    expect(c.gate).toBeUndefined();
  });
});
