import { expect, test } from 'vitest';
import { buildChatBody, buildResponsesBody } from '../../src/providers/request-body.ts';
import type { ModelParams } from '../../src/types.ts';

const input = { messages: [{ role: 'user' as const, content: 'Hi' }] };

test("serviceTier 'flex' sends service_tier: 'flex' on both APIs; absent sends nothing", () => {
  const flex: ModelParams = { tokenLimitField: 'max_completion_tokens', stream: false, serviceTier: 'flex' };
  expect(buildChatBody('d', flex, input)['service_tier']).toBe('flex');
  expect(buildResponsesBody('d', { ...flex, tokenLimitField: 'max_output_tokens' }, input)['service_tier']).toBe('flex');
  expect('service_tier' in buildChatBody('d', { tokenLimitField: 'max_completion_tokens', stream: false }, input)).toBe(false);
});
