import { describe, expect, it } from 'vitest';
import type { ScenarioReport } from '../../scripts/bench/report.ts';
import { boundViolations, seedsSummary } from '../../scripts/bench/report.ts';
import { inFlightBound } from '../../scripts/bench/bound-for.ts';
import { buildScenario } from '../../scripts/bench/scenarios.ts';

const run = (seed: number, ratio: number, weakest: number, q: number, lost = 0, groupRatio = weakest): ScenarioReport =>
  ({
    id: 'S11',
    seed,
    ratio,
    weakest_group_ratio: weakest,
    quota429_per_attempt: q,
    capacity429: seed,
    lost,
    makespan_s: 100 * seed,
    groups: [{ name: 'g', ratio: groupRatio, binding: 'tokens', bound_s: 1, makespan_s: 1 }],
  }) as unknown as ScenarioReport;

describe('bench seeds summary', () => {
  it('medians, spread and the worst loss over the seeds', () => {
    const s = seedsSummary([run(1, 0.9, 0.8, 0.02), run(2, 0.95, 0.7, 0.01, 2), run(3, 0.92, 0.85, 0.05)]);
    expect(s).toEqual({
      id: 'S11',
      seeds: [1, 2, 3],
      ratio_median: 0.92,
      ratio_min: 0.9,
      ratio_max: 0.95,
      weakest_group_ratio_median: 0.8,
      weakest_group_ratio_min: 0.7,
      quota429_share_median: 0.02,
      quota429_share_max: 0.05,
      capacity429_median: 2,
      lost_max: 2,
      makespan_s_median: 200,
    });
  });

  it('a ratio above 1, overall or in a group, is a violation', () => {
    expect(boundViolations([run(1, 0.99, 0.9, 0), run(2, 1.01, 0.9, 0), run(3, 0.9, 0.9, 0, 0, 1.02)])).toEqual([
      'S11 seed 2: bound ÷ makespan 1.01 > 1',
      'S11 seed 3 group g: 1.02 > 1',
    ]);
  });

  it('the in-flight bound: Σ service ÷ Σ caps, at least the longest request', () => {
    const scenario = buildScenario('S13', { quick: true, seed: 1 });
    const service = (sumMs: number, maxMs: number) => ({ sumMs, maxMs, count: 1 });
    const truth = {
      charged: {},
      service: {
        'gpt4o-a': service(24_000, 3_000),
        'gpt4o-b': service(24_000, 2_000),
        'gpt4o-c': service(24_000, 2_500),
        mini: service(8_000, 9_000),
        other: service(80_000, 4_000),
      },
    };
    expect(inFlightBound(scenario, 'gpt-4o', truth).boundMs).toBe(3_000); // 72 s over 24 slots
    expect(inFlightBound(scenario, 'mini', truth).boundMs).toBe(9_000); // the longest request
    expect(inFlightBound(scenario, 'other', truth)).toEqual({
      name: 'other',
      boundMs: 10_000,
      binding: 'service',
      admissionMs: { tokens: 0, requests: 0, service: 10_000 },
    });
  });
});
