import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/internal/clock.ts';
import { startWatchdog } from '../../src/providers/watchdog.ts';

function watchdog(clock: VirtualClock, signal = new AbortController().signal) {
  return startWatchdog({ signal, clock, totalMs: 1000, idleMs: 100 });
}

describe('startWatchdog', () => {
  it('fires idle after a gap with no progress once idle watching started', async () => {
    const clock = new VirtualClock();
    const dog = watchdog(clock);
    dog.startIdle();
    await clock.advance(99);
    expect(dog.signal.aborted).toBe(false);
    await clock.advance(1);
    expect(dog.fired).toBe('idle');
    expect(dog.signal.aborted).toBe(true);
    expect(dog.firedDetail).toBe('no stream event for 100 ms');
  });

  it('progress pushes the idle deadline back', async () => {
    const clock = new VirtualClock();
    const dog = watchdog(clock);
    dog.startIdle();
    for (let i = 0; i < 5; i++) {
      await clock.advance(80);
      dog.touch();
    }
    expect(dog.fired).toBeUndefined();
    await clock.advance(100);
    expect(dog.fired).toBe('idle');
  });

  it('does not judge idleness before startIdle (waiting for headers)', async () => {
    const clock = new VirtualClock();
    const dog = watchdog(clock);
    await clock.advance(500);
    expect(dog.fired).toBeUndefined();
  });

  it('fires total even while events keep coming', async () => {
    const clock = new VirtualClock();
    const dog = watchdog(clock);
    dog.startIdle();
    for (let i = 0; i < 20 && !dog.signal.aborted; i++) {
      await clock.advance(60);
      dog.touch();
    }
    expect(dog.fired).toBe('total');
  });

  it('follows the caller signal without claiming to have fired', () => {
    const clock = new VirtualClock();
    const caller = new AbortController();
    const dog = watchdog(clock, caller.signal);
    caller.abort();
    expect(dog.signal.aborted).toBe(true);
    expect(dog.fired).toBeUndefined();
  });

  it('dispose cancels every timer', async () => {
    const clock = new VirtualClock();
    const dog = watchdog(clock);
    dog.startIdle();
    dog.dispose();
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(5000);
    expect(dog.fired).toBeUndefined();
  });
});
