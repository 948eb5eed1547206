import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorHandle } from '../../src/emulator/server.ts';
import { check } from './openapi-check.ts';
import { chatLine, content, lines, startBatchEmulator, submit, upload } from './batch-support.ts';

let open: EmulatorHandle | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});
const boot = async (over: Parameters<typeof startBatchEmulator>[0] = {}) => {
  const r = await startBatchEmulator(over);
  open = r.h;
  return r;
};
const MIN = 60_000;

describe('Files API', () => {
  it('uploads, lists with pagination, returns content and deletes, with OpenAIFile-shaped objects', async () => {
    const { client } = await boot();
    const a = await upload(client, lines(2));
    const b = await upload(client, lines(3));
    expect(check('OpenAIFile', a)).toEqual([]);
    expect(a).toMatchObject({ object: 'file', purpose: 'batch', status: 'processed', bytes: Buffer.byteLength(lines(2)) });
    expect(a.expires_at).toBe(a.created_at + 1_209_600);
    const page1 = await client.files.list({ limit: 1 });
    expect(page1.data.map((f) => f.id)).toEqual([b.id]);
    expect(page1.has_more).toBe(true);
    const all = [];
    for await (const f of client.files.list({ limit: 1 })) all.push(f.id);
    expect(all).toEqual([b.id, a.id]);
    expect(await (await client.files.content(a.id)).text()).toBe(lines(2));
    expect(await client.files.delete(a.id)).toEqual({ id: a.id, object: 'file', deleted: true });
    await expect(client.files.retrieve(a.id)).rejects.toMatchObject({ status: 404 });
  });

  it('rejects a bad expiry and enforces the file-count limit', async () => {
    const { client } = await boot({ batch: { maxFiles: 2, maxFilesWithExpiry: 3 } });
    const { toFile } = await import('openai');
    await expect(
      client.files.create({
        file: await toFile(Buffer.from('x'), 'a.jsonl'),
        purpose: 'batch',
        expires_after: { anchor: 'created_at', seconds: 3600 },
      }),
    ).rejects.toMatchObject({ status: 400 });
    for (let i = 0; i < 3; i++) await upload(client, lines(1));
    await expect(upload(client, lines(1))).rejects.toMatchObject({ status: 400, message: expect.stringContaining('limit of 3') });
  });
});

