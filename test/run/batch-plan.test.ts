import { describe, expect, test } from 'vitest';
import { byteLines, parseJob, parseTime, splitLines } from '../../src/providers/batch-client.ts';
import { parseBatchLine } from '../../src/providers/batch-output.ts';
import { EnqueuedLedger } from '../../src/run/batch/ledger.ts';
import { FilePacker, planLine, tokenLimitBackoffMs, type PlannedLine } from '../../src/run/batch/plan.ts';
import { tierPrice } from '../../src/run/batch/tier-price.ts';
import type { ResolvedTarget, WorkItem } from '../../src/types.ts';

const line = (key: string, bytes: number, tokens: number): PlannedLine => ({ key, json: 'x', bytes, tokens });

describe('file packing', () => {
  test('a file closes before it would pass the line, byte or token limit', () => {
    const packer = new FilePacker({ maxLines: 3, maxBytes: 100, maxTokens: 50 });
    const files = [];
    for (const [i, [b, t]] of [
      [10, 10],
      [10, 10],
      [10, 10],
      [10, 10],
      [91, 1],
      [5, 45],
      [5, 10],
    ].entries()) {
      const f = packer.add(line(`k${i}`, b!, t!));
      if (f) files.push(f.keys);
    }
    files.push(packer.flush()!.keys);
    // 3 lines max; then 91 bytes would pass 100 with k3's 10; then 45 tokens fit beside 1; then 10 more tokens would pass 50.
    expect(files).toEqual([['k0', 'k1', 'k2'], ['k3'], ['k4', 'k5'], ['k6']]);
  });

  test('a line is the online request body without streaming, custom_id = the cell key', () => {
    const target = {
      name: 't',
      api: 'responses',
      params: { tokenLimitField: 'max_output_tokens', maxOutputTokens: 16, stream: true, temperature: 0, system: 'Be brief.' },
      deployments: [],
    } as unknown as ResolvedTarget;
    const item = { key: 'r1|t|0', cost: 21, input: { messages: [{ role: 'user', content: 'Hi?' }] } } as unknown as WorkItem;
    const planned = planLine(item, target, 'dep-batch');
    expect(JSON.parse(planned.json)).toEqual({
      custom_id: 'r1|t|0',
      method: 'POST',
      url: '/v1/responses',
      body: {
        model: 'dep-batch',
        instructions: 'Be brief.',
        max_output_tokens: 16,
        temperature: 0,
        input: [{ type: 'message', role: 'user', content: 'Hi?' }],
      },
    });
    expect(planned.tokens).toBe(21);
    expect(planned.bytes).toBe(Buffer.byteLength(planned.json) + 1);
  });

  test('token_limit_exceeded backoff: 5, 10, 20 … s, capped at 5 minutes', () => {
    expect([0, 1, 2, 3, 10].map((a) => tokenLimitBackoffMs(a))).toEqual([5_000, 10_000, 20_000, 40_000, 300_000]);
  });

  test('the ledger admits jobs while they fit the budget together; a lone job always fits', () => {
    const ledger = new EnqueuedLedger(100);
    expect(ledger.fits(150)).toBe(true);
    ledger.hold('a', 60);
    expect(ledger.fits(40)).toBe(true);
    expect(ledger.fits(41)).toBe(false);
    ledger.release('a');
    expect(ledger.fits(100)).toBe(true);
  });
});

