/**
 * Answers that are not what the model would have said: cut off by the token limit, or empty. A
 * truncated answer is usually scored wrong for a reason that has nothing to do with the model's
 * knowledge, so reports count them per target and warn when they are common.
 */
import type { ResultRecord } from '../types.ts';

/** Share of a target's answers above which the report warns. */
export const TRUNCATION_WARN_SHARE = 0.02;

/** Finish reasons that mean "stopped by the token limit" (chat `length`, Responses incomplete max_output_tokens). */
const LIMIT_REASONS = new Set(['length', 'max_output_tokens']);

/** `length`: cut off by the token limit; `empty`: no answer text; `null`: neither (or not an answer). */
export function answerFlag(result: ResultRecord): 'length' | 'empty' | null {
  if (result.status !== 'ok') return null;
  if (result.finishReason !== null && LIMIT_REASONS.has(result.finishReason)) return 'length';
  return result.output.trim() === '' ? 'empty' : null;
}
