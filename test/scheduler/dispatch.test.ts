import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/internal/clock.ts';
import { createRng } from '../../src/internal/rng.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import { FakeDeployment, providerError } from './support/fake-deployment.ts';
import { drive, lane, recorder } from './support/harness.ts';

const scheduler = (clock: VirtualClock, extra: Parameters<typeof createScheduler>[0] = {}) =>
  createScheduler({ clock, random: createRng(7), ...extra });

describe('dispatch', () => {
  it('settles every item once and stays within the server limits (no quota 429s)', async () => {
    const clock = new VirtualClock();
    const dep = new FakeDeployment({ id: 'a', clock, tpm: 20_000, rpm: 600, latencyMs: 800 });
    const rec = recorder(clock);
    const stats = await drive(clock, scheduler(clock), [lane('t', [dep], 300, 400)], rec.hooks);
    expect(rec.settled.size).toBe(300);
    expect([...rec.settled.values()].every((o) => o.length === 1 && o[0]?.status === 'ok')).toBe(true);
    expect(dep.countOf('quota')).toBe(0);
    expect(stats).toMatchObject({ items: 300, attempts: 300, quota429: 0 });
  });

  it('finishes close to the window-integral bound on a token-bound run', async () => {
    const clock = new VirtualClock();
    const dep = new FakeDeployment({ id: 'a', clock, tpm: 10_000, rpm: 6_000, latencyMs: 500 });
    const rec = recorder(clock);
    await drive(clock, scheduler(clock), [lane('t', [dep], 200, 500)], rec.hooks);
    // 100k tokens at 10k per 60 s: the bound is 9 windows + latency = 540.5 s
    expect(clock.now()).toBeLessThan(540_500 / 0.97);
  });

  it('sends nothing to a paused deployment', async () => {
    const clock = new VirtualClock();
    const dep = new FakeDeployment({
      id: 'a',
      clock,
      tpm: 1e6,
      rpm: 6e4,
      latencyMs: 200,
      script: ({ n }) => (n === 5 ? providerError('quota', { retryAfterMs: 5_000, status: 429 }) : undefined),
    });
    const rec = recorder(clock);
    await drive(clock, scheduler(clock), [lane('t', [dep], 100, 10)], rec.hooks);
    const rejected = dep.received.find((r) => r.outcome === 'quota');
    expect(rejected).toBeDefined();
    const pauseStart = (rejected?.time ?? 0) + 5; // the 429 comes back 5 ms later
    const during = dep.received.filter((r) => r.time > pauseStart && r.time < pauseStart + 5_000);
    expect(during).toEqual([]);
    expect(rec.settled.size).toBe(100);
  });

  it('spreads a pool in proportion to the members’ quota without 429s', async () => {
    const clock = new VirtualClock();
    const small = new FakeDeployment({ id: 'small', clock, tpm: 5_000, rpm: 6_000, latencyMs: 300 });
    const big = new FakeDeployment({ id: 'big', clock, tpm: 20_000, rpm: 6_000, latencyMs: 300 });
    const rec = recorder(clock);
    await drive(clock, scheduler(clock), [lane('t', [small, big], 500, 500)], rec.hooks);
    expect(small.countOf('quota') + big.countOf('quota')).toBe(0);
    const share = big.admitted / (small.admitted + big.admitted);
    expect(share).toBeGreaterThan(0.7);
    expect(share).toBeLessThan(0.9);
  });

  it('moves work to a peer while one member is paused', async () => {
    const clock = new VirtualClock();
    const flaky = new FakeDeployment({
      id: 'flaky',
      clock,
      tpm: 1e6,
      rpm: 6e4,
      latencyMs: 100,
      script: ({ n }) => (n === 2 ? providerError('quota', { retryAfterMs: 60_000, status: 429 }) : undefined),
    });
    const steady = new FakeDeployment({ id: 'steady', clock, tpm: 1e6, rpm: 6e4, latencyMs: 100 });
    const rec = recorder(clock);
    await drive(clock, scheduler(clock), [lane('t', [flaky, steady], 200, 10)], rec.hooks);
    expect(rec.settled.size).toBe(200);
    expect(clock.now()).toBeLessThan(60_000); // nobody waited for the paused member
  });

  it('lets compared targets progress independently', async () => {
    const solo = new VirtualClock();
    const alone = new FakeDeployment({ id: 'y', clock: solo, tpm: 10_000, rpm: 600, latencyMs: 300 });
    await drive(solo, scheduler(solo), [lane('y', [alone], 100, 500)], recorder(solo).hooks);
    const soloEnd = solo.now();

    const clock = new VirtualClock();
    const dead = new FakeDeployment({
      id: 'x',
      clock,
      tpm: 10_000,
      rpm: 600,
      latencyMs: 300,
      script: () => providerError('server', { status: 503 }),
    });
    const healthy = new FakeDeployment({ id: 'y', clock, tpm: 10_000, rpm: 600, latencyMs: 300 });
    const rec = recorder(clock);
    await drive(
      clock,
      scheduler(clock, { retry: { maxAttempts: 3, baseDelayMs: 1_000 } }),
      [lane('x', [dead], 100, 500), lane('y', [healthy], 100, 500)],
      rec.hooks,
    );
    const yEnd = Math.max(...[...rec.settledAt].filter(([key]) => key.includes('|y|')).map(([, t]) => t));
    expect(yEnd).toBeLessThanOrEqual(soloEnd);
  });

  it('shares the global in-flight cap between lanes', async () => {
    const clock = new VirtualClock();
    const a = new FakeDeployment({ id: 'a', clock, latencyMs: 1_000 });
    const b = new FakeDeployment({ id: 'b', clock, latencyMs: 1_000 });
    const rec = recorder(clock);
    const stats = await drive(clock, scheduler(clock, { maxInFlight: 8 }), [lane('a', [a], 200, 10), lane('b', [b], 200, 10)], rec.hooks);
    expect(stats.peakInFlight).toBeLessThanOrEqual(8);
    expect(rec.settled.size).toBe(400);
    // fair share: both lanes finish within a few latencies of each other
    const end = (t: string) => Math.max(...[...rec.settledAt].filter(([key]) => key.includes(`|${t}|`)).map(([, at]) => at));
    expect(Math.abs(end('a') - end('b'))).toBeLessThanOrEqual(3_000);
  });

  it('never pulls more than twice the in-flight cap ahead of a 100k-item cursor', async () => {
    const clock = new VirtualClock();
    const dep = new FakeDeployment({ id: 'a', clock, latencyMs: 1_000, maxConcurrency: 4 });
    const big = lane('t', [dep], 100_000, 10);
    let settled = 0;
    let worst = 0;
    const controller = new AbortController();
    const run = scheduler(clock, { maxPerDeployment: 4 }).run([big], { onSettled: () => void settled++ }, controller.signal);
    for (let step = 0; step < 200; step++) {
      await clock.advance(100);
      worst = Math.max(worst, big.pulled() - settled - dep.inFlight);
    }
    controller.abort();
    await clock.runUntilIdle();
    const stats = await run;
    expect(worst).toBeLessThanOrEqual(2 * 4 + 1);
    expect(big.pulled()).toBeLessThan(200);
    expect(stats.items).toBe(big.pulled());
  });

  it('reports gate snapshots at most once per diagnostics interval', async () => {
    const clock = new VirtualClock();
    const dep = new FakeDeployment({ id: 'a', clock, tpm: 10_000, rpm: 600, latencyMs: 500 });
    const seen: number[] = [];
    const diagnostics = { everyMs: 30_000, onSnapshot: (gates: readonly { id: string }[]) => void seen.push(clock.now(), gates.length) };
    await drive(clock, scheduler(clock, { diagnostics }), [lane('t', [dep], 60, 500)], recorder(clock).hooks);
    const times = seen.filter((_, i) => i % 2 === 0);
    expect(times.length).toBeGreaterThan(2);
    for (let i = 1; i < times.length; i++) expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(30_000);
  });
});

describe('a deployment shared by two targets', () => {
  it('is one gate: its quota is never exceeded and both targets finish', async () => {
    const clock = new VirtualClock();
    const judge = new FakeDeployment({ id: 'judge', clock, tpm: 5_000, rpm: 600, latencyMs: 300, maxConcurrency: 2 });
    const rec = recorder(clock);
    await drive(
      clock,
      createScheduler({ clock, random: createRng(2) }),
      [lane('a', [judge], 40, 400), lane('b', [judge], 40, 400)],
      rec.hooks,
    );
    expect(rec.settled.size).toBe(80);
    expect(judge.countOf('quota')).toBe(0);
    expect(judge.peakInFlight).toBeLessThanOrEqual(2);
  });
});
