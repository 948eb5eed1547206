/**
 * The emulator's server truth per request (send-log.ts): what counts as the first answer content (the
 * client's TTFT definition: non-empty content, not reasoning or annotations), and that a real streamed
 * and a JSON request are both recorded with ordered times under the id the client sees.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { carriesContent } from '../../src/emulator/send-log.ts';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/server.ts';

describe('carriesContent', () => {
  test('chat: a non-empty content delta counts; role, empty content and reasoning do not', () => {
    expect(carriesContent('{"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}', undefined)).toBe(true);
    expect(carriesContent('{"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}', undefined)).toBe(false);
    expect(carriesContent('{"choices":[{"index":0,"delta":{"content":""}}]}', undefined)).toBe(false);
    expect(carriesContent('{"choices":[{"index":0,"delta":{"reasoning_content":"hmm"}}]}', undefined)).toBe(false);
    expect(carriesContent('{"prompt_filter_results":[],"choices":[]}', undefined)).toBe(false);
  });

  test('responses: only output text deltas count', () => {
    expect(carriesContent('{}', 'response.output_text.delta')).toBe(true);
    expect(carriesContent('{}', 'response.reasoning_summary_text.delta')).toBe(false);
    expect(carriesContent('{}', 'response.created')).toBe(false);
  });
});

describe('GET /_emulator/sends', () => {
  let emulator: EmulatorHandle;
  beforeAll(async () => {
    emulator = await startEmulator({ seed: 1, latencyScale: 0.02, deployments: [{ name: 'mini', model: 'gpt-4.1-mini', capacity: 1000 }] });
  });
  afterAll(() => emulator.close());

  test('records received → first content → end, under the request id the client sees', async () => {
    const client = new OpenAI({ baseURL: emulator.baseURL, apiKey: emulator.apiKey, maxRetries: 0 });
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'mini', messages: [{ role: 'user', content: 'Say hello' }], stream: true })
      .withResponse();
    for await (const _chunk of stream) {
      /* drain */
    }
    const plain = await client.chat.completions.create({ model: 'mini', messages: [{ role: 'user', content: 'Say hi' }] }).withResponse();
    const res = await fetch(`${emulator.url}/_emulator/sends?deployment=mini`, { headers: { 'api-key': emulator.apiKey } });
    const sends = (await res.json()) as Array<{ id: string; status: number; receivedAt: number; firstContentAt?: number; endAt: number }>;
    for (const id of [response.headers.get('x-request-id'), plain.response.headers.get('x-request-id')]) {
      const s = sends.find((x) => x.id === id);
      expect(s).toBeDefined();
      expect(s!.status).toBe(200);
      expect(s!.receivedAt).toBeLessThanOrEqual(s!.firstContentAt!);
      expect(s!.firstContentAt!).toBeLessThanOrEqual(s!.endAt);
    }
    const unknown = await fetch(`${emulator.url}/_emulator/sends?deployment=nope`, { headers: { 'api-key': emulator.apiKey } });
    expect(await unknown.json()).toEqual([]);
  });
});
