import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { combineWith, followSignal } from '../../src/internal/follow-signal.ts';
import { startWatchdog } from '../../src/providers/watchdog.ts';
import { VirtualClock } from '../../src/internal/clock.ts';

/** Signals registered on `signal` by AbortSignal.any (Node keeps them in an internal set of WeakRefs). */
function dependants(signal: AbortSignal): number {
  const key = Object.getOwnPropertySymbols(signal).find((symbol) => symbol.description === 'kDependantSignals');
  return key === undefined ? 0 : ((signal as unknown as Record<symbol, Set<unknown> | undefined>)[key]?.size ?? 0);
}

describe('combineWith', () => {
  it('builds one combined signal per distinct source, however many requests use it', () => {
    const run = new AbortController().signal;
    const hard = new AbortController();
    const combine = combineWith(hard.signal);
    const first = combine(run);
    for (let i = 0; i < 1000; i++) expect(combine(run)).toBe(first);
    expect(dependants(run)).toBe(1);
    expect(dependants(hard.signal)).toBe(1);
  });

  it('the combined signal aborts with either source, with that source’s reason', () => {
    const hard = new AbortController();
    const combined = combineWith(hard.signal)(new AbortController().signal);
    hard.abort(new Error('second Ctrl-C'));
    expect(combined.aborted).toBe(true);
    expect((combined.reason as Error).message).toBe('second Ctrl-C');
    const run = new AbortController();
    const other = combineWith(new AbortController().signal)(run.signal);
    run.abort('stop');
    expect(other.reason).toBe('stop');
  });

  it('without an extra signal hands back the source itself', () => {
    const run = new AbortController().signal;
    expect(combineWith(undefined)(run)).toBe(run);
  });
});

describe('followSignal', () => {
  it('aborts the followers still attached with the same reason, through one listener on the source', () => {
    const source = new AbortController();
    const followers = Array.from({ length: 1000 }, () => new AbortController());
    const detachers = followers.map((follower) => followSignal(source.signal, follower));
    expect(getEventListeners(source.signal, 'abort')).toHaveLength(1);
    for (const detach of detachers.slice(1)) detach();
    source.abort('why');
    expect(followers[0]!.signal.reason).toBe('why');
    expect(followers.slice(1).filter((f) => f.signal.aborted)).toHaveLength(0);
  });

  it('an already aborted source aborts the follower at once', () => {
    const source = new AbortController();
    source.abort('early');
    const follower = new AbortController();
    followSignal(source.signal, follower)();
    expect(follower.signal.reason).toBe('early');
  });
});

describe('attempt watchdogs on a run-long signal', () => {
  it('leave neither listeners nor dependant signals behind after 1,000 attempts', () => {
    const clock = new VirtualClock();
    const run = new AbortController();
    const dogs = Array.from({ length: 1000 }, () => startWatchdog({ signal: run.signal, clock, totalMs: 1000, idleMs: 100 }));
    for (const dog of dogs) dog.dispose();
    expect(getEventListeners(run.signal, 'abort').length).toBeLessThanOrEqual(1);
    expect(dependants(run.signal)).toBe(0);
    run.abort('late');
    expect(dogs.filter((dog) => dog.signal.aborted)).toHaveLength(0); // disposed: no longer followed
  });

  it('in-flight watchdogs still abort with the run signal’s reason', () => {
    const clock = new VirtualClock();
    const run = new AbortController();
    const dog = startWatchdog({ signal: run.signal, clock, totalMs: 1000, idleMs: 100 });
    run.abort(new Error('hard stop'));
    expect(dog.signal.aborted).toBe(true);
    expect((dog.signal.reason as Error).message).toBe('hard stop');
    expect(dog.fired).toBeUndefined();
    dog.dispose();
  });
});
