/** Step statistics from load journal records (pure): §14 metric definitions, SLO attainment, flags. */
import { describe, expect, test } from 'vitest';
import type { LoadRequestRecord, LoadStepEndRecord, LoadStepRecord } from '../../src/report/load/load-records.ts';
import { stepStats } from '../../src/report/load/step-stats.ts';

const STEP: LoadStepRecord = {
  v: 1,
  kind: 'load-step',
  target: 't',
  step: 1,
  label: 'rate 10 req/s',
  mode: 'rate',
  role: 'sweep',
  rate: 10,
  arrivals: 'constant',
  durationMs: 1000,
  maxRequests: 100,
  startedAt: 0,
};

function request(seq: number, extra: Partial<LoadRequestRecord> = {}): LoadRequestRecord {
  return {
    v: 1,
    kind: 'load-request',
    target: 't',
    step: 1,
    seq,
    deploymentId: 't/d',
    scheduledAt: seq * 100,
    sentAt: seq * 100 + 1,
    outcome: 'ok',
    ttftMs: 100,
    e2eMs: 300,
    promptTokens: 10,
    outputTokens: 11,
    ...extra,
  };
}

function end(client: LoadStepEndRecord['client']): LoadStepEndRecord {
  return { v: 1, kind: 'load-step-end', target: 't', step: 1, endedAt: 2000, client };
}

describe('step statistics', () => {
  test('ITL = (e2e − TTFT) / (output − 1), TPOT = e2e / output; rates, jitter and 429s by kind', () => {
    const requests = [
      ...Array.from({ length: 10 }, (_, i) => request(i)),
      request(10, { outcome: 'quota', e2eMs: 5, ttftMs: undefined, outputTokens: undefined }),
    ];
    const s = stepStats(STEP, requests, end([]), undefined);
    expect(s.latency.itl!.percentiles.p50.value).toBeCloseTo(20); // (300 − 100) / 10
    expect(s.latency.tpot!.percentiles.p50.value).toBeCloseTo(300 / 11);
    expect(s.achievedRate).toBeCloseTo(10);
    expect(s.rateError).toBeCloseTo(0);
    expect(s.jitter).toEqual({ p50: 1, p99: 1, max: 1 });
    expect(s.throttled429).toEqual({ quota: 1, capacity: 0 });
    expect(s.ok).toBe(10);
  });

  test("server agreement compares the emulator's admissions with the sends it admitted: 429s are refusals, not admissions", () => {
    // A throttled closed loop: 20 sends at 20/s, every other one a quota 429; the server admitted 10 at 10/s.
    const requests = Array.from({ length: 20 }, (_, i) => request(i, { sentAt: i * 50, ...(i % 2 ? { outcome: 'quota', e2eMs: 2 } : {}) }));
    const s = stepStats(
      { ...STEP, mode: 'concurrency', rate: undefined },
      requests,
      { ...end([]), server: { admissions: 10, rate: 10 } },
      undefined,
    );
    expect(s.achievedRate).toBeCloseTo(20);
    expect(s.server!.agreement).toBeCloseTo(0, 9);
    // Without 429s the comparison is with every send.
    const clean = stepStats(
      STEP,
      Array.from({ length: 10 }, (_, i) => request(i)),
      { ...end([]), server: { admissions: 10, rate: 10.1 } },
      undefined,
    );
    expect(clean.server!.agreement).toBeCloseTo(0.01, 9);
  });

  test('SLO attainment counts failures against it: p99 needs 99 % of all requests good', () => {
    const requests = [...Array.from({ length: 99 }, (_, i) => request(i)), request(99, { outcome: 'server', e2eMs: 10 })];
    expect(stepStats(STEP, requests, end([]), { e2eMs: 300, percentile: 99 }).slo).toMatchObject({ attainment: 0.99, meets: true });
    expect(stepStats(STEP, requests, end([]), { e2eMs: 300, percentile: 99.5 }).slo!.meets).toBe(false);
    expect(stepStats(STEP, requests, end([]), { ttftMs: 99, percentile: 50 }).slo!.meets).toBe(false);
  });

  test('a step is client-bound when event-loop lag p99 > 10 ms or a thread used > 80 % of a core', () => {
    const calm = { thread: 'main', lagP50Ms: 1, lagP99Ms: 4, lagMaxMs: 9, cpuMs: 500, wallMs: 1000 };
    expect(stepStats(STEP, [request(0)], end([calm]), undefined).clientBound).toBe(false);
    expect(stepStats(STEP, [request(0)], end([{ ...calm, lagP99Ms: 10.5 }]), undefined).clientBound).toBe(true);
    expect(stepStats(STEP, [request(0)], end([calm, { ...calm, thread: 'transport-1', cpuMs: 850 }]), undefined).clientBound).toBe(true);
  });
});

describe('PTU utilisation', () => {
  test('the azure-openai-deployment-utilization header is read (with or without %) and its maximum reported per step', async () => {
    const { parseRateHeaders } = await import('../../src/providers/rate-headers.ts');
    expect(parseRateHeaders({ 'azure-openai-deployment-utilization': '42.5%' }).utilizationPct).toBe(42.5);
    expect(parseRateHeaders({ 'Azure-OpenAI-Deployment-Utilization': '7' }).utilizationPct).toBe(7);
    expect(parseRateHeaders({ 'azure-openai-deployment-utilization': 'n/a' }).utilizationPct).toBeUndefined();
    const s = stepStats(
      STEP,
      [request(0, { utilizationPct: 40 }), request(1, { utilizationPct: 95.5 }), request(2, { utilizationPct: 60 })],
      end([]),
      undefined,
    );
    expect(s.utilizationPct).toEqual({ max: 95.5, last: 60 });
  });
});

describe('large steps', () => {
  test('100 000 requests in one step fold without exceeding the argument limit', () => {
    const requests = Array.from({ length: 100_000 }, (_, i) => request(i, { utilizationPct: i % 100 }));
    const s = stepStats({ ...STEP, rate: 10 }, requests, end([]), { e2eMs: 400, percentile: 99 });
    expect(s.requests).toBe(100_000);
    expect(s.jitter!.max).toBe(1);
    expect(s.utilizationPct!.max).toBe(99);
  });
});
