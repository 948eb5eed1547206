import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LimiterSettings } from '../../src/emulator/admission.ts';
import { estimateCost, SlidingWindowLimiter } from '../../src/emulator/admission.ts';
import { PtuBucket } from '../../src/emulator/ptu.ts';

const settingsArb = fc.record({
  tokenWindowMs: fc.integer({ min: 100, max: 60_000 }),
  tokenLimit: fc.integer({ min: 50, max: 5_000 }),
  requestWindows: fc.array(fc.record({ ms: fc.integer({ min: 50, max: 20_000 }), limit: fc.integer({ min: 1, max: 20 }) }), {
    minLength: 0,
    maxLength: 3,
  }),
  countRejected: fc.constant(false),
}) as fc.Arbitrary<LimiterSettings>;

const traceArb = fc.array(fc.record({ gap: fc.integer({ min: 0, max: 3_000 }), cost: fc.integer({ min: 1, max: 1_500 }) }), {
  minLength: 1,
  maxLength: 120,
});

describe('sliding-window admission (§12.4)', () => {
  it('admitted cost and count never exceed any window budget, in any window', () => {
    fc.assert(
      fc.property(settingsArb, traceArb, (s, trace) => {
        const limiter = new SlidingWindowLimiter();
        const admitted: Array<{ t: number; cost: number }> = [];
        let t = 0;
        for (const { gap, cost } of trace) {
          t += gap;
          if (limiter.decide(t, cost, s).admitted) admitted.push({ t, cost });
        }
        // The window total only grows at admission instants, so checking windows ending there is exhaustive.
        for (const a of admitted) {
          const inTokenWindow = admitted.filter((b) => b.t > a.t - s.tokenWindowMs && b.t <= a.t);
          expect(inTokenWindow.reduce((sum, b) => sum + b.cost, 0)).toBeLessThanOrEqual(s.tokenLimit);
          for (const w of s.requestWindows) {
            expect(admitted.filter((b) => b.t > a.t - w.ms && b.t <= a.t).length).toBeLessThanOrEqual(w.limit);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a request re-sent exactly retry-after-ms later is admitted (and not 1 ms earlier) when nothing else arrived', () => {
    fc.assert(
      fc.property(settingsArb, traceArb, (s, trace) => {
        const limiter = new SlidingWindowLimiter();
        let t = 0;
        for (const { gap, cost } of trace) {
          t += gap;
          const d = limiter.decide(t, cost, s);
          if (d.admitted || d.neverFits) continue;
          const retryAfterMs = Math.ceil(d.waitMs);
          if (retryAfterMs > 1) expect(limiter.decide(t + retryAfterMs - 1, cost, s).admitted).toBe(false);
          expect(limiter.decide(t + retryAfterMs, cost, s).admitted).toBe(true);
          return;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reports the request reason and the wait from the oldest entry, and never-fitting costs', () => {
    const limiter = new SlidingWindowLimiter();
    const s: LimiterSettings = {
      tokenWindowMs: 60_000,
      tokenLimit: 1_000,
      requestWindows: [{ ms: 10_000, limit: 2 }],
      countRejected: false,
    };
    expect(limiter.decide(0, 10, s).admitted).toBe(true);
    const second = limiter.decide(1_000, 10, s);
    expect(second).toMatchObject({ admitted: true, remainingRequests: 0, remainingTokens: 980 });
    const third = limiter.decide(2_000, 10, s);
    expect(third).toMatchObject({ admitted: false, reason: 'requests', waitMs: 8_000 });
    const huge = limiter.decide(2_000, 5_000, s);
    expect(huge).toMatchObject({ admitted: false, neverFits: true, waitMs: 60_000 });
  });

  it('429s do not consume the windows unless countRejected', () => {
    const s: LimiterSettings = { tokenWindowMs: 60_000, tokenLimit: 100, requestWindows: [{ ms: 10_000, limit: 1 }], countRejected: false };
    const a = new SlidingWindowLimiter();
    a.decide(0, 10, s);
    for (let t = 1_000; t < 10_000; t += 1_000) expect(a.decide(t, 10, s).admitted).toBe(false);
    expect(a.decide(10_000, 10, s).admitted).toBe(true);
    const b = new SlidingWindowLimiter();
    const counting = { ...s, countRejected: true };
    b.decide(0, 10, counting);
    b.decide(5_000, 10, counting);
    expect(b.decide(10_000, 10, counting).admitted).toBe(false); // the rejected request at 5 s still counts
  });

  it('estimate = ceil(chars/4) + completion × max(n, best_of); legacy gpt-35 = max_tokens ?? 16', () => {
    expect(estimateCost({ promptChars: 90, limit: undefined, n: 1, bestOf: 1 }, 4, 640)).toBe(663);
    expect(estimateCost({ promptChars: 28, limit: 2_000, n: 1, bestOf: 1 }, 4, 640)).toBe(2_007);
    expect(estimateCost({ promptChars: 4, limit: 100, n: 3, bestOf: 2 }, 4, 640)).toBe(301);
    expect(estimateCost({ promptChars: 400, limit: undefined, n: 1, bestOf: 1 }, 4, 640, true)).toBe(16);
  });
});

describe('PTU utilisation bucket (§8)', () => {
  it('admits while U < C (bursts above 100 % allowed), then 429 until drained below C', () => {
    const b = new PtuBucket();
    const C = 6_000; // per 60 s window → 100 per second
    expect(b.admit(0, 5_000, C, 60_000).admitted).toBe(true);
    expect(b.admit(0, 5_000, C, 60_000).admitted).toBe(true); // U was 5 000 < C: burst to 10 000
    const rejected = b.admit(0, 100, C, 60_000);
    expect(rejected.admitted).toBe(false);
    expect(rejected.waitMs).toBeCloseTo(40_000, 0); // (10 000 − 6 000) / (100 per s)
    expect(b.admit(40_001, 100, C, 60_000).admitted).toBe(true);
  });

  it('corrects utilisation by actual − estimate after completion', () => {
    const b = new PtuBucket();
    b.admit(0, 6_000, 6_000, 60_000);
    expect(b.admit(0, 1, 6_000, 60_000).admitted).toBe(false);
    b.correct(0, -3_000, 6_000, 60_000);
    expect(b.admit(0, 1, 6_000, 60_000).admitted).toBe(true);
  });
});
