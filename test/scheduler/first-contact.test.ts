/**
 * First contact (first-contact.ts): a deployment that never answered gets one request at a time, and
 * connection failures before its first answer are a bounded probe (≤ 3 attempts, ≤ 15 s), after which
 * the target stops with the reason. A deployment that answered and then drops is retried with the
 * breaker's capped backoff (≤ 30 s between probes) instead.
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/internal/clock.ts';
import { createRng } from '../../src/internal/rng.ts';
import { breakerTuning } from '../../src/scheduler/defaults.ts';
import { FirstContact, firstContactTuning } from '../../src/scheduler/first-contact.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import { ProviderError } from '../../src/errors.ts';
import { FakeDeployment, providerError } from './support/fake-deployment.ts';
import { drive, lane, recorder } from './support/harness.ts';

const scheduler = (clock: VirtualClock, extra: Parameters<typeof createScheduler>[0] = {}) =>
  createScheduler({ clock, random: createRng(5), ...extra });
const refused = () =>
  new ProviderError({
    category: 'connection',
    retryable: true,
    message: 'connection failed: connect ECONNREFUSED 127.0.0.1:1',
    code: 'ECONNREFUSED',
  });

describe('first contact', () => {
  it('stops a target whose deployment never answers after ≤ 3 connection attempts within 15 s, naming the OS error', async () => {
    const clock = new VirtualClock();
    const dead = new FakeDeployment({ id: 'gpt-4o@eastus', clock, latencyMs: 5, tpm: 1e6, rpm: 6e4, script: () => refused() });
    const rec = recorder(clock);
    await drive(clock, scheduler(clock), [lane('t', [dead], 200)], rec.hooks);
    expect(dead.received.length).toBeLessThanOrEqual(firstContactTuning.maxProbes);
    expect(dead.received.length).toBeGreaterThanOrEqual(2); // a probe, not a single shot
    expect(clock.now()).toBeLessThanOrEqual(firstContactTuning.maxProbeMs);
    const outcomes = [...rec.settled.values()].map((list) => list[0]);
    expect(outcomes).toHaveLength(200);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ status: 'failed', reason: 'unavailable', error: { category: 'connection', code: 'ECONNREFUSED' } });
      if (outcome?.status === 'failed')
        expect(outcome.error.message).toMatch(/deployment gpt-4o@eastus unreachable after 3 connection attempts: .*ECONNREFUSED/);
    }
  });

  it('never has more than one request in flight to a deployment that has not answered yet', async () => {
    const clock = new VirtualClock();
    const dead = new FakeDeployment({ id: 'a', clock, latencyMs: 2_000, tpm: 1e6, rpm: 6e4, script: () => refused() });
    await drive(clock, scheduler(clock), [lane('t', [dead], 100)], recorder(clock).hooks);
    expect(dead.peakInFlight).toBeLessThanOrEqual(1);
  });

  it.each([
    ['without a model-list check', undefined],
    ['whose model list does not name it', { afterMs: 10, named: false }],
  ] as const)('sends a missing (404) deployment %s exactly one request before its target stops', async (_, listCheck) => {
    const clock = new VirtualClock();
    const missing = new FakeDeployment({
      id: 'a',
      clock,
      latencyMs: 50,
      tpm: 1e6,
      rpm: 6e4,
      ...(listCheck === undefined ? {} : { listCheck }),
      script: () => providerError('not_found', { status: 404 }),
    });
    const rec = recorder(clock);
    await drive(clock, scheduler(clock), [lane('t', [missing], 500)], rec.hooks);
    expect(missing.received).toHaveLength(1);
    expect(missing.listChecks).toHaveLength(listCheck === undefined ? 0 : 1);
    expect([...rec.settled.values()].every((list) => list[0]?.status === 'failed')).toBe(true);
  });

  it('lifts the one-request cap when the model list names the deployment, before the first answer, asking once', async () => {
    const clock = new VirtualClock();
    const slow = new FakeDeployment({ id: 'a', clock, latencyMs: 5_000, tpm: 1e6, rpm: 6e4, listCheck: { afterMs: 20, named: true } });
    await drive(clock, scheduler(clock), [lane('t', [slow], 30)], recorder(clock).hooks);
    expect(slow.listChecks).toEqual([0]); // sent with the first request, once
    expect(slow.received[1]?.time).toBe(20); // not 5,000: the model list's answer opened the gate
    expect(slow.peakInFlight).toBeGreaterThan(1);
  });

  it('keeps one request at a time until the first answer when the model list does not name the deployment', async () => {
    const clock = new VirtualClock();
    const slow = new FakeDeployment({ id: 'b', clock, latencyMs: 5_000, tpm: 1e6, rpm: 6e4, listCheck: { afterMs: 20, named: false } });
    await drive(clock, scheduler(clock), [lane('u', [slow], 30)], recorder(clock).hooks);
    expect(slow.listChecks).toEqual([0]);
    expect(slow.received[1]?.time).toBe(5_000); // the first answer, not the model list's, opened the gate
  });

  it('moves the work to a healthy pool member when one member is unreachable', async () => {
    const clock = new VirtualClock();
    const dead = new FakeDeployment({ id: 'dead', clock, latencyMs: 5, script: () => refused() });
    const healthy = new FakeDeployment({ id: 'healthy', clock, latencyMs: 100 });
    const rec = recorder(clock);
    await drive(clock, scheduler(clock), [lane('t', [dead, healthy], 300, 10)], rec.hooks);
    expect([...rec.settled.values()].every((list) => list[0]?.status === 'ok')).toBe(true);
    expect(dead.received.length).toBeLessThanOrEqual(firstContactTuning.maxProbes + 1); // + the breaker's later probe at most
  });

  it('retries a deployment that answered before and then drops, never waiting more than 30 s between probes', async () => {
    const clock = new VirtualClock();
    const dropping = new FakeDeployment({
      id: 'a',
      clock,
      latencyMs: 10,
      script: ({ n, now }) => (n >= 5 && now < 200_000 ? refused() : undefined),
    });
    const rec = recorder(clock);
    await drive(clock, scheduler(clock, { retry: { maxAttempts: 1_000 } }), [lane('t', [dropping], 40, 10)], rec.hooks);
    expect([...rec.settled.values()].every((list) => list[0]?.status === 'ok')).toBe(true);
    const sends = dropping.received.map((r) => r.time);
    let widest = 0;
    for (let i = 1; i < sends.length; i++) widest = Math.max(widest, (sends[i] as number) - (sends[i - 1] as number));
    expect(widest).toBeGreaterThan(1_000); // it did back off
    // from one failed probe's end to the next probe: the cap (the fake's failures take 5 ms)
    expect(widest).toBeLessThanOrEqual(breakerTuning.rateOpenMaxMs + 5 + 1e-6);
    expect(breakerTuning.rateOpenMaxMs).toBeLessThanOrEqual(30_000);
  });
});

describe('first contact in gate snapshots', () => {
  it('shows when the next probe of an unreachable deployment goes out, for the progress line', async () => {
    const clock = new VirtualClock();
    const dead = new FakeDeployment({ id: 'a', clock, latencyMs: 5, script: () => refused() });
    const snapshots: { at: number; nextProbeAt: number; answered: boolean }[] = [];
    const diagnostics = {
      everyMs: 0,
      onSnapshot: (gates: readonly { nextProbeAt: number; answered: boolean }[]) =>
        void snapshots.push({ at: clock.now(), ...(gates[0] as { nextProbeAt: number; answered: boolean }) }),
    };
    await drive(clock, scheduler(clock, { diagnostics }), [lane('t', [dead], 5)], recorder(clock).hooks);
    expect(snapshots.some((s) => s.nextProbeAt > s.at && !s.answered)).toBe(true);
  });

  it('throttled snapshots still show a wait that began inside the interval (trailing snapshot), and stop with the run', async () => {
    // Probes at 0 (snapshot), 1005 and 4010 (snapshot: due now, not waiting); every dispatch in between
    // falls inside the 3 s interval. Only a trailing snapshot at 3000 can show the wait for 4010.
    const clock = new VirtualClock();
    const dead = new FakeDeployment({ id: 'a', clock, latencyMs: 5, script: () => refused() });
    const snapshots: { at: number; nextProbeAt: number; answered: boolean }[] = [];
    const diagnostics = {
      everyMs: 3_000,
      onSnapshot: (gates: readonly { nextProbeAt: number; answered: boolean }[]) =>
        void snapshots.push({ at: clock.now(), ...(gates[0] as { nextProbeAt: number; answered: boolean }) }),
    };
    await drive(clock, scheduler(clock, { diagnostics }), [lane('t', [dead], 5)], recorder(clock).hooks);
    const end = clock.now();
    expect(snapshots.some((s) => s.nextProbeAt > s.at && !s.answered)).toBe(true);
    for (let i = 1; i < snapshots.length; i++) expect(snapshots[i]!.at - snapshots[i - 1]!.at).toBeGreaterThanOrEqual(3_000);
    await clock.runUntilIdle();
    expect(snapshots.every((s) => s.at <= end)).toBe(true);
  });
});

describe('FirstContact', () => {
  it('spaces probes 1 s then 3 s and declares the deployment dead at the third failure', () => {
    const first = new FirstContact();
    expect(first.onUnreachable(0)).toBe('retry');
    expect(first.availableAt(0)).toBe(1_000);
    expect(first.onUnreachable(1_000)).toBe('retry');
    expect(first.availableAt(1_000)).toBe(4_000);
    expect(first.onUnreachable(4_000)).toBe('dead');
  });

  it('ends the probe at 15 s even when each failure takes long (slow DNS)', () => {
    const first = new FirstContact();
    expect(first.onUnreachable(0)).toBe('retry');
    expect(first.onUnreachable(15_000)).toBe('dead');
  });

  it('lets everything through once the deployment answered', () => {
    const first = new FirstContact();
    first.onUnreachable(0);
    first.onAnswer();
    expect(first.availableAt(10)).toBe(10);
  });
});
