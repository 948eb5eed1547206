/**
 * Paired comparison of two targets on the same (row, repeat) cells. Pass/fail: McNemar's exact test
 * decides, with an exact conditional CI (see comparePassRates for repeats). Scores: a paired
 * sign-flip permutation test over rows decides, the mean difference gets a paired bootstrap CI.
 * Verdicts are at 95%.
 */
import { createRng, hashString } from '../internal/rng.ts';
import { formatPoints, formatPValue, formatSigned } from './format.ts';
import { bootstrapClusterMeanCi } from './stats/bootstrap.ts';
import type { Random } from '../internal/rng.ts';
import { clopperPearson } from './stats/clopper-pearson.ts';
import { mcnemarExact } from './stats/mcnemar.ts';
import { signFlipTest } from './stats/sign-flip.ts';
import type { PairedDifference, PairwiseComparison, Verdict } from './summary-types.ts';
import { FirstSeenRows } from './cluster-builder.ts';
import { NumberColumn } from './columns.ts';
import type { PairEntry, PairLookup } from './pair-table.ts';

export interface PairSource {
  readonly target: string;
  readonly pairs: PairLookup;
}

const ALPHA = 0.05;

export function comparePair(a: PairSource, b: PairSource, resamples: number): PairwiseComparison {
  const passClusters = new ClusterSums();
  const scoreClusters = new ClusterSums();
  let aOnly = 0;
  let bOnly = 0;
  for (const [key, left] of a.pairs) {
    const right = b.pairs.get(key);
    if (!right) continue;
    if (left.passed !== null && right.passed !== null) {
      if (left.passed && !right.passed) aOnly++;
      if (!left.passed && right.passed) bOnly++;
      passClusters.add(left, Number(left.passed) - Number(right.passed));
    }
    if (left.score !== null && right.score !== null) scoreClusters.add(left, left.score - right.score);
  }
  const seed = (metric: string) => createRng(hashString(`${a.target}|${b.target}|${metric}`));
  let accuracy: PairwiseComparison['accuracy'] = null;
  if (passClusters.n > 0) accuracy = comparePassRates(passClusters, aOnly, bOnly, seed, resamples);
  let score: PairwiseComparison['score'] = null;
  if (scoreClusters.n > 0) {
    const diff = scoreClusters.estimate(seed('score'), resamples);
    // The percentile bootstrap is too narrow on a handful of rows; the permutation test is not.
    const pValue = signFlipTest(scoreClusters.rowSums(), seed('score-test'));
    const verdict: Verdict = pValue >= ALPHA || diff.value === 0 ? 'no-difference' : diff.value > 0 ? 'better' : 'worse';
    score = { pairs: scoreClusters.n, diff, verdict, pValue };
  }
  return { a: a.target, b: b.target, accuracy, score, sentence: sentence(a.target, b.target, accuracy, score) };
}

// --- internal ---

/**
 * Without repeats: McNemar's exact test, and the exact conditional interval (Clopper–Pearson on the
 * discordant pairs, scaled by their share), which excludes 0 exactly when McNemar rejects, so the CI and
 * the verdict never contradict each other. With repeats the pairs of one row are not independent:
 * the verdict comes from a sign-flip test over rows and the CI from a row-clustered bootstrap.
 */
function comparePassRates(
  clusters: ClusterSums,
  aOnly: number,
  bOnly: number,
  seed: (metric: string) => Random,
  resamples: number,
): NonNullable<PairwiseComparison['accuracy']> {
  const mcnemar = mcnemarExact(aOnly, bOnly);
  const value = (aOnly - bOnly) / clusters.n;
  const clustered = clusters.hasRepeats();
  const pValue = clustered ? signFlipTest(clusters.rowSums(), seed('pass-test')) : mcnemar;
  const verdict: Verdict = pValue >= ALPHA || value === 0 ? 'no-difference' : value > 0 ? 'better' : 'worse';
  const discordant = aOnly + bOnly;
  const exact = clopperPearson(aOnly, discordant);
  const share = discordant / clusters.n;
  const ci = clustered
    ? clusters.estimate(seed('pass'), resamples).ci
    : exact
      ? { low: share * (2 * exact.low - 1), high: share * (2 * exact.high - 1) }
      : noDiscordantCi(clusters.n);
  return {
    pairs: clusters.n,
    diff: { value, ci },
    verdict,
    aOnly,
    bOnly,
    mcnemarP: mcnemar,
    pValue,
    test: clustered ? 'row-sign-flip' : 'mcnemar-exact',
  };
}

