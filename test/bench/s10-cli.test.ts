import { describe, expect, it } from 'vitest';
import { s10Cli } from '../../scripts/bench/s10-cli.ts';

describe('S10: the CLI end to end', () => {
  it('runs batchbench eval as a child process against an emulator process and reports its peak RSS and cells/s', async () => {
    const lines: string[] = [];
    const report = await s10Cli({ rows: [60, 120], runs: 2, stream: true, log: (line) => lines.push(line) });
    expect(report.runs).toBe(2);
    expect(report.points.map((p) => [p.rows, p.cells, p.exit_code])).toEqual([
      [60, 180, 0],
      [120, 360, 0],
    ]);
    for (const point of report.points) {
      // The sampler ran inside the CLI: a Node process with the SDK loaded is far above 40 MB.
      expect(point.peak_rss_mb).toBeGreaterThan(40);
      expect(point.peak_heap_used_mb).toBeGreaterThan(0);
      expect(point.client_cpu_ms_per_cell).toBeGreaterThan(0);
      expect(point.emulator_cpu_ms_per_cell).toBeGreaterThan(0);
      expect(point.cells_per_s).toBeGreaterThan(0);
      // each figure is the median of the size's runs (of two, the upper one), every run listed
      expect(point.peak_rss_mb_runs).toHaveLength(2);
      expect(point.peak_rss_mb).toBe(Math.max(...point.peak_rss_mb_runs));
      expect(point.cells_per_s).toBe(Math.max(...point.cells_per_s_runs));
    }
    expect(report.rss_ratio).toBeCloseTo(report.points[1]!.peak_rss_mb / report.points[0]!.peak_rss_mb, 2);
    // the sizes interleaved: 60, 120, 60, 120
    expect(lines.map((line) => /CLI (\d+) rows × 3, run (\d)\/2/.exec(line)?.slice(1).join('/'))).toEqual([
      '60/1',
      '120/1',
      '60/2',
      '120/2',
    ]);
  }, 120_000);
});
