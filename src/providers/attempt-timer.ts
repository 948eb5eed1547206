/**
 * Raw timestamps of one attempt (azure-v1-behaviour.md §14): every derived metric (TTFT, ITL, TPOT) is
 * computed later from these, so they are recorded exactly once, at the moment each thing is observed.
 */
import type { Clock } from '../internal/clock.ts';
import type { AttemptTiming } from '../types.ts';

export class AttemptTimer {
  readonly #clock: Clock;
  readonly startedAt: number;
  #headersMs: number | undefined;
  #firstEventMs: number | undefined;
  #firstTokenMs: number | undefined;
  #firstReasoningMs: number | undefined;
  #lastTokenMs: number | undefined;
  #chunks = 0;
  #maxChunkGapMs: number | undefined;
  #endMs: number | undefined;

  constructor(clock: Clock) {
    this.#clock = clock;
    this.startedAt = clock.now();
  }

  /** Milliseconds since the attempt started. */
  elapsed(): number {
    return this.#clock.now() - this.startedAt;
  }

  /** Output deltas (content or reasoning) seen so far. */
  get outputChunks(): number {
    return this.#chunks;
  }

  /** Status and headers are in (first call wins). */
  markHeaders(): void {
    this.#headersMs ??= this.elapsed();
  }

  /** Any stream event arrived, annotations and keep-alive chunks included (TTFB). */
  markEvent(): void {
    this.#firstEventMs ??= this.elapsed();
  }

  /**
   * An event carried output: reasoning, answer content, or both (one chunk either way). Chunk counts
   * and gaps cover both kinds; TTFT is the first answer content, the first reasoning is kept apart.
   */
  markOutput(output: { readonly reasoning: boolean; readonly content: boolean }): void {
    if (!output.reasoning && !output.content) return;
    const at = this.elapsed();
    if (output.reasoning) this.#firstReasoningMs ??= at;
    if (output.content) this.#firstTokenMs ??= at;
    if (this.#lastTokenMs !== undefined) this.#maxChunkGapMs = Math.max(this.#maxChunkGapMs ?? 0, at - this.#lastTokenMs);
    this.#lastTokenMs = at;
    this.#chunks++;
  }

  /**
   * Content that looked like answer text turned out to be reasoning (a `</think>` arrived without an
   * opening tag): its first timestamp moves to `firstReasoningMs`, and TTFT waits for real answer text.
   */
  reclassifyContentAsReasoning(): void {
    if (this.#firstTokenMs === undefined) return;
    this.#firstReasoningMs = Math.min(this.#firstReasoningMs ?? Infinity, this.#firstTokenMs);
    this.#firstTokenMs = undefined;
  }

  /** The logical end of the response arrived (first call wins); `finish` reports it as `endMs`. */
  markEnd(): void {
    this.#endMs ??= this.elapsed();
  }

  /** Freezes the timing with `endMs` = the marked end, else now. `streamed` adds the chunk count even when it is 0. */
  finish(streamed: boolean): AttemptTiming {
    const timing: { -readonly [K in keyof AttemptTiming]: AttemptTiming[K] } = {
      startedAt: this.startedAt,
      endMs: this.#endMs ?? this.elapsed(),
    };
    if (this.#headersMs !== undefined) timing.headersMs = this.#headersMs;
    if (this.#firstEventMs !== undefined) timing.firstEventMs = this.#firstEventMs;
    if (this.#firstTokenMs !== undefined) timing.firstTokenMs = this.#firstTokenMs;
    if (this.#firstReasoningMs !== undefined) timing.firstReasoningMs = this.#firstReasoningMs;
    if (this.#lastTokenMs !== undefined) timing.lastTokenMs = this.#lastTokenMs;
    if (streamed) timing.chunks = this.#chunks;
    if (this.#maxChunkGapMs !== undefined) timing.maxChunkGapMs = this.#maxChunkGapMs;
    return timing;
  }
}
