/**
 * Server-reported usage → TokenUsage. Partner models often omit the detail objects, and a stream that
 * was cut before its usage chunk has none at all; both read as 0 (the server's count is the only one
 * batchbench reports, so a missing count stays visibly 0 instead of becoming a silent estimate).
 */
import type { TokenUsage } from '../types.ts';

export const ZERO_USAGE: TokenUsage = Object.freeze({ promptTokens: 0, completionTokens: 0, reasoningTokens: 0, cachedTokens: 0 });

/** Chat Completions `usage` (prompt/completion tokens with optional details). */
export function chatUsage(usage: unknown): TokenUsage {
  if (!isRecord(usage)) return ZERO_USAGE;
  return {
    promptTokens: count(usage['prompt_tokens']),
    completionTokens: count(usage['completion_tokens']),
    reasoningTokens: count(field(usage['completion_tokens_details'], 'reasoning_tokens')),
    cachedTokens: count(field(usage['prompt_tokens_details'], 'cached_tokens')),
  };
}

/** Responses API `usage` (input/output tokens with details). */
export function responsesUsage(usage: unknown): TokenUsage {
  if (!isRecord(usage)) return ZERO_USAGE;
  return {
    promptTokens: count(usage['input_tokens']),
    completionTokens: count(usage['output_tokens']),
    reasoningTokens: count(field(usage['output_tokens_details'], 'reasoning_tokens')),
    cachedTokens: count(field(usage['input_tokens_details'], 'cached_tokens')),
  };
}

function field(value: unknown, key: string): unknown {
  return isRecord(value) ? value[key] : undefined;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
