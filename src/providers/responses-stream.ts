/**
 * Folds Responses API stream events into an answer, timing marks and the terminal response. Events are
 * recognised by `type`; anything unknown (new event kinds, tool events, extra fields) passes through
 * untouched. Usage, model and finish reason come from the terminal event's `response`.
 */
import type { AttemptTimer } from './attempt-timer.ts';
import { isRecord } from './chat-stream.ts';
import { StreamFailureError } from './map-error.ts';

const REASONING_DELTAS = new Set(['response.reasoning_text.delta', 'response.reasoning_summary_text.delta']);
const TERMINAL = new Set(['response.completed', 'response.incomplete']);

export class ResponsesStreamAccumulator {
  readonly #timer: AttemptTimer;
  #content = '';
  readonly #reasoning: string[] = [];
  #reasoningKey: string | undefined;
  #terminal: Record<string, unknown> | undefined;
  #model: string | null = null;

  constructor(timer: AttemptTimer) {
    this.#timer = timer;
  }

  /**
   * Takes one event.
   * @throws StreamFailureError on `response.failed` or an `error` event the SDK let through
   */
  add(event: unknown): void {
    this.#timer.markEvent();
    if (!isRecord(event)) return;
    const type = event['type'];
    const delta = typeof event['delta'] === 'string' ? event['delta'] : '';
    if (type === 'response.output_text.delta') {
      if (!delta) return;
      this.#content += delta;
      this.#timer.markOutput({ reasoning: false, content: true });
    } else if (typeof type === 'string' && REASONING_DELTAS.has(type)) {
      if (!delta) return;
      this.#appendReasoning(event, delta);
      this.#timer.markOutput({ reasoning: true, content: false });
    } else if (type === 'response.created' || type === 'response.in_progress') {
      this.#noteModel(event['response']);
    } else if (typeof type === 'string' && TERMINAL.has(type) && isRecord(event['response'])) {
      this.#terminal = event['response'];
      this.#noteModel(event['response']);
    } else if (type === 'response.failed') {
      const response = isRecord(event['response']) ? event['response'] : {};
      throw failure(response['error'], 'response.failed');
    } else if (type === 'error') {
      throw failure(event, 'error event');
    }
  }

  /** The terminal response (`response.completed` / `response.incomplete`), once seen. */
  get terminal(): Record<string, unknown> | undefined {
    return this.#terminal;
  }
  get content(): string {
    return this.#content;
  }
  get reasoningParts(): readonly string[] {
    return this.#reasoning;
  }
  get model(): string | null {
    return this.#model;
  }

  /** Deltas of one reasoning part concatenate; a new item or summary part starts a new paragraph. */
  #appendReasoning(event: Record<string, unknown>, delta: string): void {
    const key = `${String(event['item_id'])}:${String(event['summary_index'] ?? event['content_index'] ?? 0)}`;
    if (key !== this.#reasoningKey || this.#reasoning.length === 0) {
      this.#reasoning.push(delta);
      this.#reasoningKey = key;
    } else {
      this.#reasoning[this.#reasoning.length - 1] += delta;
    }
  }

  #noteModel(response: unknown): void {
    if (isRecord(response) && typeof response['model'] === 'string' && response['model']) this.#model = response['model'];
  }
}

/** A failure event as a classifiable error, keeping the server's code and short message. */
export function failure(error: unknown, fallback: string): StreamFailureError {
  const fields = isRecord(error) ? error : {};
  const message = typeof fields['message'] === 'string' && fields['message'] ? fields['message'] : fallback;
  const code = typeof fields['code'] === 'string' ? fields['code'] : undefined;
  return new StreamFailureError(message, code);
}
