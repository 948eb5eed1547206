/**
 * The release gate on a virtual clock: a request built ahead of its due time is let go at that time
 * (by the timer, or by a transport checkpoint that comes first), never before, in due order.
 */
import { describe, expect, test } from 'vitest';
import { VirtualClock } from '../../src/internal/clock.ts';
import { createReleaseGate } from '../../src/load/release-gate.ts';

describe('release gate', () => {
  test('holds are released at their due times, in due order, whatever order they arrived in', async () => {
    const clock = new VirtualClock(1000);
    const gate = createReleaseGate(clock);
    const released: Array<{ at: number; due: number }> = [];
    for (const due of [1010, 1030, 1020, 1010]) void gate.until(due).then(() => released.push({ at: clock.now(), due }));
    expect(gate.held).toBe(4);
    await clock.advance(9);
    expect(released).toEqual([]);
    await clock.advance(1);
    expect(released).toEqual([
      { at: 1010, due: 1010 },
      { at: 1010, due: 1010 },
    ]);
    await clock.runUntilIdle();
    expect(released.map((r) => r.due)).toEqual([1010, 1010, 1020, 1030]);
    expect(released.every((r) => r.at === r.due)).toBe(true);
    expect(gate.held).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  test('a checkpoint poll releases what is due without waiting for the timer, and nothing early', async () => {
    // A clock whose timers never fire by themselves: only polls can release (a thread busy reading streams).
    let now = 0;
    const stuckClock = { now: () => now, setTimer: () => ({ cancel: () => undefined }) };
    const gate = createReleaseGate(stuckClock);
    const released: number[] = [];
    void gate.until(10).then(() => released.push(10));
    void gate.until(20).then(() => released.push(20));
    now = 9;
    gate.poll();
    await Promise.resolve();
    expect(released).toEqual([]);
    now = 12;
    gate.poll();
    await Promise.resolve();
    expect(released).toEqual([10]);
    now = 25;
    gate.poll();
    await Promise.resolve();
    expect(released).toEqual([10, 20]);
  });

  test('a due time already passed resolves at once and holds nothing', async () => {
    const clock = new VirtualClock(500);
    const gate = createReleaseGate(clock);
    let done = false;
    void gate.until(499).then(() => {
      done = true;
    });
    await Promise.resolve();
    expect(done).toBe(true);
    expect(gate.held).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });
});
