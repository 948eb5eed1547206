import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/internal/rng.ts';
import type { LatencyInputs } from '../../src/emulator/latency.ts';
import { drawReasoningTokens, planLatency } from '../../src/emulator/latency.ts';
import { modelProfiles } from '../../src/emulator/profiles.ts';

const gpt4o = modelProfiles.get('gpt-4o')!;
const o4 = modelProfiles.get('o4-mini')!;
const base: LatencyInputs = {
  profile: gpt4o,
  promptTokens: 1_000,
  reasoningTokens: 0,
  inFlight: 0,
  knee: 32,
  alpha: 0.5,
  heavyTail: true,
  jitter: true,
  busy: 1,
  scale: 1,
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

describe('latency model (§10.2–10.4)', () => {
  it('is deterministic per seed, and scaled / zeroed by latencyScale', () => {
    expect(planLatency(base, createRng(5))).toEqual(planLatency(base, createRng(5)));
    const full = planLatency(base, createRng(5));
    const fast = planLatency({ ...base, scale: 0.02 }, createRng(5));
    expect(fast.firstTokenMs).toBeCloseTo(full.firstTokenMs * 0.02, 6);
    expect(planLatency({ ...base, scale: 0 }, createRng(5))).toEqual({ firstTokenMs: 0, perTokenMs: 0, reasoningMs: 0 });
  });

  it('medians follow the profile: overhead + prefill, decode ≈ mean tok/s', () => {
    const plans = Array.from({ length: 2_000 }, (_, i) => planLatency({ ...base, heavyTail: false }, createRng(i + 1)));
    const ttft = median(plans.map((p) => p.firstTokenMs));
    expect(ttft).toBeGreaterThan(450 + 125 - 60); // overhead 450 ms + 1 000 / 8 000 s prefill
    expect(ttft).toBeLessThan(450 + 125 + 60);
    expect(1000 / median(plans.map((p) => p.perTokenMs))).toBeGreaterThan(80);
    expect(1000 / median(plans.map((p) => p.perTokenMs))).toBeLessThan(100);
  });

  it('slows down past the concurrency knee, and busy periods multiply latency', () => {
    const calm = planLatency({ ...base, jitter: false }, createRng(1));
    const loaded = planLatency({ ...base, jitter: false, inFlight: 96 }, createRng(1));
    expect(loaded.perTokenMs).toBeCloseTo(calm.perTokenMs * 2, 6); // 1 + 0.5 × (96 − 32) / 32
    const busy = planLatency({ ...base, jitter: false, busy: 3 }, createRng(1));
    expect(busy.firstTokenMs).toBeCloseTo(calm.firstTokenMs * 3, 6);
  });

  it('heavy tail: p99 TTFT well above p50 with the tail, close without it', () => {
    const ttfts = (tail: boolean) =>
      Array.from({ length: 4_000 }, (_, i) => planLatency({ ...base, heavyTail: tail }, createRng(i + 1)).firstTokenMs).sort(
        (a, b) => a - b,
      );
    const withTail = ttfts(true);
    const without = ttfts(false);
    expect((withTail[3_960] as number) / (withTail[2_000] as number)).toBeGreaterThan(
      (without[3_960] as number) / (without[2_000] as number),
    );
  });

  it('reasoning tokens scale with effort; non-reasoning profiles have none', () => {
    const draw = (effort: 'low' | 'medium' | 'high') =>
      median(Array.from({ length: 501 }, (_, i) => drawReasoningTokens(o4, effort, createRng(i + 1))));
    expect(draw('low')).toBeLessThan(draw('medium'));
    expect(draw('medium')).toBeLessThan(draw('high'));
    expect(draw('medium')).toBeGreaterThan(1_200);
    expect(draw('medium')).toBeLessThan(1_800);
    expect(drawReasoningTokens(gpt4o, 'high', createRng(1))).toBe(0);
  });
});
