import { describe, expect, test } from 'vitest';
import { createRng } from '../../src/internal/rng.ts';
import { CellIndex } from '../../src/report/cell-index.ts';
import { PairTable } from '../../src/report/pair-table.ts';
import { comparePair } from '../../src/report/pairwise.ts';
import type { PairEntry } from '../../src/report/target-accumulator.ts';

/** Builds a target whose row i passes when `passes[i]` is 1. */
function source(target: string, passes: readonly number[]) {
  const pairs = new Map<string, PairEntry>(passes.map((p, i) => [`r${i}|0`, { rowId: `r${i}`, passed: p === 1, score: p }]));
  return { target, pairs };
}

/** a-only passes, b-only passes, then `same` rows where both pass. */
function discordant(aOnly: number, bOnly: number, same: number) {
  const a = [...Array(aOnly).fill(1), ...Array(bOnly).fill(0), ...Array(same).fill(1)];
  const b = [...Array(aOnly).fill(0), ...Array(bOnly).fill(1), ...Array(same).fill(1)];
  return [source('A', a), source('B', b)] as const;
}

describe('comparePair', () => {
  test('b = 2, c = 9 is p ≈ 0.0654: no evidence of a difference at 95%', () => {
    const [a, b] = discordant(2, 9, 20);
    const result = comparePair(a, b, 500);
    expect(result.accuracy!.pValue).toBeCloseTo(0.0654, 4);
    expect(result.accuracy!.verdict).toBe('no-difference');
    expect(result.sentence).toMatch(/^No evidence of a difference between A and B on pass rate/);
  });

  test('the CI is the exact conditional interval: Clopper–Pearson for 2 of 11 discordant, scaled by 11/31', () => {
    const [a, b] = discordant(2, 9, 20);
    const { ci } = comparePair(a, b, 500).accuracy!.diff;
    // Clopper–Pearson 95% for 2/11 is [0.0228312, 0.5177559] (R binom.test, scipy beta.ppf).
    expect(ci!.low).toBeCloseTo((11 / 31) * (2 * 0.02283119829995966 - 1), 9);
    expect(ci!.high).toBeCloseTo((11 / 31) * (2 * 0.5177558523601726 - 1), 9);
    expect(ci!.high).toBeGreaterThan(0); // agrees with p = 0.065: no difference
  });

  test('no discordant pair: difference 0 with a ±(Clopper–Pearson upper limit of 0 of n) interval, never ±0', () => {
    const [a, b] = discordant(0, 0, 30);
    const { diff, verdict } = comparePair(a, b, 500).accuracy!;
    expect(diff.value).toBe(0);
    // 0 of 30: upper limit 1 − 0.025^(1/30).
    const bound = 1 - 0.025 ** (1 / 30);
    expect(diff.ci!.high).toBeCloseTo(bound, 9);
    expect(diff.ci!.low).toBeCloseTo(-bound, 9);
    expect(verdict).toBe('no-difference');
  });

  test('b = 0, c = 6 is p = 0.031: A is worse', () => {
    const [a, b] = discordant(0, 6, 10);
    const result = comparePair(a, b, 500);
    expect(result.accuracy!.verdict).toBe('worse');
    expect(result.sentence).toMatch(/^A is worse than B on pass rate/);
  });

  test('the paired difference is the difference of pass rates: (12 − 2) / 40 = +0.25', () => {
    const [a, b] = discordant(12, 2, 26);
    const result = comparePair(a, b, 500);
    expect(result.accuracy!.diff.value).toBeCloseTo(0.25, 12);
    expect(result.accuracy!.verdict).toBe('better');
    expect(result.accuracy!.diff.ci!.low).toBeGreaterThan(0);
  });

  test('with repeats the verdict comes from a sign-flip test over rows, not from McNemar', () => {
    // Two rows, each repeated 5 times; A passes every repeat of both, B none: 10 discordant pairs but
    // only 2 independent rows, so the row permutation p is 2/4 = 0.5 while McNemar says 0.002.
    const entries = (passed: boolean) =>
      new Map<string, PairEntry>(
        ['r0', 'r1'].flatMap((row) =>
          Array.from({ length: 5 }, (_, k) => [`${row}|${k}`, { rowId: row, passed, score: Number(passed) }] as const),
        ),
      );
    const result = comparePair({ target: 'A', pairs: entries(true) }, { target: 'B', pairs: entries(false) }, 200);
    expect(result.accuracy).toMatchObject({ test: 'row-sign-flip', pValue: 0.5, verdict: 'no-difference' });
    expect(result.accuracy!.mcnemarP).toBeCloseTo(2 / 1024, 12);
  });

  test('only rows present in both targets are paired', () => {
    const a = source('A', [1, 1, 1]);
    const b = source('B', [0]);
    expect(comparePair(a, b, 100).accuracy!.pairs).toBe(1);
  });

  test('targets with no common rows get a plain sentence and no verdict', () => {
    const result = comparePair(source('A', []), source('B', [1]), 100);
    expect(result.accuracy).toBeNull();
    expect(result.sentence).toBe('A and B share no scored results to compare.');
  });
});

