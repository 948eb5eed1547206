/**
 * A `fetch` over node:http / node:https with one keep-alive agent per transport thread, for load runs.
 * Measured against the emulator with 200 requests in flight, the time from handing a request to the
 * client until the server sees it was p50 0.4 ms / p90 3.7 ms this way, against 1.6 ms / 12 ms with
 * the global (undici) fetch, and that delay lands in every TTFT. Supports what the OpenAI SDK sends:
 * string or byte bodies, headers, AbortSignal; the body streams back as a web ReadableStream.
 * `onActivity` runs before each response's headers and each body chunk are handled: the open-loop pacer
 * checks there for arrivals that fell due while the thread was busy reading (load/pacer.ts).
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { IncomingMessage } from 'node:http';

/** The longest a keep-alive socket sits idle when the server sends no Keep-Alive hint. @unit ms */
export const IDLE_SOCKET_MS = 15_000;

/**
 * The keep-alive agents of one transport thread. An idle socket is dropped 3 s before the server's
 * Keep-Alive timeout hint, so a burst after a quiet spell never reuses one the server is closing (that
 * race shows up as ECONNRESET — seen on a saturated machine, 41 of 200 sockets reused about 5 s after
 * the emulator's responses — and would be charged to the server). Node's agent applies the hint only
 * when it has a `timeout` of its own (keepSocketAlive takes the smaller of the two; with none it keeps
 * idle sockets until the server closes them), hence `timeout`: without a hint idle sockets go after
 * IDLE_SOCKET_MS. On a socket in use that timeout only emits an event nobody acts on; stalled streams
 * are the watchdog's business.
 */
export function keepAliveAgents(): { http: HttpAgent; https: HttpsAgent } {
  const options = {
    keepAlive: true,
    maxSockets: Infinity,
    scheduling: 'lifo',
    agentKeepAliveTimeoutBuffer: 3000,
    timeout: IDLE_SOCKET_MS,
  } as const;
  return { http: new HttpAgent(options), https: new HttpsAgent(options) };
}

/**
 * When each response's body ended at the transport (epoch ms, the system clock's scale). Load mode ends
 * e2e there: what the SDK and the adapter do after the last byte (unwinding the stream iterators,
 * assembling the completion) is client work, measured at ≈ 0.8 ms p50 with 200 streams in flight.
 */
export const bodyEndTimes = new WeakMap<Response, number>();

export function createHttpFetch(onActivity: () => void = () => undefined): typeof fetch {
  const { http, https } = keepAliveAgents();
  return async (input, init = {}) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const { bytes: body, contentType } = await bodyBytes(init.body);
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => {
      headers[name] = value;
    });
    // fetch derives the type of a FormData / Blob / URLSearchParams body (multipart boundary included).
    if (contentType !== null && headers['content-type'] === undefined) headers['content-type'] = contentType;
    if (body !== undefined) headers['content-length'] = String(body.byteLength);
    const secure = url.protocol === 'https:';
    return new Promise<Response>((resolve, reject) => {
      const req = (secure ? httpsRequest : httpRequest)(
        url,
        { method: init.method ?? 'GET', headers, agent: secure ? https : http, ...(init.signal ? { signal: init.signal } : {}) },
        (res) => {
          onActivity();
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (Array.isArray(value)) for (const v of value) responseHeaders.append(name, v);
            else if (value !== undefined) responseHeaders.set(name, value);
          }
          const status = res.statusCode ?? 0;
          const nullBody = status === 204 || status === 304 || init.method === 'HEAD';
          if (nullBody) res.resume();
          let response: Response | undefined;
          const ended = () => {
            if (response) bodyEndTimes.set(response, performance.timeOrigin + performance.now());
          };
          response = new Response(nullBody ? null : webStream(res, onActivity, ended), {
            status,
            statusText: res.statusMessage ?? '',
            headers: responseHeaders,
          });
          resolve(response);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  };
}

/**
 * The response body as a web stream, each socket chunk enqueued as it arrives (Readable.toWeb adds a
 * buffering layer that delays the first token by a fraction of a millisecond); paused while the reader
 * lags, so a large body cannot pile up in memory.
 */
function webStream(res: IncomingMessage, onActivity: () => void, onEnd: () => void): ReadableStream<Uint8Array> {
  // After end, error or cancel the controller is finished: later socket events must not touch it.
  let done = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      res.on('data', (chunk: Buffer) => {
        onActivity();
        if (done) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 1) <= 0) res.pause();
      });
      res.once('end', () => {
        onEnd();
        if (!done) controller.close();
        done = true;
      });
      res.on('error', (error) => {
        if (!done) controller.error(error);
        done = true;
      });
      // A connection cut mid-body ends the stream with an error, as fetch does.
      res.once('aborted', () => {
        if (!done) controller.error(new Error('terminated: the connection closed before the response ended'));
        done = true;
      });
    },
    pull() {
      res.resume();
    },
    cancel() {
      done = true;
      res.destroy();
    },
  });
}

/** The body as bytes, with the content type fetch would derive for it (null for strings and bytes). */
async function bodyBytes(body: RequestInit['body']): Promise<{ bytes: Uint8Array | undefined; contentType: string | null }> {
  if (body === undefined || body === null) return { bytes: undefined, contentType: null };
  if (typeof body === 'string') return { bytes: Buffer.from(body), contentType: null };
  if (body instanceof Uint8Array) return { bytes: body, contentType: null };
  if (body instanceof ArrayBuffer) return { bytes: new Uint8Array(body), contentType: null };
  const encoded = new Response(body);
  return { bytes: new Uint8Array(await encoded.arrayBuffer()), contentType: encoded.headers.get('content-type') };
}
