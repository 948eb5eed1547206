/** The result-record fields report.html relies on: label, conversation, and an error message without keys. */
import { describe, expect, test } from 'vitest';
import { scoreOutcome } from '../../src/run/score-outcome.ts';
import type { ResolvedTarget, WorkItem } from '../../src/types.ts';

const target: ResolvedTarget = { name: 't', api: 'chat', params: { tokenLimitField: 'max_tokens', stream: true }, deployments: [] };
const signal = new AbortController().signal;

function item(fields: Record<string, string>, messages?: WorkItem['row']['messages']): WorkItem {
  const input = { messages: messages ?? [{ role: 'user' as const, content: 'q' }] };
  return {
    key: 'r1|t|0',
    row: { id: 'r1', index: 0, line: 2, fields, ...(messages ? { messages } : {}) },
    target: 't',
    repeat: 0,
    input,
    cost: 1,
  };
}

describe('result records for the report', () => {
  test('carry the label column and, for chat rows, the whole conversation', async () => {
    const messages = [
      { role: 'system' as const, content: 's' },
      { role: 'user' as const, content: 'a' },
      { role: 'assistant' as const, content: 'b' },
      { role: 'user' as const, content: 'c' },
    ];
    const failed = {
      status: 'failed' as const,
      reason: 'exhausted' as const,
      deploymentId: null,
      attempts: 1,
      durationMs: 5,
      error: { name: 'E', code: 'x', message: 'boom', retryable: false },
    };
    const record = await scoreOutcome(item({ category: ' geography ' }, messages), failed, { scorers: [], target, signal });
    expect(record).toMatchObject({ label: 'geography', messages });
    const plain = await scoreOutcome(item({ question: 'q' }), failed, { scorers: [], target, signal });
    expect(plain).not.toHaveProperty('label');
    expect(plain).not.toHaveProperty('messages');
  });

  test('the label is `__label`, else `category` (first non-empty, trimmed), as the README’s Datasets section says', async () => {
    const failed = {
      status: 'failed' as const,
      reason: 'exhausted' as const,
      deploymentId: null,
      attempts: 1,
      durationMs: 5,
      error: { name: 'E', code: 'x', message: 'boom', retryable: false },
    };
    const labelOf = async (fields: Record<string, string>) =>
      (await scoreOutcome(item(fields), failed, { scorers: [], target, signal })).label;
    expect(await labelOf({ __label: 'math', category: 'geography' })).toBe('math');
    expect(await labelOf({ __label: ' ', category: 'geography' })).toBe('geography');
    expect(await labelOf({ label: 'x', Category: 'y' })).toBeUndefined();
  });

  test('never journal a credential a server echoed in its error message', async () => {
    const key = ['9a8b7c6d5e4f', '3a2b1c0d9e8f7a6b', '5c4d'].join('');
    const failed = {
      status: 'failed' as const,
      reason: 'fatal' as const,
      deploymentId: null,
      attempts: 1,
      durationMs: 5,
      error: { name: 'E', code: '401', message: `invalid api-key ${key}; header Authorization: Bearer abcdefgh12345678`, retryable: false },
    };
    const record = await scoreOutcome(item({}), failed, { scorers: [], target, signal });
    expect(record.status === 'failed' && record.error.message).toBe('invalid api-key [redacted]; header Authorization: Bearer [redacted]');
  });
});
