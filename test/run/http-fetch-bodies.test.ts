/**
 * The node:http fetch that eval and load send through must encode every body the openai SDK hands it the
 * way the global fetch does: a Files upload is FormData, whose multipart boundary only exists in the
 * content type fetch derives. Without it the upload is unreadable to the server (batch runs stalled).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHttpFetch } from '../../src/run/load-http-fetch.ts';

let url = '';
const seen: Array<{ type: string | undefined; length: string | undefined; body: string }> = [];
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    seen.push({ type: req.headers['content-type'], length: req.headers['content-length'], body: Buffer.concat(chunks).toString('utf8') });
    res.end('ok');
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('createHttpFetch bodies', () => {
  test('FormData goes out as multipart with the boundary fetch would choose, and the server can split it', async () => {
    const form = new FormData();
    form.append('purpose', 'batch');
    form.append('file', new Blob(['{"custom_id":"a"}\n'], { type: 'application/jsonl' }), 'in.jsonl');
    const response = await createHttpFetch()(url, { method: 'POST', body: form });
    expect(await response.text()).toBe('ok');
    const last = seen.at(-1)!;
    const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(last.type ?? '')?.[1];
    expect(boundary).toBeDefined();
    expect(last.body).toContain(`--${boundary}`);
    expect(last.body).toContain('name="purpose"\r\n\r\nbatch');
    expect(last.body).toContain('filename="in.jsonl"');
    expect(Number(last.length)).toBe(Buffer.byteLength(last.body));
  });

  test('a content type the caller set is kept; strings go out as given', async () => {
    await createHttpFetch()(url, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    expect(seen.at(-1)).toEqual({ type: 'application/json', length: '7', body: '{"a":1}' });
  });
});
