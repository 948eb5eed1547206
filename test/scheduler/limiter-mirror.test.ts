import { describe, expect, it } from 'vitest';
import { LimiterMirror } from '../../src/scheduler/limiter-mirror.ts';

const sliding = (budget: number | undefined, windowMs = 60_000, guardMs = 250) =>
  new LimiterMirror({ budget, windowMs, guardMs, conservativeDepthMs: 0 }, 0);

describe('sliding-log mirror', () => {
  it('admits at once while the window has room', () => {
    const m = sliding(1_000);
    m.record(0, 600);
    expect(m.earliest(10, 400, 1)).toBe(10);
  });

  it('waits until enough of the oldest entries expire (send + window + guard)', () => {
    const m = sliding(1_000);
    m.record(0, 300);
    m.record(5_000, 300);
    m.record(10_000, 300);
    // needs 500: freeing the first two entries is enough
    expect(m.earliest(20_000, 500, 1)).toBe(5_000 + 60_000 + 250);
  });

  it('frees room exactly at the computed time', () => {
    const m = sliding(1_000);
    m.record(0, 1_000);
    const at = m.earliest(1, 1, 1);
    expect(at).toBe(60_250);
    expect(m.earliest(at, 1, 1)).toBe(at);
    expect(m.used(at)).toBe(0);
  });

  it('lets an oversized request go into debt once the window is empty', () => {
    const m = sliding(1_000);
    m.record(0, 200);
    expect(m.earliest(100, 5_000, 1)).toBe(60_250);
    expect(m.earliest(60_250, 5_000, 1)).toBe(60_250);
  });

  it('scales the budget by beta', () => {
    const m = sliding(1_000);
    m.record(0, 800);
    expect(m.earliest(1, 150, 1)).toBe(1);
    expect(m.earliest(1, 150, 0.9)).toBe(60_250);
  });

  it('never delays when the budget is unknown', () => {
    const m = sliding(undefined);
    m.record(0, 1e9);
    expect(m.earliest(1, 1e9, 1)).toBe(1);
    expect(m.roomFraction(1, 1)).toBe(1);
  });

  it('reports the free share of the budget', () => {
    const m = sliding(1_000);
    m.record(0, 250);
    expect(m.roomFraction(1, 1)).toBeCloseTo(0.75);
  });
});

describe('learning from headers', () => {
  it('follows a lower limit header down at once', () => {
    const m = sliding(1_000);
    m.observeLimit(600);
    expect(m.budget).toBe(600);
  });

  it('never rises above the configured budget', () => {
    const m = sliding(1_000);
    m.observeLimit(5_000);
    expect(m.budget).toBe(1_000);
  });

  it('rises back only when a header says so', () => {
    const m = sliding(1_000);
    m.observeLimit(600);
    m.observeLimit(undefined);
    expect(m.budget).toBe(600);
    m.observeLimit(1_000);
    expect(m.budget).toBe(1_000);
  });

  it('ignores the Responses API -1 values', () => {
    const m = sliding(1_000);
    m.observeLimit(-1);
    m.observeRemaining(-1, 0, 0, 0);
    expect(m.budget).toBe(1_000);
  });

  it('takes the header limit when nothing was configured', () => {
    const m = sliding(undefined);
    m.observeLimit(750);
    expect(m.budget).toBe(750);
  });

  it('learns a budget from remaining + our own usage when no limit header exists', () => {
    const m = sliding(undefined);
    m.record(0, 100);
    m.observeRemaining(900, 100, 0, 50);
    expect(m.budget).toBe(1_000);
  });
});

describe('conservative bucket', () => {
  const bucket = () => new LimiterMirror({ budget: 60_000, windowMs: 60_000, guardMs: 250, conservativeDepthMs: 2_000 }, 0);

  it('starts as a bucket two seconds deep at the configured rate', () => {
    const m = bucket();
    expect(m.shape).toBe('bucket');
    expect(m.earliest(0, 2_000, 1)).toBe(0); // 2 s × 1 token/ms
    m.record(0, 2_000);
    expect(m.earliest(0, 500, 1)).toBe(500); // refills at 1 token/ms
  });

  it('admits a request larger than the depth once the bucket is full (debt)', () => {
    const m = bucket();
    m.record(0, 2_000);
    expect(m.earliest(0, 10_000, 1)).toBe(2_000);
  });

  it('keeps what it admitted when switching to the sliding log', () => {
    const m = bucket();
    m.record(0, 2_000);
    m.useSliding();
    expect(m.used(1)).toBe(2_000);
    expect(m.earliest(1, 58_000, 1)).toBe(1);
    expect(m.earliest(1, 58_001, 1)).toBe(60_250);
  });

  it('is emptied by a quota 429', () => {
    const m = bucket();
    m.exhaust(0);
    expect(m.earliest(0, 1_000, 1)).toBe(1_000);
  });

  it('lowers its level from a remaining header, never raises it', () => {
    const m = bucket();
    m.observeRemaining(100, 0, 0, 0);
    expect(m.earliest(0, 500, 1)).toBe(400);
    m.observeRemaining(50_000, 0, 0, 0);
    expect(m.earliest(0, 500, 1)).toBe(400);
  });
});

