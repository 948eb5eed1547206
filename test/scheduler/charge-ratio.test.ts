/**
 * Learning the server's charge per request from `x-ratelimit-remaining-tokens` (charge-ratio.ts): a
 * server that charges 1.23× the client's estimate (an OpenAI-style endpoint charging the JSON of the
 * messages), with `remaining-*` lagging by up to two decisions and responses arriving out of order.
 */
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.ts';
import type { VirtualClock } from '../../src/internal/clock.ts';
import { VirtualClock as Clock } from '../../src/internal/clock.ts';
import { createRng } from '../../src/internal/rng.ts';
import { makespanBound } from '../../src/scheduler/bound.ts';
import type { ChargeLimiter, ChargePoint } from '../../src/scheduler/charge-ratio.ts';
import { ChargeRatio } from '../../src/scheduler/charge-ratio.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import type { Completion, DeploymentHandle, RateInfo, WorkItem } from '../../src/types.ts';
import { completion, FakeDeployment } from './support/fake-deployment.ts';
import { drive, lane, recorder } from './support/harness.ts';

const MINUTE = 60_000;

/**
 * A scripted header sequence: requests of varying estimate sent in bursts, each charged `factor` × the
 * estimate (× 1 ± noise), `remaining` reported 0–2 admissions late, responses fed back in a shuffled
 * order. `foreign` adds a steady unseen tenant's window usage to a sliding log.
 */
function script(opts: {
  shape: 'sliding' | 'bucket';
  factor: number;
  noise: number;
  foreign?: number;
  n: number;
  seed: number;
  skewMs?: number;
  idle?: readonly [number, number];
}): { ratios: number[] } {
  const random = createRng(opts.seed);
  const budget = 60_000;
  const windowMs = MINUTE;
  const limiter: ChargeLimiter = { shape: opts.shape, budget, refillPerMs: opts.shape === 'bucket' ? budget / windowMs : 0, windowMs };
  const life = windowMs + (opts.skewMs ?? 0); // our entries outlive the server's by the skew
  const charge = new ChargeRatio();
  const admitted: { at: number; amount: number }[] = [];
  const history: number[] = [];
  let level = budget; // bucket
  let levelAt = 0;
  let cum = 0;
  const ours: { at: number; cost: number }[] = [];
  const pending: ChargePoint[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < opts.n; i++) {
    const idle = opts.idle !== undefined && i >= opts.idle[0] && i < opts.idle[1];
    const at = i * 500; // 2 per second (none while idle)
    if (idle) continue;
    const cost = 400 + Math.floor(random() * 800);
    const charged = cost * opts.factor * (1 + (2 * random() - 1) * opts.noise);
    let serverUsed: number;
    if (opts.shape === 'bucket') {
      level = Math.min(budget, level + (budget / windowMs) * (at - levelAt));
      levelAt = at;
      level -= charged;
      serverUsed = budget - level;
    } else {
      admitted.push({ at, amount: charged });
      serverUsed = (opts.foreign ?? 0) + admitted.filter((a) => a.at > at - windowMs).reduce((s, a) => s + a.amount, 0);
    }
    history.push(serverUsed);
    const lag = Math.floor(random() * 3);
    const reported = history[Math.max(0, history.length - 1 - lag)] as number;
    cum += cost;
    ours.push({ at, cost });
    const alive = ours.filter((o) => o.at > at - life);
    const used = alive.reduce((s, o) => s + o.cost, 0);
    pending.push({ cum, used, at, oldestAt: alive[0]?.at ?? Number.POSITIVE_INFINITY, serverUsed: Math.round(reported) });
    // responses come back in bursts of 4, shuffled
    if (pending.length === 4) {
      pending.sort(() => random() - 0.5);
      for (const p of pending.splice(0)) {
        charge.observe(p, limiter);
        ratios.push(charge.value);
      }
    }
  }
  return { ratios };
}