describe('batch lifecycle', () => {
  it('validating → in_progress → finalizing → completed, lines out of order, an empty error file, Batch-shaped', async () => {
    const { client, h } = await boot();
    const b = await submit(client, lines(40));
    expect(b.status).toBe('validating');
    expect(b.expires_at).toBe(b.created_at + 86_400);
    expect(check('Batch', b)).toEqual([]);
    h.clock.advance(30_000);
    expect((await client.batches.retrieve(b.id)).status).toBe('in_progress');
    h.clock.advance(1_000); // 40 lines of ≈ 29 tokens take well under a second at 10 M tokens/minute
    const fin = await client.batches.retrieve(b.id);
    expect(fin.status).toBe('finalizing');
    expect(fin.request_counts).toEqual({ total: 40, completed: 40, failed: 0 });
    h.clock.advance(10_000);
    const done = await client.batches.retrieve(b.id);
    expect(done.status).toBe('completed');
    expect(check('Batch', done)).toEqual([]);
    const out = await content(client, done.output_file_id);
    expect(out).toHaveLength(40);
    const ids = out.map((l) => l.custom_id);
    expect(new Set(ids).size).toBe(40);
    expect(ids).not.toEqual(Array.from({ length: 40 }, (_, i) => `c${i}`)); // output order is not input order
    expect(out[0]).toMatchObject({ response: { status_code: 200, body: { object: 'chat.completion' } }, error: null });
    expect(check('CreateChatCompletionResponse', out[0]?.response.body)).toEqual([]);
    expect(done.error_file_id).toBeTruthy();
    expect(await content(client, done.error_file_id)).toEqual([]);
    expect((await client.files.retrieve(done.output_file_id as string)).purpose).toBe('batch_output');
  });

  it('Responses lines answer with body.model = the deployment name', async () => {
    const { client, h } = await boot();
    const line = JSON.stringify({
      custom_id: 'r1',
      method: 'POST',
      url: '/v1/responses',
      body: { model: 'mini-batch', input: 'What is 6 times 7?', max_output_tokens: 20 },
    });
    const b = await submit(client, `${line}\n`);
    h.clock.advance(2 * MIN);
    const done = await client.batches.retrieve(b.id);
    const [out] = await content(client, done.output_file_id);
    expect(out?.response.body).toMatchObject({ object: 'response', model: 'mini-batch' });
  });

  it('per-line failure injection sends lines to the error file with their status', async () => {
    const { client, h } = await boot({
      deployments: [{ name: 'mini-batch', model: 'gpt-4o-mini', capacity: 1, sku: 'globalBatch', batchLineFailureRate: 0.5 }],
    });
    const b = await submit(client, lines(60));
    h.clock.advance(3 * MIN);
    const done = await client.batches.retrieve(b.id);
    expect(done.status).toBe('completed');
    const errs = await content(client, done.error_file_id);
    const outs = await content(client, done.output_file_id);
    expect(errs.length).toBeGreaterThan(5);
    expect(errs.length + outs.length).toBe(60);
    expect(done.request_counts).toEqual({ total: 60, completed: outs.length, failed: errs.length });
    expect(errs[0]).toMatchObject({ response: { status_code: 500, body: { error: { type: 'server_error' } } } });
  });

  it('cancel: cancelling, then cancelled with partial output and batch_cancelled lines', async () => {
    // 40 lines at ≈ 30 tokens each; 300 tokens/minute runs ≈ 10 lines per emulated minute.
    const { client, h } = await boot({
      deployments: [{ name: 'mini-batch', model: 'gpt-4o-mini', capacity: 1, sku: 'globalBatch', batchTokensPerMinute: 300 }],
    });
    const b = await submit(client, lines(40));
    h.clock.advance(30_000 + MIN);
    const c = await client.batches.cancel(b.id);
    expect(c.status).toBe('cancelling');
    h.clock.advance(10 * MIN);
    const done = await client.batches.retrieve(b.id);
    expect(done.status).toBe('cancelled');
    const outs = await content(client, done.output_file_id);
    const errs = await content(client, done.error_file_id);
    expect(outs.length).toBeGreaterThan(0);
    expect(outs.length).toBeLessThan(40);
    expect(errs.every((e) => e.error?.code === 'batch_cancelled' && e.response === null)).toBe(true);
    expect(outs.length + errs.length).toBe(40);
  });

  it('expiry: a job still running after 24 h is expired, unprocessed lines get batch_expired', async () => {
    const { client, h } = await boot({
      deployments: [{ name: 'mini-batch', model: 'gpt-4o-mini', capacity: 1, sku: 'globalBatch', batchTokensPerMinute: 0.02 }],
    });
    const b = await submit(client, lines(5));
    h.clock.advance(25 * 3600 * 1000);
    const done = await client.batches.retrieve(b.id);
    expect(done.status).toBe('expired');
    expect(done.expired_at).toBe(done.expires_at);
    const errs = await content(client, done.error_file_id);
    const outs = await content(client, done.output_file_id);
    expect(errs.length).toBeGreaterThan(0);
    expect(errs.every((e) => e.error?.code === 'batch_expired')).toBe(true);
    expect(outs.length + errs.length).toBe(5);
  });
});

