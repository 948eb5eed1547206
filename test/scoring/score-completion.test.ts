import { getEventListeners } from 'node:events';
import { describe, expect, test } from 'vitest';
import { scoreCompletion } from '../../src/scoring/score-completion.ts';
import { createExactMatch } from '../../src/scoring/exact-match.ts';
import { createLlmJudge } from '../../src/scoring/llm-judge.ts';
import { completion } from './score-input.ts';
import type { Scorer } from '../../src/types.ts';
import { context, input } from './score-input.ts';

const throwing: Scorer = {
  name: 'boom',
  score: () => {
    throw new Error('scorer bug');
  },
};
const rejecting: Scorer = { name: 'async-boom', score: async () => Promise.reject(new Error('judge down')) };
const hanging: Scorer = {
  name: 'slow',
  score: (_input, { signal }) =>
    new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted by signal')))),
};
const outOfRange: Scorer = { name: 'bad-value', score: () => ({ value: 2, passed: true }) };
const noPassed = { name: 'no-passed', score: () => ({ value: 1 }) } as unknown as Scorer;
const asyncOk: Scorer = { name: 'async-ok', score: async () => ({ value: 0.5, passed: true, reason: 'half' }) };

describe('scoreCompletion', () => {
  test("passes when every scorer passes; entries keep the scorers' order", async () => {
    const result = await scoreCompletion([createExactMatch(), asyncOk], input('Paris', 'Paris'), context);
    expect(result).toEqual({
      passed: true,
      unscored: false,
      entries: [
        { scorer: 'exact-match', status: 'ok', value: 1, passed: true },
        { scorer: 'async-ok', status: 'ok', value: 0.5, passed: true, reason: 'half' },
      ],
    });
  });

  test('one failing scorer fails the completion', async () => {
    expect((await scoreCompletion([createExactMatch(), asyncOk], input('Lyon', 'Paris'), context)).passed).toBe(false);
  });

  test('a throwing scorer becomes an error entry and leaves the completion unscored (not failed)', async () => {
    const result = await scoreCompletion([throwing, asyncOk], input('x'), context);
    expect(result.entries[0]).toEqual({ scorer: 'boom', status: 'error', error: 'scorer bug' });
    expect(result.entries[1]).toMatchObject({ status: 'ok' });
    expect(result).toMatchObject({ passed: false, unscored: true });
  });

  test('under "all", a known failure decides even when another scorer errored', async () => {
    expect(await scoreCompletion([throwing, createExactMatch()], input('Lyon', 'Paris'), context)).toMatchObject({
      passed: false,
      unscored: false,
    });
  });

  test("a judge scorer (names a judge target) is not timed: its judge calls queue behind the judge's quota", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const judgeScorer = {
      name: 'judge-like',
      target: 'judge',
      score: async () => {
        await gate;
        return { value: 1, passed: true };
      },
    } as Scorer;
    const pending = scoreCompletion([judgeScorer, hanging], input('x'), context, { timeoutMs: 5 });
    // Released by a timer registered after the 5 ms limit's, with a later expiry: timers fire in expiry
    // order, so the judge scorer has waited past the limit whatever the machine's load.
    setTimeout(release, 50);
    const result = await pending;
    expect(result.entries).toEqual([
      { scorer: 'judge-like', status: 'ok', value: 1, passed: true },
      { scorer: 'slow', status: 'error', error: 'timed out after 5 ms' },
    ]);
  });

  test('a rejecting async scorer becomes an error entry', async () => {
    expect((await scoreCompletion([rejecting], input('x'), context)).entries).toEqual([
      { scorer: 'async-boom', status: 'error', error: 'judge down' },
    ]);
  });

  test('a scorer past its time limit is aborted and recorded as timed out', async () => {
    const result = await scoreCompletion([hanging], input('x'), context, { timeoutMs: 20 });
    expect(result.entries).toEqual([{ scorer: 'slow', status: 'error', error: 'timed out after 20 ms' }]);
  });

  test("the run's abort signal stops pending scorers", async () => {
    const controller = new AbortController();
    const pending = scoreCompletion([hanging], input('x'), { signal: controller.signal });
    controller.abort(new Error('run aborted'));
    expect((await pending).entries[0]).toMatchObject({ status: 'error', error: 'run aborted' });
  });

  test("leaves no listener on the run's long-lived signal", async () => {
    const controller = new AbortController();
    for (let i = 0; i < 5; i++)
      await scoreCompletion([asyncOk, rejecting, createExactMatch()], input('Paris', 'Paris'), { signal: controller.signal });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  test('malformed scores are error entries', async () => {
    const result = await scoreCompletion([outOfRange, noPassed], input('x'), context);
    expect(result.entries.map((entry) => entry.status)).toEqual(['error', 'error']);
  });

  test('judgeFor routes each llm-judge scorer to its own target', async () => {
    const asked: string[] = [];
    const judgeFor = (target: string) => async () => {
      asked.push(target);
      return completion(target === 'strict' ? 'SCORE: 2' : 'SCORE: 9');
    };
    const scorers = [createLlmJudge({ target: 'strict' }), { ...createLlmJudge({ target: 'lenient' }), name: 'llm-judge-lenient' }];
    const result = await scoreCompletion(scorers, input('Paris', 'Paris'), context, { judgeFor });
    expect(asked.sort()).toEqual(['lenient', 'strict']);
    expect(result.entries.map((entry) => (entry.status === 'ok' ? entry.value : NaN))).toEqual([0.2, 0.9]);
  });

  test('no scorers: passed', async () => {
    expect(await scoreCompletion([], input('x'), context)).toEqual({ entries: [], passed: true, unscored: false });
  });
});

describe('pass rule', () => {
  const failing: Scorer = { name: 'never', score: () => ({ value: 0, passed: false }) };
  const passing: Scorer = { name: 'always', score: () => ({ value: 1, passed: true }) };
  const rule = (pass: string, scorers: Scorer[]) => scoreCompletion(scorers, input('x'), context, { pass });

  test("'all' needs every scorer, 'any' one of them", async () => {
    expect(await rule('all', [failing, passing])).toMatchObject({ passed: false, unscored: false });
    expect(await rule('any', [failing, passing])).toMatchObject({ passed: true, unscored: false });
    expect(await rule('any', [failing, failing])).toMatchObject({ passed: false, unscored: false });
  });

  test("'any': a pass decides despite an error; no pass and an error is unscored", async () => {
    expect(await rule('any', [throwing, passing])).toMatchObject({ passed: true, unscored: false });
    expect(await rule('any', [throwing, failing])).toMatchObject({ passed: false, unscored: true });
  });

  test('a scorer name: that scorer alone decides, the others are still reported', async () => {
    const result = await rule('always', [failing, passing]);
    expect(result).toMatchObject({ passed: true, unscored: false });
    expect(result.entries.map((e) => e.scorer)).toEqual(['never', 'always']);
    expect(await rule('never', [failing, passing])).toMatchObject({ passed: false, unscored: false });
    expect(await rule('boom', [throwing, passing])).toMatchObject({ passed: false, unscored: true });
  });
});
