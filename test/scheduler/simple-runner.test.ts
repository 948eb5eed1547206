import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/internal/clock.ts';
import { createRng } from '../../src/internal/rng.ts';
import { createSimpleRunner } from '../../src/scheduler/simple-runner.ts';
import { FakeDeployment, providerError } from './support/fake-deployment.ts';
import { drive, lane, recorder } from './support/harness.ts';

describe('simple runner', () => {
  it('keeps at most the fixed concurrency in flight per target', async () => {
    const clock = new VirtualClock();
    const dep = new FakeDeployment({ id: 'a', clock, latencyMs: 500 });
    const rec = recorder(clock);
    const stats = await drive(clock, createSimpleRunner({ clock, concurrencyPerTarget: 5 }), [lane('t', [dep], 60)], rec.hooks);
    expect(dep.peakInFlight).toBe(5);
    expect(stats).toMatchObject({ items: 60, attempts: 60 });
  });

  it('retries after the server’s hint', async () => {
    const clock = new VirtualClock();
    const dep = new FakeDeployment({
      id: 'a',
      clock,
      latencyMs: 10,
      script: ({ n }) => (n === 0 ? providerError('quota', { status: 429, retryAfterMs: 7_000 }) : undefined),
    });
    const rec = recorder(clock);
    await drive(clock, createSimpleRunner({ clock, random: () => 0 }), [lane('t', [dep], 1)], rec.hooks);
    expect(dep.received[1]?.time).toBe(7_005);
  });

  it('gives up after maxAttempts, counting 429s too', async () => {
    const clock = new VirtualClock();
    const dep = new FakeDeployment({ id: 'a', clock, script: () => providerError('quota', { status: 429 }) });
    const rec = recorder(clock);
    await drive(clock, createSimpleRunner({ clock, random: createRng(1), retry: { maxAttempts: 4 } }), [lane('t', [dep], 1)], rec.hooks);
    expect(rec.settled.get('r0|t|0')?.[0]).toMatchObject({ status: 'failed', reason: 'exhausted', attempts: 4 });
  });

  it('does not retry a fatal error', async () => {
    const clock = new VirtualClock();
    const dep = new FakeDeployment({ id: 'a', clock, script: () => providerError('bad_request', { status: 400 }) });
    const rec = recorder(clock);
    await drive(clock, createSimpleRunner({ clock }), [lane('t', [dep], 3)], rec.hooks);
    expect(dep.received).toHaveLength(3);
    expect([...rec.settled.values()].every((o) => o[0]?.status === 'failed' && o[0].reason === 'fatal')).toBe(true);
  });

  it('round-robins a pool', async () => {
    const clock = new VirtualClock();
    const a = new FakeDeployment({ id: 'a', clock, latencyMs: 10 });
    const b = new FakeDeployment({ id: 'b', clock, latencyMs: 10 });
    await drive(clock, createSimpleRunner({ clock }), [lane('t', [a, b], 10)], recorder(clock).hooks);
    expect([a.received.length, b.received.length]).toEqual([5, 5]);
  });

  it('halves its concurrency on 429s in the promptfoo-0.123 variant', async () => {
    const clock = new VirtualClock();
    const dep = new FakeDeployment({
      id: 'a',
      clock,
      latencyMs: 1_000,
      script: ({ n }) => (n < 16 ? providerError('quota', { status: 429, retryAfterMs: 100 }) : undefined),
    });
    const rec = recorder(clock);
    await drive(
      clock,
      createSimpleRunner({ clock, concurrencyPerTarget: 16, halveOn429: true, retry: { maxAttempts: 10 } }),
      [lane('t', [dep], 64)],
      rec.hooks,
    );
    expect(rec.settled.size).toBe(64);
    const after = dep.received.filter((r) => r.time > 2_000);
    expect(after.length).toBeGreaterThan(0);
  });

  it('settles everything exactly once when aborted mid-run', async () => {
    const clock = new VirtualClock();
    const dep = new FakeDeployment({ id: 'a', clock, latencyMs: 1_000 });
    const rec = recorder(clock);
    const l = lane('t', [dep], 1_000);
    const controller = new AbortController();
    const run = createSimpleRunner({ clock, concurrencyPerTarget: 4 }).run([l], rec.hooks, controller.signal);
    await clock.advance(2_500);
    controller.abort();
    await clock.runUntilIdle();
    const stats = await run;
    expect(stats.items).toBe(l.pulled());
    expect([...rec.settled.values()].every((o) => o.length === 1)).toBe(true);
  });
});
