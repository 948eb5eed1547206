import { describe, expect, it } from 'vitest';
import { admissionTimeMs, efficiency, groupBound, makespanBound } from '../../src/scheduler/bound.ts';

describe('window-integral bound', () => {
  it('uses ⌊τ/W⌋ + 1 windows for a sliding log', () => {
    // 100k tokens at 10k per 60 s: the first window admits 10k at τ = 0, so 9 more windows
    expect(admissionTimeMs([{ budget: 10_000, windowMs: 60_000, shape: 'sliding' }], 100_000)).toBe(540_000);
  });

  it('is zero when the first window holds everything', () => {
    expect(admissionTimeMs([{ budget: 10_000, windowMs: 60_000, shape: 'sliding' }], 10_000)).toBe(0);
  });

  it('sums a pool’s members', () => {
    const limiters = [
      { budget: 10_000, windowMs: 60_000, shape: 'sliding' as const },
      { budget: 30_000, windowMs: 60_000, shape: 'sliding' as const },
    ];
    expect(admissionTimeMs(limiters, 100_000)).toBe(120_000);
  });

  it('walks the breakpoints of members with different windows', () => {
    const limiters = [
      { budget: 100, windowMs: 10_000, shape: 'sliding' as const },
      { budget: 100, windowMs: 15_000, shape: 'sliding' as const },
    ];
    // capacity: τ=0 → 200, τ=10 s → 300, τ=15 s → 400, τ=20 s → 500
    expect(admissionTimeMs(limiters, 450)).toBe(20_000);
  });

  it('solves a bucket continuously: B + (B/W)·τ', () => {
    expect(admissionTimeMs([{ budget: 1_000, windowMs: 10_000, shape: 'bucket' }], 3_000)).toBe(20_000);
  });

  it('names the binding resource and adds the minimum latency', () => {
    const g = groupBound({
      name: 'gpt-4o',
      deployments: [{ tokenBudget: 150_000, tokenWindowMs: 60_000, requestBudget: 150, requestWindowMs: 10_000 }],
      requests: 900,
      admissionCost: 1_500_000,
      minLatencyMs: 300,
    });
    expect(g.binding).toBe('tokens');
    expect(g.admissionMs).toMatchObject({ tokens: 540_000, requests: 50_000 });
    expect(g.boundMs).toBe(540_300);
  });

  it('binds on requests when prompts are tiny', () => {
    const g = groupBound({
      name: 'm',
      deployments: [{ tokenBudget: 1e6, tokenWindowMs: 60_000, requestBudget: 10, requestWindowMs: 10_000 }],
      requests: 100,
      admissionCost: 1_000,
      minLatencyMs: 0,
    });
    expect(g).toMatchObject({ binding: 'requests', boundMs: 90_000 });
  });

  it('binds on service when the output rate is the limit', () => {
    const g = groupBound({
      name: 'ptu',
      deployments: [{ outputTokensPerMs: 1 }],
      requests: 10,
      admissionCost: 0,
      outputTokens: 60_000,
      minLatencyMs: 0,
    });
    expect(g).toMatchObject({ binding: 'service', boundMs: 60_000 });
  });

  it('shrinks the budget for a foreign tenant’s share', () => {
    const g = groupBound({
      name: 'm',
      deployments: [{ tokenBudget: 10_000, tokenWindowMs: 60_000, foreignShare: 0.5 }],
      requests: 1,
      admissionCost: 20_000,
      minLatencyMs: 0,
    });
    expect(g.admissionMs.tokens).toBe(180_000);
  });

  it('takes the slowest group as the makespan bound', () => {
    const fast = {
      name: 'fast',
      deployments: [{ tokenBudget: 1e6, tokenWindowMs: 60_000 }],
      requests: 1,
      admissionCost: 10,
      minLatencyMs: 100,
    };
    const slow = {
      name: 'slow',
      deployments: [{ tokenBudget: 1_000, tokenWindowMs: 60_000 }],
      requests: 1,
      admissionCost: 5_000,
      minLatencyMs: 100,
    };
    const b = makespanBound([fast, slow]);
    expect(b.boundMs).toBe(240_100);
    expect(b.groups.map((g) => g.name)).toEqual(['fast', 'slow']);
  });

  it('reports efficiency as bound / achieved', () => {
    expect(efficiency(90, 100)).toBeCloseTo(0.9);
  });
});

describe('time-varying budgets', () => {
  it('counts each window at the largest factor in effect during it', () => {
    // 10k per minute, but only 50 % during the first two minutes
    const factor = (from: number, to: number) => (to <= 120_000 ? 0.5 : from >= 120_000 ? 1 : 1);
    const g = groupBound({
      name: 'm',
      deployments: [{ tokenBudget: 10_000, tokenWindowMs: 60_000, tokenFactorMax: factor }],
      requests: 1,
      admissionCost: 30_000,
      minLatencyMs: 0,
    });
    // windows: 5k + 5k + 10k + 10k ≥ 30k → τ = 3 windows
    expect(g.admissionMs.tokens).toBe(180_000);
  });

  it('gives infinity-safe results for a member that is down all run', () => {
    const g = groupBound({
      name: 'pool',
      deployments: [
        { tokenBudget: 10_000, tokenWindowMs: 60_000, tokenFactorMax: () => 0 },
        { tokenBudget: 10_000, tokenWindowMs: 60_000 },
      ],
      requests: 1,
      admissionCost: 20_000,
      minLatencyMs: 0,
    });
    expect(g.admissionMs.tokens).toBe(60_000);
  });

  it('charges an unseen tenant what it was really admitted, not an assumed share', () => {
    const base = { tokenBudget: 1_000, tokenWindowMs: 60_000 };
    const group = (deployment: Parameters<typeof groupBound>[0]['deployments'][number]) =>
      groupBound({ name: 'g', deployments: [deployment], requests: 1, admissionCost: 2_500, minLatencyMs: 0 });
    // 600 tokens admitted to the tenant at 10 s: capacity left is 1400 at τ = 60 s, 2400 at 120 s, 3400 at 180 s
    const used = { tokens: (tau: number) => (tau >= 10_000 ? 600 : 0), requests: (tau: number) => (tau >= 10_000 ? 1 : 0) };
    expect(group({ ...base, foreignUse: used }).admissionMs.tokens).toBe(180_000);
    // an admission after τ* takes nothing from the capacity before it
    const late = { tokens: (tau: number) => (tau >= 130_000 ? 600 : 0), requests: () => 0 };
    expect(group({ ...base, foreignUse: late }).admissionMs.tokens).toBe(120_000);
    // a tenant that took little: the measured bound is below the one that assumed a 30 % cut everywhere
    const little = { tokens: (tau: number) => 100 * Math.floor(tau / 60_000 + 1), requests: () => 0 };
    expect(group({ ...base, foreignUse: little }).admissionMs.tokens).toBeLessThan(
      group({ ...base, foreignShare: 0.3 }).admissionMs.tokens,
    );
  });
});
