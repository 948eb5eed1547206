/**
 * Paired sign-flip permutation test (Fisher's randomisation test for paired data). Under H0 each paired
 * difference — or each row's summed difference, when rows are clusters of repeats — is as likely to be
 * positive as negative, so flipping signs at random gives the null distribution of Σ d. Two-sided.
 *
 * It is exact (full enumeration) for up to `EXACT_LIMIT` non-zero differences and a seeded Monte Carlo
 * estimate above that. For 0/1 scores it reduces to the sign test on discordant pairs, i.e. McNemar's
 * exact test, so score and pass-rate verdicts agree where they should.
 */
import type { Random } from '../../internal/rng.ts';

const EXACT_LIMIT = 20;
const MAX_DRAWS = 10_000;
const MIN_DRAWS = 1000;
const WORK_BUDGET = 5_000_000;

/**
 * @param differences one paired difference per row (or per cluster)
 * @param random used only above `EXACT_LIMIT` non-zero differences
 * @returns two-sided p-value; 1 when every difference is zero
 */
export function signFlipTest(differences: ArrayLike<number>, random: Random): number {
  const values = Array.from(differences).filter((d) => d !== 0);
  const k = values.length;
  if (k === 0) return 1;
  const observed = Math.abs(values.reduce((a, b) => a + b, 0));
  // Sums that differ only by rounding must count as "as extreme".
  const tolerance =
    1e-9 *
    Math.max(
      1,
      values.reduce((a, b) => a + Math.abs(b), 0),
    );
  return k <= EXACT_LIMIT ? exact(values, observed, tolerance) : monteCarlo(values, observed, tolerance, random);
}

// --- internal ---

/** Walks all 2^k sign vectors in Gray-code order, so each step flips one sign and updates the sum in O(1). */
function exact(values: number[], observed: number, tolerance: number): number {
  const k = values.length;
  const total = 2 ** k;
  let sum = values.reduce((a, b) => a + b, 0);
  const signs = new Int8Array(k).fill(1);
  let extreme = Math.abs(sum) >= observed - tolerance ? 1 : 0;
  for (let step = 1; step < total; step++) {
    const j = 31 - Math.clz32(step & -step); // index of the bit that changes
    signs[j] = -signs[j]! as 1 | -1;
    sum += 2 * signs[j]! * values[j]!;
    if (Math.abs(sum) >= observed - tolerance) extreme++;
  }
  return extreme / total;
}

function monteCarlo(values: number[], observed: number, tolerance: number, random: Random): number {
  const draws = Math.max(MIN_DRAWS, Math.min(MAX_DRAWS, Math.floor(WORK_BUDGET / values.length)));
  let extreme = 0;
  for (let d = 0; d < draws; d++) {
    let sum = 0;
    for (const v of values) sum += random() < 0.5 ? -v : v;
    if (Math.abs(sum) >= observed - tolerance) extreme++;
  }
  // Add-one estimate: never reports p = 0 from a finite sample (Phipson & Smyth 2010).
  return (extreme + 1) / (draws + 1);
}
