import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/internal/clock.ts';
import { createRng } from '../../src/internal/rng.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import type { ProviderError } from '../../src/errors.ts';
import { FakeDeployment, providerError } from './support/fake-deployment.ts';
import { drive, lane, recorder } from './support/harness.ts';

/** A random fault mix for one deployment: every kind of failure, plus one outage window. */
function faults(seed: number, outage: { from: number; to: number } | undefined) {
  const rng = createRng(seed);
  return ({ now }: { now: number }): ProviderError | undefined => {
    if (outage && now >= outage.from && now < outage.to) return providerError(rng() < 0.5 ? 'connection' : 'timeout');
    const r = rng();
    if (r < 0.08) return providerError('quota', { status: 429, ...(rng() < 0.7 ? { retryAfterMs: Math.floor(rng() * 8_000) } : {}) });
    if (r < 0.13) return providerError('capacity', { status: 429 });
    if (r < 0.17) return providerError('server', { status: 503 });
    if (r < 0.2) return providerError('timeout');
    if (r < 0.21) return providerError(rng() < 0.5 ? 'bad_request' : 'content_filter', { status: 400 });
    return undefined;
  };
}

describe('the no-request-lost invariant under random fault schedules', () => {
  for (let seed = 1; seed <= 12; seed++) {
    it(`seed ${seed}: every item settles exactly once; only fatal requests fail`, async () => {
      const clock = new VirtualClock();
      const rng = createRng(seed * 7919);
      const outageStart = Math.floor(rng() * 60_000);
      const a1 = new FakeDeployment({
        id: 'a1',
        clock,
        tpm: 30_000,
        rpm: 600,
        latencyMs: 200 + Math.floor(rng() * 800),
        script: faults(seed, { from: outageStart, to: outageStart + 120_000 }),
      });
      const a2 = new FakeDeployment({
        id: 'a2',
        clock,
        tpm: 20_000,
        rpm: 600,
        latencyMs: 300,
        foreignTokens: Math.floor(rng() * 6_000),
        script: faults(seed + 100, undefined),
      });
      const b = new FakeDeployment({
        id: 'b',
        clock,
        tpm: 15_000,
        rpm: 300,
        latencyMs: 500,
        script: faults(seed + 200, rng() < 0.5 ? { from: 10_000, to: 70_000 } : undefined),
      });
      const rec = recorder(clock);
      const lanes = [lane('a', [a1, a2], 150, (i) => 100 + ((i * 37) % 900)), lane('b', [b], 120, (i) => 50 + ((i * 53) % 700))];
      const stats = await drive(clock, createScheduler({ clock, random: createRng(seed), retry: { maxAttempts: 40 } }), lanes, rec.hooks);

      expect(rec.settled.size).toBe(270);
      expect(stats.items).toBe(270);
      for (const [key, outcomes] of rec.settled) {
        expect(outcomes, key).toHaveLength(1);
        const outcome = outcomes[0];
        if (outcome?.status === 'failed') {
          expect(outcome.reason, key).toBe('fatal');
          expect(['bad_request', 'content_filter']).toContain(outcome.error.category);
        }
      }
      expect(rec.attempts.length).toBe(stats.attempts);
      expect(stats.quota429).toBeGreaterThan(0);
      expect(stats.attempts).toBeGreaterThan(270); // the faults really forced retries
    });
  }
});
