/**
 * A scripted HTTP server on 127.0.0.1 for driving the real openai SDK through real HTTP: each request is
 * answered by a test-supplied function with a JSON reply or an SSE script (events, pauses, a stall that
 * holds the connection open, or an abrupt socket close). Every request is recorded for assertions.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  /** Path without the `/openai/v1` prefix, e.g. `/chat/completions`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON body (undefined when empty or not JSON). */
  readonly body: any;
  /** Which TCP connection carried the request (1, 2, … in accept order), to observe keep-alive reuse. */
  readonly connection: number;
}

export type SseStep =
  /** One SSE event: `data` (objects are JSON-encoded), optional `event:` name. */
  | { readonly data: unknown; readonly event?: string }
  /** A pause before the next step. @unit milliseconds */
  | { readonly pauseMs: number }
  /** Keep the connection open without sending anything until the client goes away. */
  | { readonly stall: true }
  /** Destroy the socket without finishing the response. */
  | { readonly destroy: true }
  /** Run test code at this point of the stream (e.g. move a test clock). */
  | { readonly call: () => void | Promise<void> };

export interface ScriptedReply {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON body (objects are encoded) for a plain reply. */
  readonly json?: unknown;
  /** Raw body text for a plain reply. */
  readonly text?: string;
  /** An SSE reply: steps written in order, then the response ends (unless it stalls or is destroyed). */
  readonly sse?: readonly SseStep[];
  /** Runs after the status and headers are flushed, before the plain body is written. */
  readonly beforeBody?: () => void | Promise<void>;
}

export type ReplyHandler = (request: RecordedRequest) => ScriptedReply | Promise<ScriptedReply>;

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>/openai/v1/` */
  readonly baseURL: string;
  readonly requests: readonly RecordedRequest[];
  /** Replaces the handler for later requests. */
  setHandler(handler: ReplyHandler): void;
  /** Resolves once some scripted stream is sitting in a `stall` step. */
  stalled(): Promise<void>;
  close(): Promise<void>;
}

const PREFIX = '/openai/v1';

export async function startLoopbackServer(initial: ReplyHandler): Promise<LoopbackServer> {
  let handler = initial;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const connectionIds = new WeakMap<Socket, number>();
  let connectionCount = 0;
  let stallWaiters: Array<() => void> = [];
  let activeStalls = 0;
  const notifyStall = () => {
    const waiters = stallWaiters;
    stallWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const server = createServer((req, res) => {
    void serve(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(599).end(String(error));
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    connectionIds.set(socket, ++connectionCount);
    socket.on('close', () => sockets.delete(socket));
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : url.pathname,
      headers: Object.fromEntries(
        Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]),
      ),
      body: parseJson(raw),
      connection: connectionIds.get(req.socket) ?? 0,
    };
    requests.push(request);
    const reply = await handler(request);
    if (reply.sse) return writeSse(res, reply);
    const text = reply.text ?? (reply.json === undefined ? '' : JSON.stringify(reply.json));
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
    if (reply.beforeBody) {
      res.flushHeaders();
      await reply.beforeBody();
    }
    res.end(text);
  }

  async function writeSse(res: ServerResponse, reply: ScriptedReply): Promise<void> {
    res.writeHead(reply.status ?? 200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...reply.headers });
    res.flushHeaders();
    for (const step of reply.sse ?? []) {
      if (res.destroyed) return;
      if ('pauseMs' in step) await new Promise((resolve) => setTimeout(resolve, step.pauseMs));
      else if ('stall' in step) {
        activeStalls++;
        notifyStall();
        await new Promise<void>((resolve) => res.once('close', () => resolve()));
        activeStalls--;
        return;
      } else if ('call' in step) {
        await step.call();
      } else if ('destroy' in step) {
        res.socket?.destroy();
        return;
      } else {
        const data = typeof step.data === 'string' ? step.data : JSON.stringify(step.data);
        res.write(`${step.event ? `event: ${step.event}\n` : ''}data: ${data}\n\n`);
      }
    }
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseURL: `http://127.0.0.1:${port}${PREFIX}/`,
    requests,
    setHandler(next) {
      handler = next;
    },
    stalled: () => (activeStalls > 0 ? Promise.resolve() : new Promise<void>((resolve) => stallWaiters.push(resolve))),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
