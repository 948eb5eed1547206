import { describe, expect, it } from 'vitest';
import { runScenario } from '../../scripts/bench/run-bench.ts';

// The quick benchmark on the real emulator (child process, loopback HTTP, real SDK): structure and the
// no-loss invariant only. Timing-dependent numbers (ratios) are only checked to be a valid efficiency.
describe('quick bench', () => {
  it.each(['S1', 'S7'] as const)('%s: our scheduler loses nothing and reports a valid efficiency', async (id) => {
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
    expect(report.attempts).toBeGreaterThanOrEqual(300);
    expect(report.baselines).toEqual([]);
  });
});