describe('window learning', () => {
  const tokens = () =>
    new LimiterMirror({ budget: 60_000, windowMs: 60_000, guardMs: 0, conservativeDepthMs: 0, windowDivisors: [6, 60] }, 0);

  it('learns a 10 s window when the first limit header is a sixth of the configured budget', () => {
    const m = tokens();
    m.observeLimit(10_000);
    expect(m.windowMs).toBe(10_000);
    expect(m.budget).toBe(10_000);
  });

  it('treats a later drop as a temporary reduction, not a shorter window', () => {
    const m = tokens();
    m.observeLimit(60_000);
    m.observeLimit(10_000);
    expect(m.windowMs).toBe(60_000);
    expect(m.budget).toBe(10_000);
  });

  it('keeps the configured window for a first header that matches no divisor', () => {
    const m = tokens();
    m.observeLimit(36_000);
    expect(m.windowMs).toBe(60_000);
    expect(m.budget).toBe(36_000);
  });
});

describe('skew learning from remaining headers', () => {
  const mirror = () => new LimiterMirror({ budget: 10_000, windowMs: 60_000, guardMs: 0, conservativeDepthMs: 0 }, 0);

  it('lengthens entry life when the server still holds entries we let expire', () => {
    const m = mirror();
    m.record(0, 4_000);
    m.record(61_000, 1_000); // our first entry expired at 60 s
    // the server admitted the second request still holding the first one: it stamps ≥ 1 s later
    m.observeServerUsage(5_000, 61_000, 61_050);
    expect(m.skewMs).toBeGreaterThanOrEqual(1_000);
    expect(m.used(61_050)).toBe(5_000); // the first entry counts again
  });

  it('ignores usage that our own recent entries cannot explain (another tenant)', () => {
    const m = mirror();
    m.record(0, 1_000);
    m.observeServerUsage(8_000, 0, 100);
    expect(m.skewMs).toBe(0);
  });

  it('does not mistake requests that overtook each other for skew', () => {
    const m = mirror();
    m.record(1_000, 2_000);
    m.record(1_000, 2_000); // sent right after, admitted first by the server
    m.observeServerUsage(4_000, 1_000, 1_500);
    expect(m.skewMs).toBe(0);
  });

  it('shrinks a learned skew by a quarter after a clean window', () => {
    const m = mirror();
    m.record(0, 4_000);
    m.record(61_000, 1_000);
    m.observeServerUsage(5_000, 61_000, 61_500);
    const learned = m.skewMs;
    m.record(130_000, 100);
    m.observeServerUsage(100, 130_000, 130_100);
    expect(m.skewMs).toBeCloseTo(learned * 0.75);
  });
});

describe('skew capped by refusals’ round trips', () => {
  // A 429 comes back at once: the server stamped that request before it answered, so its send → arrival
  // delay was at most the round trip, and no skew beyond the latest refusals' longest one is timing.
  const mirror = () => new LimiterMirror({ budget: 10_000, windowMs: 60_000, guardMs: 0, conservativeDepthMs: 0 }, 0);

  it('books as another charge what only a skew longer than any refusal’s round trip would explain', () => {
    const m = mirror();
    m.noteRefusal(30_000, 30_080); // answered in 80 ms
    m.record(0, 4_000);
    m.record(61_000, 1_000); // our first entry expired 1 s before; the server still counts it
    expect(m.observeServerUsage(5_000, 61_000, 61_100)).toBe('foreign');
    expect(m.skewMs).toBe(0);
    expect(m.used(61_100)).toBe(5_000); // the excess still counts, for a window from when it was seen
  });

  it('still learns a skew within the round trip', () => {
    const m = mirror();
    m.noteRefusal(30_000, 31_500);
    m.record(0, 4_000);
    m.record(61_000, 1_000);
    expect(m.observeServerUsage(5_000, 61_000, 61_100)).toBe('skew');
    expect(m.skewMs).toBe(1_200); // the usual cap: 1.25 s padded, at most 2 % of the window
  });

  it('lowers a learned skew when a refusal comes back faster', () => {
    const m = mirror();
    m.record(0, 4_000);
    m.record(61_000, 1_000);
    m.observeServerUsage(5_000, 61_000, 61_100);
    expect(m.skewMs).toBe(1_200);
    m.noteRefusal(62_000, 62_300);
    expect(m.skewMs).toBe(300);
    expect(m.used(62_300)).toBe(1_000); // the first entry left again with the shorter life
  });

  it('follows the longest of the latest 8 round trips, forgetting older ones', () => {
    const m = mirror();
    m.record(0, 4_000);
    m.record(61_000, 1_000);
    m.noteRefusal(59_000, 60_500);
    m.observeServerUsage(5_000, 61_000, 61_100);
    expect(m.skewMs).toBe(1_200);
    for (let i = 1; i <= 7; i++) m.noteRefusal(62_000 + i, 62_100 + i);
    expect(m.skewMs).toBe(1_200); // the 1.5 s round trip is still among the latest 8
    m.noteRefusal(63_000, 63_100);
    expect(m.skewMs).toBe(100);
  });
});

