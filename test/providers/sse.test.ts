import { APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { readSseJson, SseParser } from '../../src/providers/sse.ts';

const encoder = new TextEncoder();

/** A Response whose body arrives in the given pieces. */
function responseOf(pieces: readonly string[], onCancel?: () => void): Response {
  let index = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (index < pieces.length) controller.enqueue(encoder.encode(pieces[index++]!));
      else controller.close();
    },
    cancel: () => onCancel?.(),
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream', 'x-request-id': 'req-1' } });
}

async function events(pieces: readonly string[], signal = new AbortController().signal): Promise<unknown[]> {
  const seen: unknown[] = [];
  await readSseJson(responseOf(pieces), signal, (data) => seen.push(data));
  return seen;
}

const STREAM =
  ': keep-alive comment\r\n' +
  'event: response.created\r\ndata: {"type":"response.created","n":1}\r\n\r\n' +
  'data: {"type":"delta",\ndata: "n":2}\n\n' + // a JSON payload split over two data lines
  'event: x\rdata:{"n":3}\r\r' + // CR line ends, no space after the colon
  'data: {"n":4,"text":"é😀"}\n\n' +
  'data: [DONE]\n\n' +
  'data: {"after":"done"}\n\n';

describe('readSseJson', () => {
  it('parses the same events however the body is cut into chunks (CRLF, CR and LF line ends, multi-byte text)', async () => {
    const expected = [{ type: 'response.created', n: 1 }, { type: 'delta', n: 2 }, { n: 3 }, { n: 4, text: 'é😀' }];
    expect(await events([STREAM])).toEqual(expected);
    const decoder = new TextDecoder();
    // With CRs (the per-character path) and LF only (the indexOf path).
    for (const bytes of [encoder.encode(STREAM), encoder.encode(STREAM.replace(/\r\n?/g, '\n'))]) for (let cut = 1; cut < bytes.length; cut++) {
      // cut at every byte, including inside a CRLF pair and inside a multi-byte character
      const seen: unknown[] = [];
      let index = 0;
      const pieces = [bytes.slice(0, cut), bytes.slice(cut)];
      const body = new ReadableStream<Uint8Array>({ pull: (c) => (index < 2 ? c.enqueue(pieces[index++]!) : c.close()) });
      await readSseJson(new Response(body), new AbortController().signal, (data) => seen.push(data));
      expect(seen, `cut at byte ${cut} (${JSON.stringify(decoder.decode(bytes.slice(Math.max(0, cut - 3), cut + 3)))})`).toEqual(expected);
    }
  });

  it('drops an event the stream never terminated with a blank line', async () => {
    expect(await events(['data: {"n":1}\n\n', 'data: {"n":2}'])).toEqual([{ n: 1 }]);
  });

  it('malformed JSON is a SyntaxError, as from the SDK', async () => {
    await expect(events(['data: {"n":\n\n'])).rejects.toThrow(SyntaxError);
  });

  it('an error event or a payload carrying error is an APIError with the server’s message', async () => {
    const named = events(['event: error\ndata: {"error":{"message":"overloaded","code":"server_error"}}\n\n']);
    await expect(named).rejects.toBeInstanceOf(APIError);
    await expect(named).rejects.toThrow('overloaded');
    await expect(events(['data: {"error":{"message":"bad","type":"invalid_request_error"}}\n\n'])).rejects.toThrow('bad');
  });

  it('an exception from the callback stops the read and cancels the body', async () => {
    let cancelled = false;
    const response = responseOf(['data: {"n":1}\n\n', 'data: {"n":2}\n\n', 'data: {"n":3}\n\n'], () => (cancelled = true));
    const seen: unknown[] = [];
    const failing = readSseJson(response, new AbortController().signal, (data) => {
      seen.push(data);
      throw new Error('response.failed');
    });
    await expect(failing).rejects.toThrow('response.failed');
    expect(seen).toEqual([{ n: 1 }]);
    expect(cancelled).toBe(true);
  });

  it('ends quietly when the signal aborted the read, and throws other read errors', async () => {
    const controller = new AbortController();
    let pulls = 0;
    const cut = new ReadableStream<Uint8Array>({
      pull(c) {
        if (pulls++ === 0) return c.enqueue(encoder.encode('data: {"n":1}\n\n'));
        controller.abort(new DOMException('no stream event for 100 ms', 'TimeoutError'));
        c.error(controller.signal.reason);
      },
    });
    const seen: unknown[] = [];
    await readSseJson(new Response(cut), controller.signal, (data) => seen.push(data));
    expect(seen).toEqual([{ n: 1 }]);
    const broken = new ReadableStream<Uint8Array>({ pull: (c) => c.error(new TypeError('terminated')) });
    await expect(readSseJson(new Response(broken), new AbortController().signal, () => undefined)).rejects.toThrow('terminated');
  });
});

describe('SseParser', () => {
  it('ignores fields it does not know and events without data', () => {
    const seen: unknown[] = [];
    const parser = new SseParser(new Headers(), (data) => seen.push(data));
    parser.push('id: 7\nretry: 100\nevent: ping\n\nfoo: bar\ndata: 1\n\n', true);
    expect(seen).toEqual([1]);
  });
});