describe('comparePair on scores', () => {
  test('agrees with McNemar on 0/1 scores: 4 one-way discordant rows of 18 is no evidence (p = 0.125)', () => {
    const [a, b] = discordant(4, 0, 14);
    const result = comparePair(a, b, 500);
    expect(result.accuracy!.verdict).toBe('no-difference');
    expect(result.score!.pValue).toBeCloseTo(0.125, 12);
    expect(result.score!.verdict).toBe('no-difference');
  });

  test('a consistent score gain on every row of 12 is better (p = 2/4096)', () => {
    const pairsOf = (scores: number[]) =>
      new Map<string, PairEntry>(scores.map((s, i) => [`r${i}|0`, { rowId: `r${i}`, passed: null, score: s }]));
    const a = { target: 'A', pairs: pairsOf(Array.from({ length: 12 }, (_, i) => 0.6 + i * 0.01)) };
    const b = { target: 'B', pairs: pairsOf(Array.from({ length: 12 }, (_, i) => 0.5 + i * 0.01)) };
    const result = comparePair(a, b, 500);
    expect(result.accuracy).toBeNull();
    expect(result.score!.diff.value).toBeCloseTo(0.1, 12);
    expect(result.score!.pValue).toBeCloseTo(2 / 4096, 12);
    expect(result.sentence).toMatch(/^A is better than B on mean score \(\+0\.100/);
  });
});

describe('comparePair over the run fold’s pair tables', () => {
  test('clusters by row number and gives exactly what Maps keyed by row id give, repeats included', () => {
    const cells = new CellIndex();
    const tables = [new PairTable(cells), new PairTable(cells)] as const;
    const maps = [new Map<string, PairEntry>(), new Map<string, PairEntry>()] as const;
    const random = createRng(3);
    for (let i = 0; i < 600; i++) {
      const cell = { rowId: `r${Math.floor(random() * 150)}`, repeat: Math.floor(random() * 3) };
      const side = i % 2;
      const score = Math.round(random() * 5) / 5;
      const passed = random() < 0.1 ? null : score >= 0.6;
      tables[side]!.set(cell, passed, score);
      maps[side]!.set(`${cell.rowId}|${cell.repeat}`, { rowId: cell.rowId, passed, score });
    }
    const fromTables = comparePair({ target: 'A', pairs: tables[0] }, { target: 'B', pairs: tables[1] }, 300);
    const fromMaps = comparePair({ target: 'A', pairs: maps[0] }, { target: 'B', pairs: maps[1] }, 300);
    expect(fromTables.accuracy!.test).toBe('row-sign-flip');
    expect(fromTables).toEqual(fromMaps);
  });
});