describe('charge ratio from remaining-tokens', () => {
  for (const shape of ['bucket', 'sliding'] as const) {
    it(`${shape}: within ±0.07 of the true 1.23× after 120 responses despite lag, noise and reordering`, () => {
      for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
        const { ratios } = script({ shape, factor: 1.23, noise: 0.1, n: 400, seed });
        const settledFrom = 120;
        for (const r of ratios.slice(settledFrom)) expect(Math.abs(r - 1.23)).toBeLessThanOrEqual(0.07);
        expect(ratios[0]).toBe(1); // nothing applied before enough samples
      }
    });
  }

  it('an exact server (ratio 1, ±10 % noise, lag) is never second-guessed: the dead band keeps 1', () => {
    for (const shape of ['bucket', 'sliding'] as const) {
      for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
        const { ratios } = script({ shape, factor: 1, noise: 0.1, n: 400, seed });
        expect(new Set(ratios)).toEqual(new Set([1]));
      }
    }
  });

  it("sliding log: our entries outliving the server's (send vs arrival stamps) and a drained window do not pass for a higher charge", () => {
    for (const seed of [1, 2, 3, 4]) {
      const { ratios } = script({ shape: 'sliding', factor: 1, noise: 0.05, skewMs: 2_000, idle: [200, 330], n: 500, seed });
      expect(new Set(ratios)).toEqual(new Set([1]));
    }
  });

  /**
   * Bursts of 6 sent at once and admitted by an exact server in a shuffled order: each point's count is
   * off by up to the rest of its burst (the first burst reversed: its first point admitted last).
   */
  function bursts(seed: number): { learned: number[]; samples: number } {
    const limiter: ChargeLimiter = { shape: 'sliding', budget: 60_000, refillPerMs: 0, windowMs: MINUTE };
    const random = createRng(seed);
    const charge = new ChargeRatio();
    const learned: number[] = [];
    let cum = 0;
    let server = 0;
    for (let burst = 0; burst < 18; burst++) {
      const costs = Array.from({ length: 6 }, () => 400 + Math.floor(random() * 800));
      const cums = costs.map((c) => (cum += c));
      const order = [0, 1, 2, 3, 4, 5];
      if (burst === 0) order.reverse();
      else order.sort(() => random() - 0.5);
      const serverUsed: number[] = [];
      for (const i of order) serverUsed[i] = server += costs[i] as number;
      for (let i = 0; i < 6; i++) {
        const c = cums[i] as number;
        charge.observe({ cum: c, used: c, at: burst * 3_000, oldestAt: 0, serverUsed: serverUsed[i] as number }, limiter);
        learned.push(charge.value);
      }
    }
    return { learned, samples: charge.sampleCount };
  }

  it('sliding log: every burst reordered at the server moves the learned charge by less than 10 %', () => {
    // samples all anchored on the earliest point learned down to 0.86 here (S1 on the virtual clock:
    // 0.89-0.91, then 4 requests past the budget); the median over anchors stays within 10 %
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const { learned, samples } = bursts(seed);
      expect(samples).toBeGreaterThanOrEqual(7);
      for (const value of learned) expect(Math.abs(value - 1)).toBeLessThan(0.1);
    }
  });

  it('a steady unseen tenant on a sliding log is not mistaken for a higher charge', () => {
    // the tenant has used 20 % of the budget per window since before we started; our charge is exact
    for (const seed of [7, 8, 9]) {
      const { ratios } = script({ shape: 'sliding', factor: 1, noise: 0.05, foreign: 12_000, n: 400, seed });
      expect(new Set(ratios)).toEqual(new Set([1]));
    }
  });

  it('a request rejected with a quota 429 is taken out of the samples that span it (never charged)', () => {
    const charge = new ChargeRatio();
    const limiter: ChargeLimiter = { shape: 'bucket', budget: 10_000, refillPerMs: 0, windowMs: MINUTE };
    // requests of 1,000 each, the 4th rejected: the server charged the others 1,230 each
    charge.onRejected(4_000, 1_000);
    for (let i = 0; i < 20; i++) {
      const cum = (i + 1) * 1_000;
      const charged = (i >= 3 ? i : i + 1) * 1_230;
      charge.observe({ cum, used: cum, at: 0, oldestAt: 0, serverUsed: charged }, limiter);
    }
    expect(charge.sampleCount).toBeGreaterThan(0);
    expect(charge.value).toBeCloseTo(1.23, 6);
  });
});

/** An OpenAI-style bucket server charging `factor` × the client's estimate, `remaining` lagging 0–2 admissions. */
class ChargingBucketServer implements DeploymentHandle {
  readonly id = 'openai';
  readonly limits = {};
  readonly maxConcurrency = 256;
  rejected = 0;
  #tokens: number;
  #at = 0;
  readonly #history: number[] = [];
  readonly #random = createRng(9);
  readonly clock: VirtualClock;
  readonly tpm: number;
  readonly factor: number;
  constructor(clock: VirtualClock, tpm: number, factor: number) {
    this.clock = clock;
    this.tpm = tpm;
    this.factor = factor;
    this.#tokens = tpm;
  }

