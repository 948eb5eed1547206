import { describe, expect, test } from 'vitest';
import { compileTemplate, templatePlaceholders } from '../../src/dataset/template.ts';
import { ConfigError } from '../../src/errors.ts';
import type { Row } from '../../src/types.ts';

const row = (fields: Record<string, string>): Row => ({ id: 'r', index: 0, line: 2, fields });

describe('compileTemplate', () => {
  test('fills {{column}} placeholders, spaces inside the braces allowed', () => {
    const render = compileTemplate('Q: {{question}}\nContext: {{ context }}', ['question', 'context'], 'qa.csv');
    expect(render(row({ question: 'Why?', context: 'Because.' }))).toBe('Q: Why?\nContext: Because.');
  });

  test('lists its placeholders once each, in order of use', () => {
    expect(templatePlaceholders('{{a}} {{ b }} {{a}}')).toEqual(['a', 'b']);
  });

  test('does not expand placeholders found inside values', () => {
    const render = compileTemplate('{{question}}', ['question'], 'qa.csv');
    expect(render(row({ question: 'literal {{answer}}' }))).toBe('literal {{answer}}');
  });

  test('an unknown column lists the header and suggests the closest', () => {
    expect(() => compileTemplate('Answer: {{qestion}}', ['id', 'question', 'answer'], 'qa.csv')).toThrow(
      new ConfigError(['prompt: the template uses {{qestion}} but qa.csv has columns id, question, answer (did you mean {{question}}?)']),
    );
  });

  test('every unknown column is reported at once', () => {
    try {
      compileTemplate('{{foo}} {{bar}}', ['id'], 'qa.csv');
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).issues).toHaveLength(2);
    }
  });

  test('a row missing a placeholder field fails with its line', () => {
    const render = compileTemplate('{{question}}', ['question'], 'data.jsonl');
    expect(() => render(row({}))).toThrow('data.jsonl:2: expected "question" (string) or "messages" (array of {role, content})');
  });
});