/**
 * No discordant pair among n: the difference is 0, but not known to be exactly 0. It is bounded by the
 * share of discordant pairs, whose Clopper–Pearson 95% upper limit for 0 of n gives ±that share
 * (never a ±0 interval).
 */
function noDiscordantCi(n: number): { low: number; high: number } {
  const bound = clopperPearson(0, n)?.high ?? 1;
  return { low: -bound, high: bound };
}

/**
 * Per-row sums and counts of paired differences (rows are the clusters when there are repeats), rows in
 * first-seen order. Rows are found by number when the entries carry one (pair-table.ts), in typed
 * columns: at 100k rows a Map by row id cost megabytes per pair in the report's last step.
 */
class ClusterSums {
  readonly #rows = new FirstSeenRows();
  readonly #sums = new NumberColumn();
  readonly #counts = new NumberColumn();
  n = 0;

  add(entry: PairEntry, value: number): void {
    const i = this.#rows.indexOf(entry.row ?? entry.rowId);
    if (i === this.#sums.length) {
      this.#sums.push(0);
      this.#counts.push(0);
    }
    this.#sums.set(i, this.#sums.at(i) + value);
    this.#counts.set(i, this.#counts.at(i) + 1);
    this.n++;
  }

  /** Some row contributes more than one pair (the run has repeats). */
  hasRepeats(): boolean {
    return this.#counts.view().some((c) => c > 1);
  }

  /** Summed difference of each row (the unit a permutation test flips). */
  rowSums(): ArrayLike<number> {
    return this.#sums.view();
  }

  estimate(random: () => number, resamples: number): PairedDifference['diff'] {
    const sums = this.#sums.view();
    let total = 0;
    for (let i = 0; i < sums.length; i++) total += sums[i]!;
    return { value: total / this.n, ci: bootstrapClusterMeanCi(sums, this.#counts.view(), { random, resamples }) };
  }
}

function sentence(a: string, b: string, accuracy: PairwiseComparison['accuracy'], score: PairwiseComparison['score']): string {
  if (accuracy) {
    const ci = accuracy.diff.ci ? `, 95% CI ${formatPoints(accuracy.diff.ci.low)} to ${formatPoints(accuracy.diff.ci.high)}` : '';
    const test = accuracy.test === 'mcnemar-exact' ? 'McNemar' : 'row permutation';
    const detail = `${formatPoints(accuracy.diff.value)}${ci}; ${test} p ${formatPValue(accuracy.pValue)}; ${accuracy.pairs} paired results`;
    return `${lead(a, b, accuracy.verdict)} on pass rate (${detail}).`;
  }
  if (score) {
    const ci = score.diff.ci ? `, 95% CI ${formatSigned(score.diff.ci.low)} to ${formatSigned(score.diff.ci.high)}` : '';
    return `${lead(a, b, score.verdict)} on mean score (${formatSigned(score.diff.value)}${ci}; permutation p ${formatPValue(score.pValue)}; ${score.pairs} paired results).`;
  }
  return `${a} and ${b} share no scored results to compare.`;
}

function lead(a: string, b: string, verdict: Verdict): string {
  if (verdict === 'no-difference') return `No evidence of a difference between ${a} and ${b}`;
  return `${a} is ${verdict} than ${b}`;
}
