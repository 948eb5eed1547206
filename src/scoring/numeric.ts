/**
 * numeric: compares the last number in the output with the reference number. Understands thousands
 * separators (1,234), decimals, signs (including the Unicode minus), scientific notation and a trailing
 * percent sign, which is dropped rather than divided ("12.5%" reads as 12.5, matching a reference
 * written either "12.5" or "12.5%"). Passes when within `tolerance` (absolute) OR within
 * `relativeTolerance` × |reference|; with neither set, the numbers must be equal to 1e-9.
 *
 * The last number is taken because models state the result after their working; an output that ends
 * with a number that is not the answer ("42, from 6 × 7") is scored on that last number.
 */
import { z } from 'zod';
import type { Scorer } from '../types.ts';
import { preview } from './normalize-answer.ts';
import { parseScorerOptions, requireExpected, type ScorerPath } from './scorer-options.ts';

const DEFAULT_TOLERANCE = 1e-9;

const optionsSchema = z.strictObject({
  tolerance: z.number({ error: 'expected a number ≥ 0' }).min(0, { error: 'expected a number ≥ 0' }).optional(),
  relativeTolerance: z
    .number({ error: 'expected a number between 0 and 1' })
    .min(0, { error: 'expected a number between 0 and 1' })
    .max(1, { error: 'expected a number between 0 and 1' })
    .optional(),
});

/** Numbers in `text`, in order of appearance. */
export function extractNumbers(text: string): number[] {
  const pattern = /(?<![\w.])([-+\u2212]?)(\d{1,3}(?:,\d{3})+|\d+)?(\.\d+)?(?:[eE]([-+]?\d+)(?![A-Za-z]))?/g;
  const numbers: number[] = [];
  for (const match of text.matchAll(pattern)) {
    const [, sign = '', whole, fraction, exponent] = match;
    if (whole === undefined && fraction === undefined) continue;
    const literal = `${sign === '\u2212' ? '-' : sign}${(whole ?? '0').replace(/,/g, '')}${fraction ?? ''}${exponent === undefined ? '' : `e${exponent}`}`;
    const value = Number(literal);
    if (Number.isFinite(value)) numbers.push(value);
  }
  return numbers;
}

/** Builds the numeric scorer. @throws ConfigError for bad tolerances */
export function createNumeric(options: unknown = {}, path: ScorerPath = 'numeric'): Scorer {
  const { tolerance, relativeTolerance } = parseScorerOptions(optionsSchema, options, path);
  return {
    name: 'numeric',
    score({ output, expected }) {
      const reference = extractNumbers(requireExpected(expected, 'numeric'));
      const target = reference.length === 1 ? reference[0] : undefined;
      if (target === undefined) throw new Error(`numeric needs a single number as the reference answer, got ${preview(expected ?? '')}`);
      const found = extractNumbers(output).at(-1);
      if (found === undefined) return { value: 0, passed: false, reason: `no number in ${preview(output)}` };
      const difference = Math.abs(found - target);
      const allowed = Math.max(
        tolerance ?? 0,
        (relativeTolerance ?? 0) * Math.abs(target),
        tolerance === undefined && relativeTolerance === undefined ? DEFAULT_TOLERANCE : 0,
      );
      if (difference <= allowed) return { value: 1, passed: true };
      return { value: 0, passed: false, reason: `expected ${target}, got ${found} (off by ${Number(difference.toPrecision(6))})` };
    },
  };
}
