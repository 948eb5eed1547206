/**
 * Backfill (lane-dispatch.ts): while the head item waits for room, a smaller item behind it that fits
 * now is sent first, so a short sliding window holds more of its budget; the head is overtaken at most
 * `maxBypass` times, so it waits a bounded time.
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

  async function run(backfillDepth: number) {
    const clock = new VirtualClock();
    const dep = new FakeDeployment({ id: 'a', clock, tpm: 10_000, rpm: 6_000, latencyMs: 100 });
    const rec = recorder(clock);
    const scheduler = createScheduler({ clock, random: createRng(7), backfillDepth, pacing: false, fixedConcurrency: 16 });
    await drive(clock, scheduler, [lane('t', [dep], costs.length, (i) => costs[i] as number)], rec.hooks);
    return { dep, rec, end: clock.now() };
  }

  it('sends smaller items that fit while the head waits, at most maxBypass of them, with no 429', async () => {
    const { dep } = await run(16);
    const order = dep.received.filter((r) => r.outcome === 'ok').map((r) => Number(r.key.slice(1, r.key.indexOf('|'))));
    expect(dep.countOf('quota')).toBe(0);
    // r0 (6,000) first; r1 (5,000) waits for the window; 4,000 of room take r2…r5 ahead of it (maxBypass = 4)
    expect(maxBypass).toBe(4);
    expect(order.slice(0, 6)).toEqual([0, 2, 3, 4, 5, 1]);
    expect(order).toHaveLength(costs.length);
  });

  it('strict FIFO with backfillDepth 0: the small items wait behind the head', async () => {
    const { dep } = await run(0);
    const order = dep.received.filter((r) => r.outcome === 'ok').map((r) => Number(r.key.slice(1, r.key.indexOf('|'))));
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('finishes sooner than strict FIFO on this workload', async () => {
    const fifo = await run(0);
    const filled = await run(16);
    expect(filled.end).toBeLessThan(fifo.end);
  });
});
