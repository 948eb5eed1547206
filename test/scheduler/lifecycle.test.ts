import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/internal/clock.ts';
import { createRng } from '../../src/internal/rng.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import { FakeDeployment, providerError } from './support/fake-deployment.ts';
import { drive, lane, recorder } from './support/harness.ts';

const scheduler = (clock: VirtualClock, extra: Parameters<typeof createScheduler>[0] = {}) =>
  createScheduler({ clock, random: createRng(5), ...extra });

describe('deadline', () => {
  it('settles every item, pulled or not, as deadline when retryable failures outlast it', async () => {
    const clock = new VirtualClock();
    const dep = new FakeDeployment({ id: 'a', clock, script: () => providerError('quota', { retryAfterMs: 2_000, status: 429 }) });
    const rec = recorder(clock);
    const l = lane('t', [dep], 1_000);
    await drive(clock, scheduler(clock, { deadlineMs: 30_000 }), [l], rec.hooks);
    expect(rec.settled.size).toBe(1_000);
    expect([...rec.settled.values()].every((o) => o.length === 1 && o[0]?.status === 'failed' && o[0].reason === 'deadline')).toBe(true);
    expect(clock.now()).toBeLessThan(40_000);
  });

  it('keeps successes that complete before the deadline', async () => {
    const clock = new VirtualClock();
    const dep = new FakeDeployment({ id: 'a', clock, tpm: 1_000, rpm: 6_000, tokenWindowMs: 10_000, latencyMs: 100 });
    const rec = recorder(clock);
    await drive(clock, scheduler(clock, { deadlineMs: 25_000, tokenWindowMs: 10_000 }), [lane('t', [dep], 50, 200)], rec.hooks);
    const outcomes = [...rec.settled.values()].map((o) => o[0]);
    expect(outcomes).toHaveLength(50);
    expect(outcomes.filter((o) => o?.status === 'ok').length).toBeGreaterThan(5);
    expect(outcomes.filter((o) => o?.status === 'failed' && o.reason === 'deadline').length).toBeGreaterThan(5);
  });
});

describe('abort', () => {
  it('stops dispatching, lets in-flight requests finish, and settles only what was pulled', async () => {
    const clock = new VirtualClock();
    const dep = new FakeDeployment({ id: 'a', clock, tpm: 1e6, rpm: 6e4, latencyMs: 1_000, maxConcurrency: 4 });
    const rec = recorder(clock);
    const l = lane('t', [dep], 10_000, 10);
    const controller = new AbortController();
    const run = scheduler(clock, { maxPerDeployment: 4 }).run([l], rec.hooks, controller.signal);
    await clock.advance(3_500);
    const sentBefore = dep.received.length;
    const inFlight = dep.inFlight;
    controller.abort();
    await clock.runUntilIdle();
    const stats = await run;
    expect(inFlight).toBeGreaterThan(0);
    expect(dep.received.length).toBe(sentBefore); // nothing new after the abort
    const outcomes = [...rec.settled.values()];
    expect(outcomes.every((o) => o.length === 1)).toBe(true);
    expect(rec.settled.size).toBe(l.pulled());
    expect(stats.items).toBe(l.pulled());
    const ok = outcomes.filter((o) => o[0]?.status === 'ok').length;
    const aborted = outcomes.filter((o) => o[0]?.status === 'failed' && o[0].reason === 'aborted').length;
    expect(ok).toBe(sentBefore); // in-flight ones completed normally
    expect(aborted).toBe(l.pulled() - sentBefore);
  });

  it('pulls nothing when the signal is already aborted', async () => {
    const clock = new VirtualClock();
    const dep = new FakeDeployment({ id: 'a', clock });
    const l = lane('t', [dep], 100);
    const controller = new AbortController();
    controller.abort();
    const stats = await drive(clock, scheduler(clock), [l], recorder(clock).hooks, controller.signal);
    expect(l.pulled()).toBe(0);
    expect(stats.items).toBe(0);
  });
});

describe('hooks', () => {
  it('reports every attempt with its deployment, number and wait', async () => {
    const clock = new VirtualClock();
    const dep = new FakeDeployment({
      id: 'a',
      clock,
      latencyMs: 100,
      script: ({ n }) => (n === 0 ? providerError('capacity', { status: 429, retryAfterMs: 2_000 }) : undefined),
    });
    const rec = recorder(clock);
    await drive(clock, scheduler(clock), [lane('t', [dep], 1)], rec.hooks);
    expect(rec.attempts.map((a) => [a.attempt, a.deploymentId, a.error?.category ?? 'ok'])).toEqual([
      [1, 'a', 'capacity'],
      [2, 'a', 'ok'],
    ]);
    expect(rec.attempts[1]?.waitedBeforeMs).toBeGreaterThanOrEqual(2_000);
    const outcome = rec.settled.get('r0|t|0')?.[0];
    expect(outcome?.durationMs).toBeGreaterThanOrEqual(2_100);
  });

  it('rejects the run when a hook throws, after settling what was pulled', async () => {
    const clock = new VirtualClock();
    const dep = new FakeDeployment({ id: 'a', clock, latencyMs: 100 });
    let calls = 0;
    const hooks = {
      onSettled: () => {
        calls++;
        if (calls === 3) throw new Error('sink full');
      },
    };
    await expect(drive(clock, scheduler(clock), [lane('t', [dep], 100)], hooks)).rejects.toThrow('sink full');
  });
});
