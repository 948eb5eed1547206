import { describe, expect, it } from 'vitest';
import { runScenario } from '../../scripts/bench/run-bench.ts';

// The quick benchmark on the real emulator (child process, loopback HTTP, real SDK): structure, the
// no-loss invariant, and that every bound is a bound (bound ÷ makespan ≤ 1 overall and for every group,
// S3's from what the unseen tenant was really admitted; S11/S12 from the charges the server really
// admitted; S13 from the server's service times ÷ in-flight cap). How close to 1 is measured, not asserted.
describe('quick bench', () => {
  it.each(['S1', 'S3', 'S7', 'S11', 'S12T', 'S12R', 'S13'] as const)(
    '%s: our scheduler loses nothing and reports a valid efficiency',
    async (id) => {
      const report = await runScenario(id, { scenarios: [id], quick: true, seed: 1, baselines: false, log: () => {} });
      expect(report.id).toBe(id);
      expect(report.lost).toBe(0);
      expect(report.ratio).toBeGreaterThan(0);
      expect(report.ratio).toBeLessThanOrEqual(1);
      expect(report.groups.map((g) => g.name)).toEqual(['gpt-4o', 'mini', 'other']);
      for (const group of report.groups) {
        expect(group.ratio).toBeGreaterThan(0);
        expect(group.ratio).toBeLessThanOrEqual(1);
        expect(['tokens', 'requests', 'service']).toContain(group.binding);
      }
      expect(report.weakest_group_ratio).toBe(Math.min(...report.groups.map((g) => g.ratio)));
      expect(report.attempts).toBeGreaterThanOrEqual(300);
      expect(report.baselines).toEqual([]);
      // S3's tenant really competes (it was admitted something) and never takes more than it paces to
      // (+ one 2,001-token request per makespan, its first at t = 0)
      for (const tenant of report.foreign) {
        expect(tenant.admitted_share).toBeGreaterThan(0);
        expect(tenant.admitted_share).toBeLessThanOrEqual(
          tenant.paced_share + 2_001 / ((tenant.deployment === 'gpt4o-a' ? 34_000 : 68_000) * (report.makespan_s / 60)),
        );
      }
      expect(report.foreign.length).toBe(id === 'S3' ? 2 : 0);
    },
  );
});
