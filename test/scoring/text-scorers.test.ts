import { describe, expect, test } from 'vitest';
import { createContains } from '../../src/scoring/contains.ts';
import { createExactMatch } from '../../src/scoring/exact-match.ts';
import { normalizeAnswer } from '../../src/scoring/normalize-answer.ts';
import { createRegexMatch } from '../../src/scoring/regex-match.ts';
import { createTokenF1, tokenF1 } from '../../src/scoring/token-f1.ts';
import { ConfigError } from '../../src/errors.ts';
import { context, input } from './score-input.ts';

describe('normalizeAnswer', () => {
  test.each([
    ['The Eiffel Tower.', 'eiffel tower'],
    ['  PARIS!! ', 'paris'],
    ['U.S.A.', 'usa'],
    ['an apple a day', 'apple day'],
    ['Café Zürich', 'cafe zurich'],
    ['3.14', '3.14'],
    ['1,000', '1000'],
    ['**Canberra**', 'canberra'],
  ])('%j → %j', (raw, normalized) => {
    expect(normalizeAnswer(raw)).toBe(normalized);
  });
});

describe('exact-match', () => {
  const scorer = createExactMatch();

  test('ignores case, punctuation, articles and whitespace', () => {
    expect(scorer.score(input('the  Canberra.', 'Canberra'), context)).toEqual({ value: 1, passed: true });
  });

  test('accepts the answer on the last line after working', () => {
    expect(scorer.score(input("Australia's capital was purpose-built.\nCanberra", 'Canberra'), context)).toMatchObject({ passed: true });
  });

  test('accepts the text after a final "Answer:" label', () => {
    expect(scorer.score(input('Let me think. It is not Sydney. Final answer: Canberra', 'Canberra'), context)).toMatchObject({
      passed: true,
    });
  });

  test('rejects an answer buried mid-sentence', () => {
    const score = scorer.score(input('I believe Canberra is the capital, though some say Sydney.', 'Canberra'), context);
    expect(score).toEqual({
      value: 0,
      passed: false,
      reason: 'expected "Canberra", got "I believe Canberra is the capital, though some say Sydney."',
    });
  });

  test('finalAnswer: false compares only the whole output', () => {
    expect(createExactMatch({ finalAnswer: false }).score(input('Thinking...\nCanberra', 'Canberra'), context)).toMatchObject({
      passed: false,
    });
  });

  test('a separator splits the reference into alternatives', () => {
    expect(createExactMatch({ separator: '|' }).score(input('United States', 'USA | United States'), context)).toMatchObject({
      passed: true,
    });
  });

  test('a row without a reference answer is an error, not a zero', () => {
    expect(() => scorer.score(input('Canberra'), context)).toThrow('exact-match needs a reference answer');
  });

  test('unknown options are config errors naming the path', () => {
    expect(() => createExactMatch({ caseSensitive: true }, 'scorers[0]')).toThrow(
      new ConfigError(['scorers[0].caseSensitive: unknown option; known options are finalAnswer, separator']),
    );
  });
});

describe('contains', () => {
  const scorer = createContains();

  test('finds the reference as whole tokens', () => {
    expect(scorer.score(input('The capital is Canberra, founded 1913.', 'canberra'), context)).toMatchObject({ passed: true });
  });

  test('does not match inside a longer number', () => {
    expect(scorer.score(input('There are 14 of them.', '4'), context)).toMatchObject({ passed: false });
  });

  test('matches multi-word references in order', () => {
    expect(scorer.score(input('It was Leonardo da Vinci.', 'Leonardo da Vinci'), context)).toMatchObject({ passed: true });
    expect(scorer.score(input('Da Vinci, Leonardo.', 'Leonardo da Vinci'), context)).toMatchObject({ passed: false });
  });

  test('a fixed value replaces the reference answer', () => {
    expect(createContains({ value: 'I cannot help' }).score(input('Sorry, I cannot help with that.'), context)).toMatchObject({
      passed: true,
    });
  });

  test('normalize: false is a case-sensitive substring test', () => {
    const raw = createContains({ normalize: false });
    expect(raw.score(input('xxABCxx', 'ABC'), context)).toMatchObject({ passed: true });
    expect(raw.score(input('xxabcxx', 'ABC'), context)).toMatchObject({ passed: false });
  });
});

describe('regex', () => {
  test('passes when the pattern matches, honouring flags', () => {
    const scorer = createRegexMatch({ pattern: '^answer: \\d+$', flags: 'im' });
    expect(scorer.score(input('Working...\nANSWER: 42'), context)).toMatchObject({ passed: true });
    expect(scorer.score(input('answer: forty-two'), context)).toMatchObject({
      passed: false,
      reason: '"answer: forty-two" does not match /^answer: \\d+$/im',
    });
  });

  test('a global flag does not carry state between outputs', () => {
    const scorer = createRegexMatch({ pattern: 'a', flags: 'g' });
    expect([scorer.score(input('a'), context), scorer.score(input('a'), context)]).toEqual([
      { value: 1, passed: true },
      { value: 1, passed: true },
    ]);
  });

  test('an invalid pattern is a config error at creation', () => {
    expect(() => createRegexMatch({ pattern: '(unclosed' }, 'scorers[2]')).toThrow(
      /^scorers\[2\]\.pattern: invalid regular expression \/\(unclosed\/ \(/,
    );
  });

  test('a missing pattern is a config error naming the option', () => {
    expect(() => createRegexMatch({}, 'scorers[1]')).toThrow(
      new ConfigError(['scorers[1].pattern: expected a regular expression source string, got nothing']),
    );
  });
});

describe('token-f1', () => {
  test('computes SQuAD F1 with multiplicity', () => {
    expect(tokenF1(['a', 'b', 'c'], ['a', 'b', 'c'])).toBe(1);
    expect(tokenF1(['x'], ['a'])).toBe(0);
    // common = 2 (b, c): precision 2/4, recall 2/3 → F1 = 4/7
    expect(tokenF1(['b', 'c', 'd', 'e'], ['b', 'c', 'f'])).toBeCloseTo(4 / 7, 10);
    expect(tokenF1(['a', 'a'], ['a'])).toBeCloseTo(2 / 3, 10);
  });

  test('passes at the default threshold of 0.5', () => {
    const scorer = createTokenF1();
    expect(scorer.score(input('The Treaty of Versailles', 'Treaty of Versailles'), context)).toEqual({ value: 1, passed: true });
    expect(scorer.score(input('Versailles treaty signed 1919 in France', 'Treaty of Versailles'), context)).toMatchObject({
      passed: false,
    });
  });

  test('a custom threshold changes passed, not the value', () => {
    const score = createTokenF1({ threshold: 0.2 }).score(
      input('Versailles treaty signed 1919 in France', 'Treaty of Versailles'),
      context,
    );
    expect(score).toMatchObject({ passed: true });
  });
});
