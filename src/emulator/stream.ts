/**
 * SSE plumbing shared by chat and Responses streams: event framing, write batching (one socket write per
 * burst, which matters at thousands of requests per second), drift-free pacing against the emulator clock,
 * and the mid-stream-close fault.
 */
import type { ServerResponse } from 'node:http';
import { carriesContent } from './send-log.ts';

export interface StreamContext {
  res: ServerResponse;
  /** Waits `ms` of emulated time; resolves false when the client went away or the server closed. */
  sleep(ms: number): Promise<boolean>;
  now(): number;
  isClosed(): boolean;
  /** Stream fault after this many events, if set: destroy the socket, or send `errorEvent` and end. */
  closeAfterEvents: number | undefined;
  errorEvent?: { data: string; event?: string };
  /** Called when answer content is handed to the socket (server-side TTFT, send-log.ts). */
  markContent?: () => void;
}

export class SseWriter {
  #buffer = '';
  #events = 0;
  #ctx: StreamContext;
  #start: number;
  #owed = 0; // ms of pacing owed since #start
  #dead = false;
  #contentQueued = false;
  #contentSeen = false;

  constructor(ctx: StreamContext) {
    this.#ctx = ctx;
    this.#start = ctx.now();
  }

  get alive(): boolean {
    return !this.#dead && !this.#ctx.isClosed();
  }

  /** Queues one event; returns false when the stream is dead (closed by client or by a fault). */
  event(data: string, eventName?: string): boolean {
    if (!this.alive) return false;
    this.#buffer += eventName ? `event: ${eventName}\ndata: ${data}\n\n` : `data: ${data}\n\n`;
    this.#events++;
    if (!this.#contentSeen && carriesContent(data, eventName)) this.#contentQueued = this.#contentSeen = true;
    const limit = this.#ctx.closeAfterEvents;
    if (limit !== undefined && this.#events >= limit) {
      this.#dead = true;
      const err = this.#ctx.errorEvent;
      if (err) {
        this.#buffer += err.event ? `event: ${err.event}\ndata: ${err.data}\n\n` : `data: ${err.data}\n\n`;
        this.#written();
        this.#ctx.res.end(this.#buffer);
        this.#buffer = '';
        return false;
      }
      this.flush();
      // Let the bytes leave before the reset so the client sees a truncated stream, not an empty one.
      setImmediate(() => this.#ctx.res.destroy());
      return false;
    }
    return true;
  }

  flush(): void {
    if (this.#buffer && !this.#ctx.isClosed()) {
      this.#written();
      this.#ctx.res.write(this.#buffer);
    }
    this.#buffer = '';
  }

  /** Advances the pacing schedule by `ms`; sleeps (after flushing) only when ≥ 1 ms is actually due. */
  async pace(ms: number): Promise<boolean> {
    if (ms <= 0) return this.alive;
    this.#owed += ms;
    const due = this.#start + this.#owed - this.#ctx.now();
    if (due < 1) return this.alive;
    this.flush();
    const ok = await this.#ctx.sleep(due);
    return ok && this.alive;
  }

  /** Ends the response with whatever is buffered (one write when nothing was paced). */
  end(): void {
    if (!this.alive) return;
    const rest = this.#buffer;
    this.#buffer = '';
    this.#written();
    this.#ctx.res.end(rest);
  }

  /** The buffer is about to reach the socket: if it holds the first content, that is the server's TTFT. */
  #written(): void {
    if (!this.#contentQueued) return;
    this.#contentQueued = false;
    this.#ctx.markContent?.();
  }
}
