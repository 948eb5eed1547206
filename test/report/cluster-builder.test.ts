/**
 * The flat cluster layout gives the digits the Map of row → array gave: the same clusters in the same
 * order, the same values in the same order, so every interval is bit-identical (a re-render of an old
 * journal prints what it printed before).
 */
import { describe, expect, test } from 'vitest';
import { createRng } from '../../src/internal/rng.ts';
import { ClusterBuilder } from '../../src/report/cluster-builder.ts';
import { type QualityEntry, qualitySummary } from '../../src/report/quality-summary.ts';
import { bootstrapClusterMeanCi } from '../../src/report/stats/bootstrap.ts';
import {
  type Cluster,
  clusteredProportionInterval,
  clusteredStandardError,
  flatClusters,
  meanWithinClusterVariance,
} from '../../src/report/stats/clustered.ts';
import { wilsonInterval } from '../../src/report/stats/wilson.ts';

/** Cells of `rows` rows with up to `repeats` repeats each, arriving shuffled; fractional scores, some unscored or failed. */
function entries(rows: number, repeats: number, seed: number): QualityEntry[] {
  const random = createRng(seed);
  const out: QualityEntry[] = [];
  for (let row = 0; row < rows; row++) {
    const n = 1 + Math.floor(random() * repeats);
    for (let r = 0; r < n; r++) {
      const failed = random() < 0.05;
      const score = failed || random() < 0.1 ? null : Math.round(random() * 7) / 7;
      out.push({ row: row * 3 + 1, passed: failed ? null : score !== null && score >= 0.5, score });
    }
  }
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The fold the layout replaced: a Map of row → array, in first-seen order. */
function byMap(values: readonly (readonly [number, number])[]): Cluster[] {
  const map = new Map<number, number[]>();
  for (const [row, value] of values) {
    const cluster = map.get(row);
    if (cluster) cluster.push(value);
    else map.set(row, [value]);
  }
  return [...map.values()];
}

describe('ClusterBuilder', () => {
  test('lays values out as a Map of row → array would: clusters first-seen, values in arrival order', () => {
    const pairs = entries(300, 4, 1).flatMap((e) => (e.score === null ? [] : [[e.row, e.score] as const]));
    const builder = new ClusterBuilder();
    for (const [row, value] of pairs) builder.add(row, value);
    const reference = byMap(pairs);
    const built = builder.build();
    expect(Array.from(built.values)).toEqual(reference.flat());
    expect(Array.from(built.offsets)).toEqual(Array.from(flatClusters(reference).offsets));
    expect(Array.from(builder.sizes())).toEqual(reference.map((c) => c.length));
    expect(builder.clusters).toBe(reference.length);
    expect(builder.size).toBe(pairs.length);
    // The statistics read both forms with the same sums in the same order: equal to the last bit.
    expect(clusteredStandardError(built)).toBe(clusteredStandardError(reference));
    expect(meanWithinClusterVariance(built)).toBe(meanWithinClusterVariance(reference));
  });

  test('an empty builder is an empty layout', () => {
    const built = new ClusterBuilder().build();
    expect(Array.from(built.offsets)).toEqual([0]);
    expect(clusteredStandardError(built)).toBeNull();
  });
});

describe('qualitySummary over the flat layout', () => {
  for (const repeats of [1, 3]) {
    test(`${repeats === 1 ? 'one sample' : 'up to three repeats'} per row: bit-identical to the Map-of-arrays fold`, () => {
      const cells = entries(500, repeats, 7 + repeats);
      const got = qualitySummary(cells, createRng('q'), 400);

      const scores = byMap(cells.flatMap((e) => (e.score === null ? [] : [[e.row, e.score] as const])));
      const passes = byMap(cells.flatMap((e) => (e.passed === null ? [] : [[e.row, Number(e.passed)] as const])));
      const passed = cells.filter((e) => e.passed === true).length;
      const scored = passes.flat().length;
      const sums = scores.map((g) => g.reduce((a, b) => a + b, 0));
      const n = scores.flat().length;
      const clustered = passes.every((c) => c.length === 1) ? null : clusteredProportionInterval(passes)!;
      expect(got).toEqual({
        accuracy: {
          passed,
          scored,
          rate: passed / scored,
          ci: clustered ? clustered.ci : wilsonInterval(passed, scored),
          method: clustered ? 'wilson-clustered' : 'wilson',
          designEffect: clustered ? clustered.designEffect : null,
          cells: cells.length,
          rateOverAllCells: passed / cells.length,
        },
        score: {
          mean: sums.reduce((a, b) => a + b, 0) / n,
          ci: bootstrapClusterMeanCi(
            sums,
            scores.map((g) => g.length),
            { random: createRng('q'), resamples: 400 },
          ),
          clusteredSe: clusteredStandardError(scores),
          itemVariance: meanWithinClusterVariance(scores),
        },
      });
      expect(got.accuracy!.method).toBe(repeats === 1 ? 'wilson' : 'wilson-clustered');
    });
  }
});
