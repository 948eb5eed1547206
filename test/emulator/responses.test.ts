import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorHandle } from '../../src/emulator/server.ts';
import { countTokens } from '../../src/emulator/tokens.ts';
import { check } from './openapi-check.ts';
import { parseSse, raw, start } from './helpers.ts';

let h: EmulatorHandle;
let client: OpenAI;
beforeAll(async () => ({ h, client } = await start()));
afterAll(() => h.close());

const EXPECTED_ORDER = [
  'response.created',
  'response.in_progress',
  'response.output_item.added',
  'response.content_part.added',
  'response.output_text.delta',
  'response.output_text.done',
  'response.content_part.done',
  'response.output_item.done',
  'response.completed',
];

/** Collapses runs of the same event type so the order can be compared with the spec list. */
const collapse = (types: string[]) => types.filter((t, i) => t !== types[i - 1]);

describe('responses API', () => {
  it('non-streaming: spec-conformant, SDK output_text, usage matches text', async () => {
    const { data, response } = await client.responses
      .create({ model: 'mini', input: 'What is the capital of France?', max_output_tokens: 100 })
      .withResponse();
    expect(check('Response', data)).toEqual([]);
    expect(data.status).toBe('completed');
    expect(data.model).toBe('gpt-4o-mini-2024-07-18');
    expect(data.output).toHaveLength(1);
    expect(data.usage?.output_tokens).toBe(countTokens(data.output_text));
    expect(response.headers.get('x-ratelimit-remaining-tokens')).toBeTruthy();
  });

  it('reasoning models add a reasoning item first and report reasoning tokens', async () => {
    const data = await client.responses.create({
      model: 'o4',
      input: [{ role: 'user', content: 'What is 6 times 7?' }],
      instructions: 'Be brief.',
      reasoning: { effort: 'low' },
    });
    expect(check('Response', data)).toEqual([]);
    expect(data.output[0]?.type).toBe('reasoning');
    expect(data.output[1]?.type).toBe('message');
    const reasoning = data.usage?.output_tokens_details.reasoning_tokens ?? 0;
    expect(reasoning).toBeGreaterThan(0);
    expect(data.usage?.output_tokens).toBe(reasoning + countTokens(data.output_text));
    expect(data.instructions).toBe('Be brief.');
  });

  it('max_output_tokens → incomplete with reason max_output_tokens', async () => {
    const data = await client.responses.create({ model: 'mini', input: 'Tell me a long story.', max_output_tokens: 3 });
    expect(data.status).toBe('incomplete');
    expect(data.incomplete_details?.reason).toBe('max_output_tokens');
    expect(data.usage?.output_tokens).toBe(3);
  });

  it('streaming: event framing, strictly increasing sequence numbers, spec order, no [DONE]', async () => {
    const res = await raw(h, '/openai/v1/responses', { body: JSON.stringify({ model: 'mini', input: 'Say something.', stream: true }) });
    const frames = parseSse(res.text);
    expect(frames.every((f) => f.data !== '[DONE]')).toBe(true);
    const events = frames.map((f) => ({ name: f.event, ...JSON.parse(f.data) }));
    for (const e of events) expect(e.name).toBe(e.type);
    for (const [i, e] of events.entries()) expect(e.sequence_number).toBe(i);
    expect(collapse(events.map((e) => e.type))).toEqual(EXPECTED_ORDER);
    for (const e of events) expect(check('ResponseStreamEvent', e)).toEqual([]);
    const text = events
      .filter((e) => e.type === 'response.output_text.delta')
      .map((e) => e.delta)
      .join('');
    const done = events.at(-1);
    expect(done.response.output[0].content[0].text).toBe(text);
    expect(done.response.usage.output_tokens).toBe(countTokens(text));
  });

  it('streaming through the SDK with a reasoning model: reasoning item events come first', async () => {
    const stream = await client.responses.create({ model: 'o4', input: 'What is 6 times 7?', stream: true });
    const types: string[] = [];
    let last = -1;
    for await (const e of stream) {
      expect(e.sequence_number).toBeGreaterThan(last);
      last = e.sequence_number;
      types.push(e.type);
    }
    expect(collapse(types)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.output_item.done',
      ...EXPECTED_ORDER.slice(2),
    ]);
  });

  it('streaming incomplete ends with response.incomplete', async () => {
    const res = await raw(h, '/openai/v1/responses', {
      body: JSON.stringify({ model: 'mini', input: 'long story', stream: true, max_output_tokens: 2 }),
    });
    const last = parseSse(res.text).at(-1);
    expect(last?.event).toBe('response.incomplete');
    expect(JSON.parse(last?.data ?? '{}').response.incomplete_details).toEqual({ reason: 'max_output_tokens' });
  });

  it('missing input → 400 invalid_request_error', async () => {
    const res = await raw(h, '/openai/v1/responses', { body: JSON.stringify({ model: 'mini' }) });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ type: 'invalid_request_error', param: 'input' });
  });
});

describe('reasoning summaries', () => {
  it('stream summary part/text events inside the reasoning item, and fill summary in the final response', async () => {
    const res = await raw(h, '/openai/v1/responses', {
      body: JSON.stringify({ model: 'o4', input: 'What is 6 times 7?', stream: true, reasoning: { effort: 'low', summary: 'auto' } }),
    });
    const events = parseSse(res.text).map((f) => JSON.parse(f.data));
    for (const [i, e] of events.entries()) expect(e.sequence_number).toBe(i);
    for (const e of events) expect(check('ResponseStreamEvent', e)).toEqual([]);
    expect(collapse(events.map((e) => e.type)).slice(0, 9)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
      'response.output_item.added',
    ]);
    const summary = events
      .filter((e) => e.type === 'response.reasoning_summary_text.delta')
      .map((e) => e.delta)
      .join('');
    expect(events.at(-1).response.output[0].summary).toEqual([{ type: 'summary_text', text: summary }]);
    const plain = await client.responses.create({ model: 'o4', input: 'What is 6 times 7?', reasoning: { summary: 'concise' } });
    expect(check('Response', plain)).toEqual([]);
    const first = plain.output[0];
    expect(first?.type === 'reasoning' && first.summary[0]?.text.length).toBeGreaterThan(0);
  });
});
