/**
 * The admission cost Azure charges a request against its TPM window (azure-v1-behaviour.md §3.1, §12.3):
 * ceil(prompt characters / 4) plus the completion cap, or a default reservation when no cap is sent.
 * Written independently of the emulator's estimator on purpose, so a client/server mismatch shows up in
 * tests instead of being hidden by shared code.
 */
import type { ModelParams, PromptInput } from '../types.ts';

/** Azure's estimate uses characters, not tokens: about four per token. */
const CHARS_PER_TOKEN = 4;
/** Reserved by Azure when gpt-4o-class requests send no cap (measured). @unit tokens */
export const DEFAULT_RESERVATION = 640;
/** Reserved for reasoning models without a cap (an assumption, stricter than the chat default). @unit tokens */
export const REASONING_RESERVATION = 4096;

/**
 * The estimate for one request.
 * @param defaultReservationTokens charged when `params.maxOutputTokens` is unset; defaults to
 *   `defaultReservation(params)` (640, or 4096 when a reasoning effort is configured)
 * @returns tokens
 */
export function estimateAdmissionCost(
  input: PromptInput,
  params: ModelParams,
  defaultReservationTokens = defaultReservation(params),
): number {
  let chars = params.system?.length ?? 0;
  for (const message of input.messages) chars += message.content.length;
  return Math.ceil(chars / CHARS_PER_TOKEN) + (params.maxOutputTokens ?? defaultReservationTokens);
}

/** The reservation to use for a target: larger for reasoning models, whose answers run long. @unit tokens */
export function defaultReservation(params: ModelParams): number {
  return params.reasoningEffort !== undefined ? REASONING_RESERVATION : DEFAULT_RESERVATION;
}
