import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/internal/clock.ts';
import { createRng } from '../../src/internal/rng.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import type { Outcome } from '../../src/types.ts';
import { FakeDeployment, providerError } from './support/fake-deployment.ts';
import { drive, lane, recorder } from './support/harness.ts';

const scheduler = (clock: VirtualClock, extra: Parameters<typeof createScheduler>[0] = {}) =>
  createScheduler({ clock, random: createRng(3), ...extra });
const only = (outcomes: Map<string, Outcome[]>): Outcome => [...outcomes.values()][0]?.[0] as Outcome;

describe('failures', () => {
  it('quota 429s never consume the retry budget', async () => {
    const clock = new VirtualClock();
    const dep = new FakeDeployment({
      id: 'a',
      clock,
      latencyMs: 100,
      script: ({ n }) => (n < 20 ? providerError('quota', { retryAfterMs: 100, status: 429 }) : undefined),
    });
    const rec = recorder(clock);
    const stats = await drive(clock, scheduler(clock, { retry: { maxAttempts: 2 } }), [lane('t', [dep], 1)], rec.hooks);
    expect(only(rec.settled)).toMatchObject({ status: 'ok', attempts: 21 });
    expect(stats.quota429).toBe(20);
  });

  it('capacity 429s consume attempts and exhaust after maxAttempts', async () => {
    const clock = new VirtualClock();
    const dep = new FakeDeployment({ id: 'a', clock, script: () => providerError('capacity', { status: 429 }) });
    const rec = recorder(clock);
    const stats = await drive(clock, scheduler(clock), [lane('t', [dep], 1)], rec.hooks);
    expect(only(rec.settled)).toMatchObject({ status: 'failed', reason: 'exhausted', attempts: 6 });
    expect(stats.capacity429).toBe(6);
    expect(dep.received).toHaveLength(6);
  });

  it('waits between overload retries without holding a slot', async () => {
    const clock = new VirtualClock();
    const dep = new FakeDeployment({
      id: 'a',
      clock,
      latencyMs: 10,
      script: ({ item }) => (item.key.startsWith('r0|') ? providerError('server', { status: 500 }) : undefined),
    });
    const rec = recorder(clock);
    await drive(clock, scheduler(clock, { retry: { maxAttempts: 3, baseDelayMs: 10_000 } }), [lane('t', [dep], 50, 10)], rec.hooks);
    const others = [...rec.settledAt].filter(([key]) => !key.startsWith('r0|')).map(([, t]) => t);
    expect(Math.max(...others)).toBeLessThan(rec.settledAt.get('r0|t|0') as number);
  });

  it.each(['bad_request', 'content_filter'] as const)('a %s failure is recorded once and never retried', async (category) => {
    const clock = new VirtualClock();
    const dep = new FakeDeployment({ id: 'a', clock, script: () => providerError(category, { status: 400 }) });
    const rec = recorder(clock);
    await drive(clock, scheduler(clock), [lane('t', [dep], 1)], rec.hooks);
    expect(only(rec.settled)).toMatchObject({ status: 'failed', reason: 'fatal', attempts: 1, error: { category } });
    expect(dep.received).toHaveLength(1);
  });

  it('fails a request larger than any member’s token budget without sending it', async () => {
    const clock = new VirtualClock();
    const dep = new FakeDeployment({ id: 'a', clock, tpm: 1_000, rpm: 60 });
    const rec = recorder(clock);
    await drive(clock, scheduler(clock), [lane('t', [dep], 1, 5_000)], rec.hooks);
    expect(only(rec.settled)).toMatchObject({ status: 'failed', reason: 'fatal', error: { code: 'E_TOO_LARGE' } });
    expect(dep.received).toHaveLength(0);
  });

  it('settles a target with a wrong key as unavailable after at most 3 requests', async () => {
    const clock = new VirtualClock();
    const dep = new FakeDeployment({ id: 'a', clock, tpm: 1e6, rpm: 6e4, script: () => providerError('auth', { status: 401 }) });
    const rec = recorder(clock);
    await drive(clock, scheduler(clock), [lane('t', [dep], 500)], rec.hooks);
    expect(dep.received.length).toBeLessThanOrEqual(3);
    expect(rec.settled.size).toBe(500);
    const outcomes = [...rec.settled.values()].map((o) => o[0]);
    expect(outcomes.every((o) => o?.status === 'failed' && o.reason === 'unavailable' && o.error.category === 'auth')).toBe(true);
  });

  it('sends a pool’s work to the healthy member when another returns 404', async () => {
    const clock = new VirtualClock();
    const missing = new FakeDeployment({ id: 'missing', clock, latencyMs: 100, script: () => providerError('not_found', { status: 404 }) });
    const healthy = new FakeDeployment({ id: 'healthy', clock, latencyMs: 100 });
    const rec = recorder(clock);
    await drive(clock, scheduler(clock), [lane('t', [missing, healthy], 300, 10)], rec.hooks);
    expect([...rec.settled.values()].every((o) => o[0]?.status === 'ok')).toBe(true);
    expect(missing.received.length).toBeLessThanOrEqual(3);
  });

  it('closes the breaker when a recovered member answers its half-open probe', async () => {
    const clock = new VirtualClock();
    const recovering = new FakeDeployment({
      id: 'rec',
      clock,
      latencyMs: 1_000,
      script: ({ now }) => (now < 30_000 ? providerError('not_found', { status: 404 }) : undefined),
    });
    const slow = new FakeDeployment({ id: 'slow', clock, latencyMs: 1_000, maxConcurrency: 1 });
    const rec = recorder(clock);
    await drive(clock, scheduler(clock, { maxPerDeployment: 2 }), [lane('t', [recovering, slow], 400, 10)], rec.hooks);
    expect(rec.settled.size).toBe(400);
    expect(recovering.admitted).toBeGreaterThan(100); // it took work again after the probe
  });

  it('keeps a lane whose members are all failing queued until the grace, then dead-letters it', async () => {
    const clock = new VirtualClock();
    const down = new FakeDeployment({ id: 'a', clock, latencyMs: 10, script: () => providerError('server', { status: 503 }) });
    const rec = recorder(clock);
    await drive(
      clock,
      scheduler(clock, { retry: { maxAttempts: 1_000 }, unavailableAfterMs: 120_000 }),
      [lane('t', [down], 40, 10)],
      rec.hooks,
    );
    const outcomes = [...rec.settled.values()].map((o) => o[0]);
    expect(outcomes).toHaveLength(40);
    expect(outcomes.every((o) => o?.status === 'failed' && o.reason === 'unavailable')).toBe(true);
    expect(clock.now()).toBeGreaterThanOrEqual(120_000);
  });

  it('waits for a member that recovers before the grace instead of failing', async () => {
    const clock = new VirtualClock();
    const flapping = new FakeDeployment({
      id: 'a',
      clock,
      latencyMs: 10,
      script: ({ n, now }) => (n >= 3 && now < 60_000 ? providerError('connection') : undefined),
    });
    const rec = recorder(clock);
    await drive(clock, scheduler(clock, { retry: { maxAttempts: 1_000 } }), [lane('t', [flapping], 40, 10)], rec.hooks);
    expect([...rec.settled.values()].every((o) => o[0]?.status === 'ok')).toBe(true);
  });
});
