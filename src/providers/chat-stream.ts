/**
 * Folds Chat Completions stream chunks into an answer, timing marks and usage. Azure's chunks include an
 * annotation-only first chunk (`choices: []`), content-filter chunks after the finish chunk and a usage
 * chunk before `[DONE]`, so nothing here depends on a chunk's position: usage is found by
 * `usage != null`, tokens by non-empty deltas. Inline `<think>` content is timed as reasoning.
 * Unknown fields are ignored.
 */
import type { TokenUsage } from '../types.ts';
import type { AttemptTimer } from './attempt-timer.ts';
import { InlineThinkTracker, NO_OUTPUT } from './reasoning.ts';
import { chatUsage, ZERO_USAGE } from './usage.ts';

export class ChatStreamAccumulator {
  readonly #timer: AttemptTimer;
  #content = '';
  #reasoning = '';
  #finishReason: string | undefined;
  #usage: TokenUsage | undefined;
  #model: string | null = null;
  readonly #think = new InlineThinkTracker();

  constructor(timer: AttemptTimer) {
    this.#timer = timer;
  }

  /** Takes one parsed chunk (any shape; non-objects are ignored). */
  add(chunk: unknown): void {
    this.#timer.markEvent();
    if (!isRecord(chunk)) return;
    if (chunk['usage'] != null) this.#usage = chatUsage(chunk['usage']);
    if (typeof chunk['model'] === 'string' && chunk['model']) this.#model = chunk['model'];
    const choice = firstChoice(chunk['choices']);
    if (!choice) return;
    const delta = isRecord(choice['delta']) ? choice['delta'] : {};
    const reasoning = reasoningDelta(delta);
    this.#reasoning += reasoning;
    const content = typeof delta['content'] === 'string' ? delta['content'] : '';
    this.#content += content;
    const inline = content ? this.#think.push(content) : NO_OUTPUT;
    if (inline.reclassified) this.#timer.reclassifyContentAsReasoning();
    this.#timer.markOutput({ reasoning: reasoning.length > 0 || inline.reasoning, content: inline.content });
    if (typeof choice['finish_reason'] === 'string') this.#finishReason = choice['finish_reason'];
  }

  /** True once a choice reported its finish reason (the answer is complete). */
  get finished(): boolean {
    return this.#finishReason !== undefined;
  }

  get content(): string {
    return this.#content;
  }
  get reasoning(): string {
    return this.#reasoning;
  }
  get finishReason(): string | null {
    return this.#finishReason ?? null;
  }
  /** Zero counts when the usage chunk never came (the server ignored include_usage, or the stream was cut). */
  get usage(): TokenUsage {
    return this.#usage ?? ZERO_USAGE;
  }
  get model(): string | null {
    return this.#model;
  }
}

/** The choice with index 0 (batchbench sends n = 1); other indexes are ignored. */
export function firstChoice(choices: unknown): Record<string, unknown> | undefined {
  if (!Array.isArray(choices)) return undefined;
  const found = choices.find((choice) => isRecord(choice) && (choice['index'] ?? 0) === 0);
  return isRecord(found) ? found : undefined;
}

/** `reasoning_content` (DeepSeek, Azure Foundry) or `reasoning` (vLLM, OpenRouter): untyped by the SDK. */
export function reasoningDelta(fields: Record<string, unknown>): string {
  const value = fields['reasoning_content'] ?? fields['reasoning'];
  return typeof value === 'string' ? value : '';
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
