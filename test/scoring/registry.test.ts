import { describe, expect, test } from 'vitest';
import { builtinScorerNames, createScorers, judgeTargetNames } from '../../src/scoring/registry.ts';
import { ConfigError } from '../../src/errors.ts';
import type { Scorer } from '../../src/types.ts';

const custom: Scorer = { name: 'length', score: ({ output }) => ({ value: output.length > 0 ? 1 : 0, passed: output.length > 0 }) };

describe('createScorers', () => {
  test('knows every builtin', () => {
    expect(builtinScorerNames).toEqual([
      'exact-match',
      'contains',
      'regex',
      'numeric',
      'token-f1',
      'json-valid',
      'json-schema',
      'llm-judge',
    ]);
  });

  test("accepts names, tuples, inline scorers and config/'s resolved form", () => {
    const scorers = createScorers([
      'exact-match',
      ['regex', { pattern: 'x' }],
      custom,
      { kind: 'builtin', name: 'numeric', options: { tolerance: 1 } },
      { kind: 'custom', scorer: { name: 'other', score: () => ({ value: 1, passed: true }) } },
    ]);
    expect(scorers.map((scorer) => scorer.name)).toEqual(['exact-match', 'regex', 'length', 'numeric', 'other']);
    expect(scorers[2]).toBe(custom);
  });

  test('reports every bad entry at once, each with its path', () => {
    let issues: readonly string[] = [];
    try {
      createScorers(['exact', ['regex', { pattern: '(' }], ['numeric', { tolerance: -1 }]]);
    } catch (error) {
      issues = (error as ConfigError).issues;
    }
    expect(issues).toHaveLength(3);
    expect(issues[0]).toBe(
      'scorers[0]: unknown scorer "exact" (did you mean "exact-match"?); builtin scorers are exact-match, contains, regex, numeric, token-f1, json-valid, json-schema, llm-judge',
    );
    expect(issues[1]).toMatch(/^scorers\[1\]\.pattern: invalid regular expression/);
    expect(issues[2]).toBe('scorers[2].tolerance: expected a number ≥ 0, got -1 (number)');
  });

  test('the name option renames a builtin so it can be used twice', () => {
    const scorers = createScorers([
      ['regex', { pattern: '^A' }],
      ['regex', { pattern: 'Z$', name: 'ends-with-z' }],
    ]);
    expect(scorers.map((scorer) => scorer.name)).toEqual(['regex', 'ends-with-z']);
  });

  test('two scorers with one name are refused (entries are keyed by name)', () => {
    expect(() => createScorers(['contains', 'contains'])).toThrow(ConfigError);
  });
});

describe('judgeTargetNames', () => {
  test('lists each judge target once', () => {
    expect(
      judgeTargetNames([
        'exact-match',
        ['llm-judge', { target: 'gpt-judge' }],
        { kind: 'builtin', name: 'llm-judge', options: { target: 'gpt-judge', rubric: 'x' } },
        custom,
      ]),
    ).toEqual(['gpt-judge']);
  });
});