describe('foreign ledger: usage another tenant holds', () => {
  const mirror = () => new LimiterMirror({ budget: 10_000, windowMs: 60_000, guardMs: 0, conservativeDepthMs: 0 }, 0);

  it('books what the server counts beyond ours, until a window after it was seen', () => {
    const m = mirror();
    m.record(1_000, 2_000);
    expect(m.observeServerUsage(5_000, 1_000, 1_100)).toBe('foreign');
    expect(m.skewMs).toBe(0);
    expect(m.used(1_100)).toBe(5_000); // ours 2,000 + theirs 3,000
    // 6,000 more fit only once the foreign 3,000 (seen at 1 s) and our 2,000 (sent at 1 s) leave
    expect(m.earliest(1_100, 6_000, 1)).toBe(61_000);
    expect(m.earliest(1_100, 5_000, 1)).toBe(1_100);
  });

  it('counts a steady tenant once, not once per response that shows it', () => {
    const m = mirror();
    m.record(1_000, 1_000);
    m.observeServerUsage(4_000, 1_000, 1_100); // 3,000 theirs
    m.record(2_000, 1_000);
    expect(m.observeServerUsage(5_000, 2_000, 2_100)).toBe('consistent'); // the same 3,000
    expect(m.used(2_100)).toBe(5_000);
    m.record(3_000, 1_000);
    m.observeServerUsage(7_000, 3_000, 3_100); // theirs grew to 4,000: 1,000 more
    expect(m.used(3_100)).toBe(7_000);
  });

  it('does not take a tenant for skew: our entries expired 5 s before are no explanation', () => {
    const m = mirror();
    m.record(0, 4_000); // expired for us at 60 s
    m.record(65_000, 1_000);
    // the server holds 4,000 more than we do; our entry expired 5 s before: far beyond any network delay
    expect(m.observeServerUsage(5_000, 65_000, 65_100)).toBe('foreign');
    expect(m.skewMs).toBe(0); // the 25 %-of-window cap used to learn 6.25 s here
    expect(m.used(65_100)).toBe(5_000);
  });

  it('caps a learned skew at max(1 s, 2 % of the window)', () => {
    const m = mirror();
    m.record(0, 4_000);
    m.record(61_000, 1_000); // our first entry expired 1 s before: explained as skew (1.25 s padded)
    expect(m.observeServerUsage(5_000, 61_000, 61_100)).toBe('skew');
    expect(m.skewMs).toBe(1_200);
  });

  it('still knows what it held when a slow response arrives (no false tenant)', () => {
    const m = new LimiterMirror({ budget: 10_000, windowMs: 10_000, guardMs: 0, conservativeDepthMs: 0 }, 0);
    m.record(0, 3_000);
    m.record(9_000, 1_000);
    // answered 5 s later: our first entry was alive at 9 s and left at 10 s, long before this response
    expect(m.observeServerUsage(4_000, 9_000, 14_000)).toBe('consistent');
    expect(m.used(14_000)).toBe(1_000);
  });
});

describe('skew learning from quota 429s', () => {
  const mirror = () => new LimiterMirror({ budget: 10_000, windowMs: 60_000, guardMs: 0, conservativeDepthMs: 0 }, 0);

  it('raises the skew just enough to have held the rejected request back', () => {
    const m = mirror();
    m.record(0, 6_000);
    m.record(500, 3_000);
    m.record(61_000, 5_000); // we saw 7k of room (the first entry had expired); the server still held it
    expect(m.learnFrom429(8_000, 61_000, 61_100, 1)).toBe('skew');
    // only the entry sent at 0.5 s had to live longer: 0.5 s, padded by 25 %
    expect(m.skewMs).toBeGreaterThanOrEqual(500);
    expect(m.skewMs).toBeLessThan(700);
  });

  it('blames another tenant when no recent entry of ours explains the 429', () => {
    const m = mirror();
    m.record(0, 1_000);
    m.record(30_000, 1_000);
    expect(m.learnFrom429(1_000, 30_000, 30_100, 1)).toBe('foreign');
    expect(m.skewMs).toBe(0);
  });
});

describe('expiry guard scales with the window', () => {
  // min(configured guard, max(50 ms, 1 % of the window)): 250 ms on 60 s, 100 ms on 10 s, 50 ms on 1 s
  for (const [windowMs, guard] of [
    [60_000, 250],
    [10_000, 100],
    [1_000, 50],
  ] as const) {
    it(`${windowMs} ms window: an entry leaves at send + window + ${guard} ms`, () => {
      const m = sliding(10, windowMs, 250);
      m.record(0, 10);
      expect(m.earliest(1, 1, 1)).toBe(windowMs + guard);
    });
  }
});
