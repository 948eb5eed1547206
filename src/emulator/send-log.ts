/**
 * Server truth per request: when the emulator received it, when it wrote the first answer content to
 * the socket and when the response finished, on the emulator's clock (epoch ms at timeScale 1). A load
 * test compares the client's TTFT and e2e with these to show how much the client adds. Bounded memory.
 */

export interface SendRecord {
  /** The request id the client sees as `x-request-id` / `apim-request-id`. */
  id: string;
  status: number;
  /** Request handler started (headers and body read). */
  receivedAt: number;
  /** First answer content handed to the socket (JSON responses: the body). */
  firstContentAt?: number;
  /** Response fully handed to the socket. */
  endAt: number;
}

export class SendLog {
  #entries: SendRecord[] = [];
  readonly #limit: number;

  constructor(limit = 100_000) {
    this.#limit = limit;
  }

  record(entry: SendRecord): void {
    if (this.#limit === 0) return;
    // Drop the older half at once when full: amortised O(1).
    if (this.#entries.length >= this.#limit) this.#entries = this.#entries.slice(Math.max(1, this.#limit >> 1));
    this.#entries.push(entry);
  }

  list(): SendRecord[] {
    return [...this.#entries];
  }
}

/**
 * Whether an SSE event carries answer text: a chat delta with non-empty `content`, or a Responses
 * `response.output_text.delta` (reasoning and annotations do not count, matching the client's TTFT).
 */
export function carriesContent(data: string, eventName: string | undefined): boolean {
  if (eventName !== undefined) return eventName === 'response.output_text.delta';
  const at = data.indexOf('"delta":{"content":"');
  return at >= 0 && data.charCodeAt(at + 20) !== 34; // 34 = '"': an empty string is not content
}
