/**
 * Server-sent events read straight from a streaming response's body. The SDK still builds, authenticates
 * and sends the request and turns error statuses into APIErrors (`asResponse()`); only the body is read
 * here, because the SDK's stream decoder (three nested async generators, a line decoder and a copy per
 * chunk) cost ≈ 0.25 ms of CPU per streamed answer — a fifth of a request's client CPU at zero latency.
 * Events are handed over synchronously as each network chunk arrives, so TTFT marks stay exact.
 *
 * Same contract as the SDK's `Stream` (legacy mode): `[DONE]` ends the events, malformed JSON is a
 * SyntaxError, an `error` event or a payload carrying `error` is an APIError. An abort of `signal` ends
 * the read quietly; the caller tells a cut stream by its missing terminal event.
 */
import { APIError } from 'openai';
import { StreamTruncatedError } from './map-error.ts';

const LF = 10;
const CR = 13;

/**
 * Reads `response.body` to its end (so the keep-alive connection is reused) and calls `onEvent` with each
 * event's parsed `data`, in order. An exception from `onEvent` stops the read, cancels the body and
 * propagates.
 */
export async function readSseJson(response: Response, signal: AbortSignal, onEvent: (data: unknown) => void): Promise<void> {
  const body = response.body;
  if (!body) throw new StreamTruncatedError('streaming response has no body');
  const parser = new SseParser(response.headers, onEvent);
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (signal.aborted) return; // cut by the watchdog or the caller: the caller reports it
        throw error;
      }
      if (chunk.done) {
        finished = true;
        parser.push(decoder.decode(), true);
        return;
      }
      parser.push(decoder.decode(chunk.value, { stream: true }), false);
    }
  } finally {
    if (!finished) reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** Incremental SSE line and event parser (WHATWG: lines end in CRLF, LF or CR; a blank line dispatches). */
export class SseParser {
  readonly #headers: Headers;
  readonly #onEvent: (data: unknown) => void;
  #pending = '';
  #event: string | null = null;
  #data = '';
  #hasData = false;
  #done = false;

  constructor(headers: Headers, onEvent: (data: unknown) => void) {
    this.#headers = headers;
    this.#onEvent = onEvent;
  }

  /** Feeds decoded text; `end` flushes a last unterminated line (an unterminated event is dropped, as the spec says). */
  push(text: string, end: boolean): void {
    const buffer = this.#pending ? this.#pending + text : text;
    let start = 0;
    if (buffer.indexOf('\r') === -1) {
      // The usual case (LF only): native indexOf instead of a scan per character.
      for (let lf = buffer.indexOf('\n'); lf !== -1; lf = buffer.indexOf('\n', start)) {
        this.#line(buffer.slice(start, lf));
        start = lf + 1;
      }
      this.#pending = start < buffer.length ? buffer.slice(start) : '';
      if (end && this.#pending) {
        this.#line(this.#pending);
        this.#pending = '';
      }
      return;
    }
    for (let i = 0; i < buffer.length; i++) {
      const code = buffer.charCodeAt(i);
      if (code !== LF && code !== CR) continue;
      // A CR at the very end may be the first half of a CRLF split across chunks: wait for the next one.
      if (code === CR && i === buffer.length - 1 && !end) break;
      this.#line(buffer.slice(start, i));
      if (code === CR && buffer.charCodeAt(i + 1) === LF) i++;
      start = i + 1;
    }
    this.#pending = start < buffer.length ? buffer.slice(start) : '';
    if (end && this.#pending) {
      this.#line(this.#pending);
      this.#pending = '';
    }
  }

  #line(line: string): void {
    if (line === '') return this.#dispatch();
    if (line.charCodeAt(0) === 58) return; // ':' starts a comment (keep-alive)
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') {
      this.#data = this.#hasData ? `${this.#data}\n${value}` : value;
      this.#hasData = true;
    } else if (field === 'event') {
      this.#event = value;
    }
  }

  #dispatch(): void {
    const event = this.#event;
    const data = this.#data;
    const hasData = this.#hasData;
    this.#event = null;
    this.#data = '';
    this.#hasData = false;
    if (!hasData || this.#done) return;
    if (data === '[DONE]') {
      this.#done = true;
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      throw new SyntaxError('Error reading response: malformed server-sent event JSON.');
    }
    const fields = typeof parsed === 'object' && parsed !== null ? (parsed as { error?: unknown }) : undefined;
    if (event === 'error') throw new APIError(undefined, (fields?.error ?? parsed) as object | undefined, undefined, this.#headers);
    if (fields?.error) throw new APIError(undefined, fields.error as object, undefined, this.#headers);
    this.#onEvent(parsed);
  }
}
