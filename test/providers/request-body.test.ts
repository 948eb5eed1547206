import { describe, expect, it } from 'vitest';
import { buildChatBody, buildResponsesBody } from '../../src/providers/request-body.ts';
import type { ModelParams, PromptInput } from '../../src/types.ts';

const params = (over: Partial<ModelParams> = {}): ModelParams => ({ tokenLimitField: 'max_completion_tokens', stream: true, ...over });
const input = (...messages: PromptInput['messages']): PromptInput => ({ messages });

describe('buildChatBody', () => {
  it('omits every unset optional field', () => {
    expect(buildChatBody('d', params({ stream: false }), input({ role: 'user', content: 'q' }))).toEqual({
      model: 'd',
      messages: [{ role: 'user', content: 'q' }],
      stream: false,
    });
  });

  it('keeps include_usage even when extraBody sets other stream options', () => {
    const body = buildChatBody(
      'd',
      params({ extraBody: { stream_options: { include_obfuscation: false, include_usage: false } } }),
      input(),
    );
    expect(body['stream_options']).toEqual({ include_obfuscation: false, include_usage: true });
  });

  it('does not let extraBody replace model, messages or stream', () => {
    const body = buildChatBody(
      'd',
      params({ extraBody: { model: 'x', messages: [], stream: false, seed: 7 } }),
      input({ role: 'user', content: 'q' }),
    );
    expect(body).toMatchObject({ model: 'd', messages: [{ role: 'user', content: 'q' }], stream: true, seed: 7 });
  });

  it('lets extraBody override ordinary parameters', () => {
    expect(buildChatBody('d', params({ temperature: 0.5, extraBody: { temperature: 1 } }), input())['temperature']).toBe(1);
  });
});

describe('buildResponsesBody', () => {
  it('moves a lone leading developer message to instructions', () => {
    const body = buildResponsesBody('d', params(), input({ role: 'developer', content: 'rules' }, { role: 'user', content: 'q' }));
    expect(body).toMatchObject({ instructions: 'rules', input: [{ type: 'message', role: 'user', content: 'q' }] });
  });

  it('keeps several system messages in input', () => {
    const body = buildResponsesBody(
      'd',
      params(),
      input({ role: 'system', content: 'a' }, { role: 'user', content: 'q' }, { role: 'system', content: 'b' }),
    );
    expect(body).not.toHaveProperty('instructions');
    expect(body['input']).toHaveLength(3);
  });

  it('uses the configured system prompt as instructions and keeps every message', () => {
    const body = buildResponsesBody(
      'd',
      params({ system: 'sys' }),
      input({ role: 'system', content: 'a' }, { role: 'user', content: 'q' }),
    );
    expect(body).toMatchObject({ instructions: 'sys' });
    expect(body['input']).toHaveLength(2);
  });

  it('sends no stream_options', () => {
    expect(buildResponsesBody('d', params(), input())).not.toHaveProperty('stream_options');
  });
});