  #rate(): RateInfo {
    this.#history.push(this.#tokens);
    const lagged = this.#history[Math.max(0, this.#history.length - 1 - Math.floor(this.#random() * 3))] as number;
    return {
      limitTokens: this.tpm,
      remainingTokens: Math.max(0, Math.floor(lagged)),
      resetTokensMs: ((this.tpm - this.#tokens) / this.tpm) * MINUTE,
      resetFormat: 'duration',
    };
  }

  execute(item: WorkItem): Promise<Completion> {
    const now = this.clock.now();
    this.#tokens = Math.min(this.tpm, this.#tokens + (this.tpm * (now - this.#at)) / MINUTE);
    this.#at = now;
    const charge = item.cost * this.factor;
    if (this.#tokens < charge) {
      this.rejected++;
      const waitMs = ((charge - this.#tokens) / this.tpm) * MINUTE;
      return Promise.reject(
        new ProviderError({
          category: 'quota',
          retryable: true,
          status: 429,
          message: 'rate limit',
          retryAfterMs: Math.ceil(waitMs / 1_000) * 1_000,
          rate: this.#rate(),
        }),
      );
    }
    this.#tokens -= charge;
    const rate = this.#rate();
    return new Promise((resolve) => this.clock.setTimer(() => resolve(completion(now, 1_000, rate)), 1_000));
  }
}

async function runBucket(factor: number) {
  const clock = new Clock();
  const tpm = 30_000;
  const rows = 300;
  const cost = (i: number) => 300 + ((i * 37) % 400);
  const server = new ChargingBucketServer(clock, tpm, factor);
  const rec = recorder(clock);
  const items = lane('t', [server], rows, cost);
  const stats = await drive(clock, createScheduler({ clock, random: createRng(2) }), [items], rec.hooks);
  let charged = 0;
  for (let i = 0; i < rows; i++) charged += cost(i) * factor;
  const bound = makespanBound([
    {
      name: 't',
      requests: rows,
      admissionCost: charged,
      minLatencyMs: 1_000,
      deployments: [{ tokenBudget: tpm, tokenWindowMs: MINUTE, shape: 'bucket' }],
    },
  ]);
  const ok = [...rec.settled.values()].filter((list) => list[0]?.status === 'ok').length;
  return { ok, ratio: bound.boundMs / clock.now(), share429: stats.quota429 / stats.attempts };
}

describe('a run against a server charging 1.23× the estimate', () => {
  it('OpenAI-style bucket: ≤ 3 % quota 429s, every row answered, bound ÷ makespan in [0.9, 1]', async () => {
    const r = await runBucket(1.23);
    expect(r.ok).toBe(300);
    expect(r.share429).toBeLessThanOrEqual(0.03);
    expect(r.ratio).toBeGreaterThanOrEqual(0.9);
    expect(r.ratio).toBeLessThanOrEqual(1);
  });
});

async function runSliding(chargeLearning: boolean) {
  const clock = new Clock();
  const dep = new FakeDeployment({ id: 'azure', clock, tpm: 20_000, rpm: 6_000, latencyMs: 800, chargeFactor: 1.23 });
  const rec = recorder(clock);
  const rows = 300;
  const cost = (i: number) => 300 + ((i * 37) % 400);
  const stats = await drive(
    clock,
    createScheduler({ clock, random: createRng(3), chargeLearning }),
    [lane('t', [dep], rows, cost)],
    rec.hooks,
  );
  let charged = 0;
  for (let i = 0; i < rows; i++) charged += cost(i) * 1.23;
  const bound = makespanBound([
    { name: 't', requests: rows, admissionCost: charged, minLatencyMs: 800, deployments: [{ tokenBudget: 20_000, tokenWindowMs: MINUTE }] },
  ]);
  const ok = [...rec.settled.values()].filter((list) => list[0]?.status === 'ok').length;
  return { ok, ratio: bound.boundMs / clock.now(), share429: stats.quota429 / stats.attempts };
}

describe('a run against an Azure-style sliding window charging 1.23× the estimate', () => {
  it('learned in the first window: ≤ 3 % quota 429s (fewer than without learning), bound ÷ makespan in [0.95, 1]', async () => {
    const learned = await runSliding(true);
    const blind = await runSliding(false);
    if (process.env['FIG']) console.log('FIG sliding', JSON.stringify({ learned, blind }));
    expect(learned.ok).toBe(300);
    expect(learned.share429).toBeLessThanOrEqual(0.03);
    expect(learned.share429).toBeLessThan(blind.share429);
    expect(learned.ratio).toBeGreaterThanOrEqual(0.95);
    expect(learned.ratio).toBeLessThanOrEqual(1);
  });
});
