import { describe, expect, it } from 'vitest';
import { countTokens } from '../../src/providers/count-tokens.ts';
import {
  DEFAULT_RESERVATION,
  defaultReservation,
  estimateAdmissionCost,
  REASONING_RESERVATION,
} from '../../src/providers/estimate-cost.ts';
import type { ModelParams } from '../../src/types.ts';

const params = (over: Partial<ModelParams> = {}): ModelParams => ({ tokenLimitField: 'max_completion_tokens', stream: true, ...over });

describe('estimateAdmissionCost', () => {
  it('is ceil(all prompt characters / 4) plus the cap', () => {
    const input = {
      messages: [
        { role: 'user' as const, content: 'abcde' },
        { role: 'assistant' as const, content: 'fg' },
      ],
    };
    expect(estimateAdmissionCost(input, params({ maxOutputTokens: 2000, system: 'xyz' }))).toBe(Math.ceil(10 / 4) + 2000);
  });

  it('charges the default reservation when no cap is sent', () => {
    expect(estimateAdmissionCost({ messages: [] }, params(), 640)).toBe(640);
  });

  it('reserves 4096 for reasoning models by default', () => {
    expect(estimateAdmissionCost({ messages: [] }, params({ reasoningEffort: 'high' }))).toBe(REASONING_RESERVATION);
  });

  it('reserves more for reasoning models', () => {
    expect(defaultReservation(params())).toBe(DEFAULT_RESERVATION);
    expect(defaultReservation(params({ reasoningEffort: 'low' }))).toBe(REASONING_RESERVATION);
  });
});

describe('countTokens', () => {
  it('counts o200k tokens', () => {
    expect(countTokens('hello world')).toBe(2);
  });
});
