/** Admissions closer than windowMs / 4096 share one log entry: bounded memory, never an earlier release. */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/internal/rng.ts';
import { SlidingLog } from '../../src/scheduler/sliding-log.ts';

const WINDOW = 60_000;
const GUARD = 250; // life = window + min(guard, max(50, 1 % of window)) = 60,250 ms
const LIFE = WINDOW + GUARD;
const QUANTUM = WINDOW / 4096;

describe('sliding log coalescing', () => {
  it('holds a bounded number of entries whatever the admission rate', () => {
    const log = new SlidingLog(WINDOW, GUARD, 0);
    let most = 0;
    // 1,000 admissions a second for four windows: entry by entry the log would hold ~120k (history too)
    for (let t = 0; t < 4 * WINDOW; t++) {
      log.record(t, 1);
      most = Math.max(most, log.entryCount);
    }
    expect(most).toBeLessThanOrEqual(2 * 4096 + 100);
    expect(most).toBeGreaterThan(4096); // history of a window is kept too
    // the running sum still counts every admission inside the window exactly
    expect(log.ownUsed(4 * WINDOW - 1)).toBeGreaterThanOrEqual(WINDOW);
  });

  it('merges admissions within a quantum and frees them together at the latest one', () => {
    const log = new SlidingLog(WINDOW, GUARD, 0);
    log.record(1_000, 300);
    log.record(1_010, 300); // 10 ms later: same entry (quantum 14.6 ms)
    log.record(1_020, 300); // 20 ms after the entry's first admission: a new entry
    expect(log.entryCount).toBe(2);
    expect(log.earliest(2_000, 500, 1_000)).toBe(1_010 + LIFE);
    expect(log.used(1_010 + LIFE - 1)).toBe(900);
    expect(log.used(1_010 + LIFE)).toBe(300);
  });

  it('never frees room earlier than entry-by-entry, and at most a quantum later', () => {
    const random = createRng(7);
    const log = new SlidingLog(WINDOW, GUARD, 0);
    const sent: { at: number; amount: number }[] = [];
    const exactUsed = (now: number) => sent.reduce((sum, e) => (e.at + LIFE > now ? sum + e.amount : sum), 0);
    const exactEarliest = (now: number, need: number, budget: number) => {
      let total = exactUsed(now);
      if (total + need <= budget) return now;
      for (const e of sent) {
        if (e.at + LIFE <= now) continue;
        total -= e.amount;
        if (total + need <= budget) return e.at + LIFE;
      }
      return Number.POSITIVE_INFINITY;
    };
    let t = 0;
    for (let i = 0; i < 3_000; i++) {
      t += random() < 0.7 ? random() * 8 : random() * 200; // bursts and gaps
      const amount = 1 + Math.floor(random() * 50);
      log.record(t, amount);
      sent.push({ at: t, amount });
      if (i % 25 === 0) {
        const now = t + random() * 2_000; // the clock only moves forward: later admissions come after it
        t = now;
        const need = 1 + Math.floor(random() * 500);
        const budget = 2_000 + Math.floor(random() * 20_000);
        const exact = exactEarliest(now, need, budget);
        const merged = log.earliest(now, need, budget);
        if (Number.isFinite(exact)) {
          expect(merged).toBeGreaterThanOrEqual(exact);
          expect(merged).toBeLessThanOrEqual(exact + QUANTUM);
        }
        expect(log.used(now)).toBeGreaterThanOrEqual(exactUsed(now) - 1e-9);
      }
    }
  });
});
