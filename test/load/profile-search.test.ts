/** Profiles, flag grammars, quota checks and the goodput search (pure). */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseDurationMs, parseSlo } from '../../src/load/duration.ts';
import { createGoodputSearch } from '../../src/load/goodput-search.ts';
import { initialSteps, parseProfile, spacedRates } from '../../src/load/profile.ts';
import { quotaProblem, sustainableRate } from '../../src/load/quota-check.ts';

describe('flag grammars', () => {
  test('durations and SLOs', () => {
    expect(parseDurationMs('20s', '--duration')).toBe(20_000);
    expect(parseDurationMs('500ms', '--duration')).toBe(500);
    expect(parseDurationMs('2m', '--duration')).toBe(120_000);
    expect(() => parseDurationMs('soon', '--duration')).toThrow('--duration: expected a duration such as 20s, 500ms or 2m, got "soon"');
    expect(parseSlo('ttft=500ms,e2e=2s')).toEqual({ ttftMs: 500, e2eMs: 2000, percentile: 99 });
    expect(parseSlo('e2e=1.5s,p=95')).toEqual({ e2eMs: 1500, percentile: 95 });
    expect(() => parseSlo('p=99')).toThrow('--slo: name at least one bound');
    expect(() => parseSlo('tpot=5ms')).toThrow('--slo: unknown key "tpot"');
  });

  test('profiles', () => {
    expect(parseProfile('rate 5,10', { steps: 6 })).toEqual({ kind: 'rate', rates: [5, 10] });
    expect(parseProfile('rate', { steps: 6, values: [3] })).toEqual({ kind: 'rate', rates: [3] });
    expect(parseProfile('concurrency:8', { steps: 6 })).toEqual({ kind: 'concurrency', levels: [8] });
    expect(() => parseProfile('concurrency 2.5', { steps: 6 })).toThrow('expected whole numbers ≥ 1');
    expect(() => parseProfile('goodput', { steps: 6 })).toThrow('--profile goodput needs --slo');
    expect(() => parseProfile('burst', { steps: 6 })).toThrow(
      '--profile: expected synchronous, concurrency N, rate R, sweep or goodput, got "burst"',
    );
    const sweep = parseProfile('sweep', { steps: 6 });
    expect(initialSteps(sweep, { arrivals: 'constant', saturationConcurrency: 64 }).map((s) => s.role)).toEqual(['floor', 'saturation']);
  });

  test('sweep rates are evenly spaced above the floor up to the saturation rate', () => {
    expect(spacedRates(2, 10, 4)).toEqual([4, 6, 8, 10]);
    expect(spacedRates(10, 4, 2)).toEqual([2, 4]); // a quota ceiling below the floor: never above it
  });
});

describe('quota check', () => {
  test('flags a rate above the RPM or the TPM, and caps the sustainable rate at 90 %', () => {
    expect(quotaProblem(2, 100, { rpm: 100 })).toBe("120 requests/min exceeds the deployment's 100 RPM");
    expect(quotaProblem(1, 2000, { tpm: 100_000 })).toBe(
      "120000 tokens/min (estimated 2000 per request) exceeds the deployment's 100000 TPM",
    );
    expect(quotaProblem(1, 1000, { rpm: 100, tpm: 100_000 })).toBeUndefined();
    expect(sustainableRate({ rpm: 600, tpm: 60_000 }, 100)).toBeCloseTo(9); // min(10, 10) × 0.9
    expect(sustainableRate({}, 100)).toBeUndefined();
  });
});

describe('goodput search', () => {
  test('lands on the highest grid rate that meets the SLO, for any monotone threshold', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 120, noNaN: true }), (steps, threshold) => {
        const search = createGoodputSearch(0, 100, steps);
        let probes = 0;
        for (let rate = search.next(); rate !== undefined; rate = search.next()) {
          probes++;
          search.record(rate, rate <= threshold);
        }
        const expected = search.grid.filter((r) => r <= threshold).at(-1);
        expect(search.result()).toBe(expected);
        expect(probes).toBeLessThanOrEqual(Math.ceil(Math.log2(steps + 1)));
      }),
    );
  });
});
