import { describe, expect, test } from 'vitest';
import { createJsonSchema } from '../../src/scoring/json-schema.ts';
import { createJsonValid } from '../../src/scoring/json-valid.ts';
import { createNumeric, extractNumbers } from '../../src/scoring/numeric.ts';
import { context, input } from './score-input.ts';

describe('numeric', () => {
  test.each([
    ['The total is 1,234.', [1234]],
    ['Growth was 12.5%', [12.5]],
    ['It fell to −7 °C, then -3.', [-7, -3]],
    ['Light travels 3e8 m/s', [300_000_000]],
    ['Roughly 100km away', [100]],
    ['From 3-5 items', [3, 5]],
    ['No digits here, v2 aside', []],
  ])('extracts numbers from %j', (text, numbers) => {
    expect(extractNumbers(text)).toEqual(numbers);
  });

  test('scores the last number in the output', () => {
    const scorer = createNumeric();
    expect(scorer.score(input('15% of 80: 0.15 × 80 = 12', '12'), context)).toEqual({ value: 1, passed: true });
    expect(scorer.score(input('12 apples, so 13', '12'), context)).toEqual({
      value: 0,
      passed: false,
      reason: 'expected 12, got 13 (off by 1)',
    });
  });

  test('reads references with separators and percent signs', () => {
    expect(createNumeric().score(input('1234', '1,234'), context)).toMatchObject({ passed: true });
    expect(createNumeric().score(input('12.5', '12.5%'), context)).toMatchObject({ passed: true });
  });

  test('absolute tolerance', () => {
    const scorer = createNumeric({ tolerance: 0.001 });
    expect(scorer.score(input('3.142', '3.14'), context)).toMatchObject({ passed: false });
    expect(scorer.score(input('3.1405', '3.14'), context)).toMatchObject({ passed: true });
  });

  test('relative tolerance', () => {
    const scorer = createNumeric({ relativeTolerance: 0.01 });
    expect(scorer.score(input('1009', '1000'), context)).toMatchObject({ passed: true });
    expect(scorer.score(input('1011', '1000'), context)).toMatchObject({ passed: false });
  });

  test('without tolerances, equal up to floating-point noise', () => {
    expect(createNumeric().score(input(String(0.1 + 0.2), '0.3'), context)).toMatchObject({ passed: true });
  });

  test('an output without a number fails with a reason', () => {
    expect(createNumeric().score(input('I do not know', '12'), context)).toEqual({
      value: 0,
      passed: false,
      reason: 'no number in "I do not know"',
    });
  });

  test('a reference that is not a single number is an error', () => {
    expect(() => createNumeric().score(input('3', '3 or 4'), context)).toThrow(
      'numeric needs a single number as the reference answer, got "3 or 4"',
    );
  });
});

describe('json-valid', () => {
  test('accepts bare JSON and a single fenced block', () => {
    const scorer = createJsonValid();
    expect(scorer.score(input('{"a": 1}'), context)).toMatchObject({ passed: true });
    expect(scorer.score(input('```json\n{"a": [1, 2]}\n```'), context)).toMatchObject({ passed: true });
  });

  test('rejects prose and, with allowFence: false, fences', () => {
    expect(createJsonValid().score(input('Sure! {"a": 1}'), context)).toMatchObject({
      passed: false,
      reason: expect.stringMatching(/^not valid JSON/),
    });
    expect(createJsonValid({ allowFence: false }).score(input('```json\n{}\n```'), context)).toMatchObject({ passed: false });
  });
});

describe('json-schema', () => {
  const schema = {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1 },
      age: { type: 'integer', minimum: 0 },
      tags: { type: 'array', items: { enum: ['a', 'b'] } },
    },
    required: ['name', 'age'],
    additionalProperties: false,
  };

  test('passes a conforming document', () => {
    expect(createJsonSchema({ schema }).score(input('{"name": "Ada", "age": 36, "tags": ["a"]}'), context)).toEqual({
      value: 1,
      passed: true,
    });
  });

  test('names the failing paths', () => {
    const score = createJsonSchema({ schema }).score(input('{"name": "", "age": -1, "tags": ["c"]}'), context);
    expect(score).toMatchObject({ passed: false });
    expect((score as { reason: string }).reason).toMatch(/^name: .*; age: .*; tags\[0\]: /);
  });

  test('rejects extra properties and missing required ones', () => {
    const scorer = createJsonSchema({ schema });
    expect(scorer.score(input('{"name": "x", "age": 1, "extra": true}'), context)).toMatchObject({ passed: false });
    expect(scorer.score(input('{"name": "x"}'), context)).toMatchObject({ passed: false, reason: expect.stringContaining('age') });
  });

  test('invalid JSON fails before the schema', () => {
    expect(createJsonSchema({ schema }).score(input('nope'), context)).toMatchObject({
      passed: false,
      reason: expect.stringMatching(/^not valid JSON/),
    });
  });

  test('a missing schema is a config error', () => {
    expect(() => createJsonSchema({}, 'scorers[0]')).toThrow(/^scorers\[0\]\.schema: expected a JSON Schema object, got nothing$/);
  });
});