describe('tolerant parsing', () => {
  test('capitalised statuses, ISO or numeric timestamps, "" file ids, null request_counts', () => {
    const job = parseJob({
      id: 'batch_1',
      status: 'Validating',
      created_at: '2025-03-31T05:15:47Z',
      expires_at: 1743484547,
      output_file_id: '',
      error_file_id: '',
      request_counts: null,
    });
    expect(job).toMatchObject({ status: 'validating', outputFileId: null, errorFileId: null, counts: null });
    expect(job.times['created']).toBe(Date.parse('2025-03-31T05:15:47Z'));
    expect(job.times['expires']).toBe(1743484547_000);
    expect(parseJob({ status: 'Canceled' }).status).toBe('cancelled');
    expect(parseJob({ status: 'Completed', request_counts: { total: 3, completed: null, failed: 1 } }).counts).toEqual({
      total: 3,
      completed: 0,
      failed: 1,
    });
    expect(parseTime('not a date')).toBeUndefined();
  });

  test('Responses output: body.model is the deployment name and is not taken as the model', () => {
    const r = parseBatchLine(
      JSON.stringify({
        custom_id: 'k',
        response: {
          status_code: 200,
          request_id: 'r',
          body: {
            object: 'response',
            model: 'gpt-4.1-batch',
            status: 'completed',
            output: [{ type: 'message', content: [{ type: 'output_text', text: 'Paris' }] }],
            usage: { input_tokens: 5, output_tokens: 1 },
          },
        },
        error: null,
      }),
      'responses',
      { submittedAt: 1000, resultAt: 61_000 },
    );
    expect(r).toMatchObject({
      ok: true,
      completion: {
        text: 'Paris',
        model: null,
        finishReason: 'stop',
        usage: { promptTokens: 5, completionTokens: 1 },
        timing: { startedAt: 1000, endMs: 60_000 },
      },
    });
  });

  test('error lines keep their code; never-run lines are resumable', () => {
    const http = parseBatchLine(
      JSON.stringify({
        custom_id: 'k',
        response: { status_code: 400, body: { error: { code: 'content_filter', message: 'filtered' } } },
        error: null,
      }),
      'chat',
      { submittedAt: 0, resultAt: 1 },
    );
    expect(http).toMatchObject({ ok: false, code: 'content_filter', status: 400, category: 'content_filter', resumable: false });
    const expired = parseBatchLine(
      JSON.stringify({ custom_id: 'k', response: null, error: { code: 'batch_expired', message: 'x' } }),
      'chat',
      { submittedAt: 0, resultAt: 1 },
    );
    expect(expired).toMatchObject({ ok: false, code: 'batch_expired', resumable: true });
  });
});

describe('streamed output files', () => {
  const collect = async (lines: AsyncIterable<string>) => {
    const out: string[] = [];
    for await (const line of lines) out.push(line);
    return out;
  };

  test('lines are rebuilt across piece boundaries; an unfinished last line is kept, no empty tail', async () => {
    expect(await collect(splitLines(['{"a":1}\n{"b"', ':2}\n', '', '\n{"c":3}']))).toEqual(['{"a":1}', '{"b":2}', '', '{"c":3}']);
    expect(await collect(splitLines(['x\n']))).toEqual(['x']);
  });

  test('a UTF-8 character split between two byte chunks is decoded whole', async () => {
    const bytes = new TextEncoder().encode('{"t":"Zürich €"}\n{"t":"ok"}\n');
    const cut = bytes.indexOf(0xe2) + 1; // inside the three bytes of €
    async function* chunks() {
      yield bytes.slice(0, cut);
      yield bytes.slice(cut);
    }
    expect(await collect(byteLines(chunks()))).toEqual(['{"t":"Zürich €"}', '{"t":"ok"}']);
  });
});

describe('tier prices', () => {
  const price = { input: 2, output: 8, cachedInput: 0.5 };
  test('batch at 50 % by default or price.batch; flex at price.flex; online unchanged', () => {
    expect(tierPrice({ price, mode: 'batch' })).toEqual({ input: 1, output: 4, cachedInput: 0.25 });
    expect(tierPrice({ price: { ...price, batch: 0.25 }, mode: 'batch' })).toMatchObject({ input: 0.5, output: 2 });
    expect(tierPrice({ price: { ...price, flex: 0.4 }, serviceTier: 'flex' })).toMatchObject({ input: 0.8 });
    expect(tierPrice({ price })).toBe(price);
  });
});
