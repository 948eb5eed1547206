/**
 * One HTTP exchange: common Azure headers, JSON and error sending, in-flight accounting, cancellable
 * sleeps on the emulated clock (they end early when the client disconnects or the server closes), and
 * the socket-level faults (reset, hang).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../internal/clock.ts';
import type { AzureError } from './azure-errors.ts';
import type { DeploymentCounters } from './stats.ts';
import type { StreamContext } from './stream.ts';

export class Exchange {
  readonly requestId = randomUUID();
  readonly headers: Record<string, string>;
  counters: DeploymentCounters | undefined;
  /** Set when admitted by a PTU bucket: what to correct after completion. */
  ptu: { estimate: number; capacity: number } | undefined;
  readonly region: string;
  readonly #res: ServerResponse;
  readonly #clock: Clock;
  #closed = false;
  #inFlight = false;
  #wakers = new Set<() => void>();
  /** Emulated clock time the handler started; with the first content write and the finish, the server truth of send-log.ts. */
  readonly receivedAt: number;
  #firstContentAt: number | undefined;
  #status200 = 0;

  constructor(req: IncomingMessage, res: ServerResponse, clock: Clock, region: string) {
    this.#res = res;
    this.#clock = clock;
    this.receivedAt = clock.now();
    this.region = region;
    res.once('finish', () => {
      const endAt = clock.now();
      this.counters?.sends.record({
        id: this.requestId,
        status: this.#status200 || res.statusCode,
        receivedAt: this.receivedAt,
        ...(this.#firstContentAt === undefined ? {} : { firstContentAt: this.#firstContentAt }),
        endAt,
      });
    });
    this.headers = { 'apim-request-id': this.requestId, 'x-request-id': this.requestId, 'x-ms-region': region };
    const clientId = req.headers['x-ms-client-request-id'];
    if (typeof clientId === 'string') this.headers['x-ms-client-request-id'] = clientId;
    res.on('close', () => {
      this.#closed = true;
      this.#endInFlight();
      for (const wake of this.#wakers) wake();
      this.#wakers.clear();
    });
  }

  get closed(): boolean {
    return this.#closed || this.#res.destroyed;
  }

  #status(code: number | string): void {
    this.counters?.status(code);
  }

  error(e: AzureError): void {
    if (e.headers) Object.assign(this.headers, e.headers);
    this.send(e.status, JSON.stringify(e.body));
  }

  send(status: number, body: string): void {
    this.#status(status);
    if (this.closed) return;
    this.headers['content-type'] = 'application/json';
    // A content-length (instead of chunked) lets Node send headers and body in one write.
    this.headers['content-length'] = String(Buffer.byteLength(body));
    if (status === 200) this.#firstContentAt ??= this.#clock.now();
    this.#res.writeHead(status, this.headers);
    this.#res.end(body);
  }

  startStream(): void {
    this.#status(200);
    this.#status200 = 200;
    this.headers['content-type'] = 'text/event-stream; charset=utf-8';
    this.headers['cache-control'] = 'no-cache, must-revalidate';
    this.headers['x-accel-buffering'] = 'no';
    if (!this.closed) this.#res.writeHead(200, this.headers);
  }

  /** Fault: drop the connection without an answer. */
  reset(): void {
    this.#status('reset');
    this.#res.destroy();
  }

  /** Fault: never answer; the socket stays open until the client (or server close) ends it. */
  hang(): void {
    this.#status('hang');
  }

  startInFlight(): void {
    const c = this.counters;
    if (!c || this.#inFlight) return;
    this.#inFlight = true;
    c.inFlight++;
    if (c.inFlight > c.peakInFlight) c.peakInFlight = c.inFlight;
    this.#res.once('finish', () => this.#endInFlight());
  }

  #endInFlight(): void {
    if (!this.#inFlight || !this.counters) return;
    this.#inFlight = false;
    this.counters.inFlight--;
  }

  /** Waits `ms` emulated ms; false if the exchange closed meanwhile. */
  sleep(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = () => {
        timer.cancel();
        resolve(false);
      };
      const timer = this.#clock.setTimer(() => {
        this.#wakers.delete(wake);
        resolve(!this.closed);
      }, ms);
      this.#wakers.add(wake);
    });
  }

  streamContext(closeAfterEvents: number | undefined): StreamContext {
    return {
      res: this.#res,
      sleep: (ms) => this.sleep(ms),
      now: () => this.#clock.now(),
      isClosed: () => this.closed,
      markContent: () => {
        this.#firstContentAt ??= this.#clock.now();
      },
      closeAfterEvents,
    };
  }
}