describe('validation errors, in the documented order with line numbers', () => {
  const cases: Array<[string, string | Buffer, string, number | null]> = [
    ['BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines(1))]), 'model_not_found', null],
    ['invalid JSON', `${chatLine('a', 'x')}\n{not json\n`, 'invalid_json_line', 2],
    ['empty', '\n', 'empty_file', null],
    ['duplicate ids', `${chatLine('a', 'x')}\n${chatLine('b', 'y')}\n${chatLine('a', 'z')}\n`, 'duplicate_custom_id', 3],
    ['url mismatch', `${chatLine('a', 'x')}\n${chatLine('b', 'y', 'mini-batch', '/v1/responses')}\n`, 'url_mismatch', 2],
    ['model mismatch', `${chatLine('a', 'x')}\n${chatLine('b', 'y', 'other')}\n`, 'model_mismatch', 2],
    ['unknown deployment', `${chatLine('a', 'x', 'nope')}\n`, 'model_not_found', 1],
    ['non-batch SKU', `${chatLine('a', 'x', 'mini')}\n`, 'invalid_request', null],
    [
      'duplicate before url mismatch',
      `${chatLine('a', 'x')}\n${chatLine('a', 'y', 'mini-batch', '/v1/responses')}\n`,
      'duplicate_custom_id',
      2,
    ],
  ];
  it.each(cases)('%s → %s', async (_name, text, code, line) => {
    const { client, h } = await boot();
    const b = await submit(client, text);
    h.clock.advance(30_000);
    const failed = await client.batches.retrieve(b.id);
    expect(failed.status).toBe('failed');
    expect(failed.errors?.data?.[0]).toMatchObject({ code, line });
    expect(check('Batch', failed)).toEqual([]);
  });

  it('too_many_tasks above 100,000 lines', async () => {
    const { client, h } = await boot();
    const line = chatLine('x', 'q');
    const text = Array.from({ length: 100_001 }, (_, i) => line.replace('"x"', `"c${i}"`)).join('\n');
    const b = await submit(client, text);
    h.clock.advance(30_000);
    expect((await client.batches.retrieve(b.id)).errors?.data?.[0]?.code).toBe('too_many_tasks');
  });

  it('a non-24h completion window is refused at create', async () => {
    const { client } = await boot();
    const f = await upload(client, lines(1));
    await expect(
      client.batches.create({ input_file_id: f.id, endpoint: '/v1/chat/completions', completion_window: '48h' as '24h' }),
    ).rejects.toMatchObject({ status: 400 });
  });
});

describe('enqueued-token quota', () => {
  it("fail-fast: a job that would pass the limit gets 400 token_limit_exceeded with Azure's message; room returns when a job ends", async () => {
    const { client, h } = await boot({
      deployments: [{ name: 'mini-batch', model: 'gpt-4o-mini', capacity: 1, sku: 'globalBatch', enqueuedTokens: 1000 }],
    });
    await submit(client, lines(20)); // ≈ 20 × 29 tokens
    const err = (await submit(client, lines(20)).catch((e: unknown) => e)) as { status: number; code: string; message: string };
    expect(err.status).toBe(400);
    expect(err.code).toBe('token_limit_exceeded');
    expect(err.message).toContain(
      "The number of enqueued tokens has surpassed the configured limit of 1K for the deployment 'mini-batch'. Please either increase the limit or try again once the current jobs have finished.",
    );
    h.clock.advance(5 * MIN);
    expect((await submit(client, lines(20))).status).toBe('validating');
  });

  it('slow-fail: the job validates, then fails with token_limit_exceeded', async () => {
    const { client, h } = await boot({
      deployments: [
        { name: 'mini-batch', model: 'gpt-4o-mini', capacity: 1, sku: 'globalBatch', enqueuedTokens: 1000, batchFailFast: false },
      ],
    });
    await submit(client, lines(20));
    const second = await submit(client, lines(20));
    expect(second.status).toBe('validating');
    h.clock.advance(30_000);
    const failed = await client.batches.retrieve(second.id);
    expect(failed.status).toBe('failed');
    expect(failed.errors?.data?.[0]?.code).toBe('token_limit_exceeded');
  });

  it('counters: uploads and batches created', async () => {
    const { client, h } = await boot();
    await submit(client, lines(2));
    expect(h.stats().batch).toMatchObject({ uploads: 1, batchesCreated: 1, active: 1 });
    const list = await client.batches.list({ limit: 1 });
    expect(list.data).toHaveLength(1);
  });
});
