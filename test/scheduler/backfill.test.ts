/**
 * Backfill and best fit (lane-dispatch.ts): while the head item waits for room, a smaller item behind it
 * that fits now is sent first; when the head fits now, a larger item behind it that also fits
 * there goes first. Either way a short sliding window holds more of its budget, and the head is
 * overtaken at most `maxBypass` times, so it waits a bounded time.
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/internal/clock.ts';
import { createRng } from '../../src/internal/rng.ts';
import { maxBypass } from '../../src/scheduler/lane-dispatch.ts';
import { RingDeque } from '../../src/scheduler/ring-deque.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import { FakeDeployment } from './support/fake-deployment.ts';
import { drive, lane, recorder } from './support/harness.ts';

describe('RingDeque.at / removeAt', () => {
  it('reads and removes from the middle, keeping order, across the wrap-around', () => {
    const q = new RingDeque<number>(4);
    for (const v of [3, 4]) q.pushBack(v);
    for (const v of [2, 1, 0]) q.pushFront(v); // wraps, then grows
    expect([0, 1, 2, 3, 4].map((i) => q.at(i))).toEqual([0, 1, 2, 3, 4]);
    expect(q.at(5)).toBeUndefined();
    expect(q.removeAt(3)).toBe(3);
    expect(q.removeAt(0)).toBe(0);
    expect(q.length).toBe(3);
    expect([q.popFront(), q.popFront(), q.popFront(), q.popFront()]).toEqual([1, 2, 4, undefined]);
  });
});

describe('backfill', () => {
  // One deployment of 10,000 tokens per 60 s. Items: 6,000 then 5,000 (cannot both fit), then small ones.
  const costs = [6_000, 5_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000];

  async function run(backfillDepth: number, items: readonly number[] = costs) {
    const clock = new VirtualClock();
    const dep = new FakeDeployment({ id: 'a', clock, tpm: 10_000, rpm: 6_000, latencyMs: 100 });
    const rec = recorder(clock);
    const scheduler = createScheduler({ clock, random: createRng(7), backfillDepth, pacing: false, fixedConcurrency: 32 });
    await drive(clock, scheduler, [lane('t', [dep], items.length, (i) => items[i] as number)], rec.hooks);
    const ok = dep.received.filter((r) => r.outcome === 'ok');
    return { dep, rec, end: clock.now(), order: ok.map((r) => Number(r.key.slice(1, r.key.indexOf('|')))), ok };
  }

  it('sends smaller items that fit while the head waits, with no 429', async () => {
    const { dep, order } = await run(16);
    expect(dep.countOf('quota')).toBe(0);
    // r0 (6,000) first; r1 (5,000) waits for the window; 4,000 of room take r2…r5 ahead of it
    expect(order.slice(0, 6)).toEqual([0, 2, 3, 4, 5, 1]);
    expect(order).toHaveLength(costs.length);
  });

  it('the head is overtaken at most maxBypass times: later small items wait behind it', async () => {
    // r0 (6,000), r1 (5,000) waits; 20 items of 150 would all fit the 4,000 left, but only 16 may pass r1
    const items = [6_000, 5_000, ...Array.from({ length: 20 }, () => 150)];
    const { dep, order } = await run(32, items);
    expect(maxBypass).toBe(16);
    expect(dep.countOf('quota')).toBe(0);
    expect(order).toEqual([0, ...Array.from({ length: maxBypass }, (_, i) => i + 2), 1, 18, 19, 20, 21]);
  });

  it('best fit: when the head fits, a larger item that also fits goes first, so the window is filled', async () => {
    // r0 (10,000) fills the first window, so the rest queue up. When it expires, r1 (5,000) starts; of the
    // 5,000 left, head r2 (2,000) would leave 3,000 that neither 3,500 nor 4,200 fits (7,000 of 10,000
    // used). r4 (4,200) goes first instead (9,200 used); r2 and r3 then fit the third window together,
    // so they keep their order.
    const { dep, order, ok } = await run(16, [10_000, 5_000, 2_000, 3_500, 4_200]);
    expect(dep.countOf('quota')).toBe(0);
    expect(order).toEqual([0, 1, 4, 2, 3]);
    const second = ok.filter((r) => r.time >= 60_000 && r.time < 120_000).map((r) => r.key.slice(0, r.key.indexOf('|')));
    expect(second).toEqual(['r1', 'r4']);
  });

  it('strict FIFO with backfillDepth 0: the small items wait behind the head', async () => {
    const { order } = await run(0);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('finishes sooner than strict FIFO on this workload', async () => {
    const fifo = await run(0);
    const filled = await run(16);
    expect(filled.end).toBeLessThan(fifo.end);
  });
});
