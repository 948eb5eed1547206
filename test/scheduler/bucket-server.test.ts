/**
 * An OpenAI-style server (duration resets like `6m0s` / `1s` / `20ms`, whole-second retry-after,
 * per-MINUTE x-ratelimit-limit-requests, token buckets that start full): the gate must read the dialect
 * from the reset format, mirror per-minute buckets (not Azure's 10 s windows) and use the initial burst.
 */
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.ts';
import type { VirtualClock } from '../../src/internal/clock.ts';
import { VirtualClock as Clock } from '../../src/internal/clock.ts';
import { createRng } from '../../src/internal/rng.ts';
import { makespanBound } from '../../src/scheduler/bound.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import type { Completion, DeploymentHandle, RateInfo, WorkItem } from '../../src/types.ts';
import { completion } from './support/fake-deployment.ts';
import { drive, lane, recorder } from './support/harness.ts';

const MINUTE = 60_000;

class BucketServer implements DeploymentHandle {
  readonly id = 'openai';
  readonly limits: { readonly tpm?: number; readonly rpm?: number };
  readonly maxConcurrency = 256;
  rejected = 0;
  #tokens: number;
  #requests: number;
  #at = 0;
  readonly clock: VirtualClock;
  readonly tpm: number;
  readonly rpm: number;
  readonly latencyMs: number;
  constructor(
    clock: VirtualClock,
    tpm: number,
    rpm: number,
    latencyMs: number,
    hints: { readonly tpm?: number; readonly rpm?: number } = {},
  ) {
    this.limits = hints;
    this.clock = clock;
    this.tpm = tpm;
    this.rpm = rpm;
    this.latencyMs = latencyMs;
    this.#tokens = tpm;
    this.#requests = rpm;
  }

  #refill(now: number): void {
    const dt = now - this.#at;
    this.#at = now;
    this.#tokens = Math.min(this.tpm, this.#tokens + (this.tpm * dt) / MINUTE);
    this.#requests = Math.min(this.rpm, this.#requests + (this.rpm * dt) / MINUTE);
  }

  #rate(): RateInfo {
    const resetTokens = ((this.tpm - this.#tokens) / this.tpm) * MINUTE;
    const resetRequests = ((this.rpm - this.#requests) / this.rpm) * MINUTE;
    return {
      limitTokens: this.tpm,
      limitRequests: this.rpm,
      remainingTokens: Math.max(0, Math.floor(this.#tokens)),
      remainingRequests: Math.max(0, Math.floor(this.#requests)),
      resetTokensMs: resetTokens,
      resetRequestsMs: resetRequests,
      resetFormat: 'duration', // what rate-headers.ts derives from `6m0s` / `1s` / `20ms` (tested there)
    };
  }

  execute(item: WorkItem): Promise<Completion> {
    const now = this.clock.now();
    this.#refill(now);
    if (this.#tokens < item.cost || this.#requests < 1) {
      this.rejected++;
      const waitMs = Math.max(((item.cost - this.#tokens) / this.tpm) * MINUTE, ((1 - this.#requests) / this.rpm) * MINUTE);
      const rate = this.#rate();
      return Promise.reject(
        new ProviderError({
          category: 'quota',
          retryable: true,
          status: 429,
          message: 'rate limit',
          retryAfterMs: Math.ceil(waitMs / 1_000) * 1_000,
          rate,
        }),
      );
    }
    this.#tokens -= item.cost;
    this.#requests -= 1;
    const rate = this.#rate();
    return new Promise((resolve) => this.clock.setTimer(() => resolve(completion(now, this.latencyMs, rate)), this.latencyMs));
  }
}

async function run(tpm: number, rpm: number, rows: number, cost: number, hints: { readonly tpm?: number; readonly rpm?: number } = {}) {
  const clock = new Clock();
  const server = new BucketServer(clock, tpm, rpm, 1_000, hints);
  const rec = recorder(clock);
  const stats = await drive(clock, createScheduler({ clock, random: createRng(2) }), [lane('t', [server], rows, cost)], rec.hooks);
  const bound = makespanBound([
    {
      name: 't',
      requests: rows,
      admissionCost: rows * cost,
      minLatencyMs: 1_000,
      deployments: [{ tokenBudget: tpm, tokenWindowMs: MINUTE, requestBudget: rpm, requestWindowMs: MINUTE, shape: 'bucket' }],
    },
  ]);
  const ok = [...rec.settled.values()].filter((list) => list[0]?.status === 'ok').length;
  const r = { ok, ratio: bound.boundMs / clock.now(), share429: stats.quota429 / stats.attempts, rejected: server.rejected };
  if (process.env['FIG']) console.log('FIG', tpm, rpm, JSON.stringify(hints), JSON.stringify(r));
  return r;
}

describe('OpenAI-style bucket server', () => {
  it('requests binding (60 per minute): no 10-second misreading, the initial burst used, few 429s', async () => {
    const r = await run(10_000_000, 60, 150, 100);
    expect(r.ok).toBe(150);
    expect(r.share429).toBeLessThanOrEqual(0.03);
    expect(r.ratio).toBeGreaterThanOrEqual(0.9);
    expect(r.ratio).toBeLessThanOrEqual(1);
  });

  // The config hint is per minute, as the user knows it (`rpm: 60`); before the first answer the gate
  // cannot know the dialect and reads it Azure-style (RPM/6 per 10 s), then switches to the bucket.
  it('requests binding with an rpm: 60 hint: the same bucket, not Azure-style pacing at 0.63 of the bound', async () => {
    const r = await run(10_000_000, 60, 150, 100, { rpm: 60 });
    expect(r.ok).toBe(150);
    expect(r.share429).toBeLessThanOrEqual(0.03);
    expect(r.ratio).toBeGreaterThanOrEqual(0.9);
    expect(r.ratio).toBeLessThanOrEqual(1);
  });

  it('tokens binding with a tpm: 30000 hint: the initial burst used, few 429s', async () => {
    const r = await run(30_000, 10_000, 150, 500, { tpm: 30_000, rpm: 10_000 });
    expect(r.ok).toBe(150);
    expect(r.share429).toBeLessThanOrEqual(0.03);
    expect(r.ratio).toBeGreaterThanOrEqual(0.9);
    expect(r.ratio).toBeLessThanOrEqual(1);
  });

  it('tokens binding (30k per minute): the initial burst used, few 429s', async () => {
    const r = await run(30_000, 10_000, 150, 500);
    expect(r.ok).toBe(150);
    expect(r.share429).toBeLessThanOrEqual(0.03);
    expect(r.ratio).toBeGreaterThanOrEqual(0.9);
    expect(r.ratio).toBeLessThanOrEqual(1);
  });
});
