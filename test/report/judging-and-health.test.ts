/**
 * Figures that must mean what their label says, worked out by hand from small journals: judge calls
 * are the judge's (never the candidate's), unscored answers are outside accuracy, cut-off and empty
 * answers are counted and warned about, waits are split into queue and retry, and 429 pauses are
 * attributed to the deployment and target that were paused.
 */
import { describe, expect, test } from 'vitest';
import { createSummaryBuilder } from '../../src/report/summarize.ts';
import { renderConsole } from '../../src/report/render-console.ts';
import { renderMarkdown } from '../../src/report/render-markdown.ts';
import type { JournalRecord, ResultOk } from '../../src/types.ts';
import { attempt, ok, runEnd, runStart, T0, target } from './records.ts';

const PRICE = { input: 1, output: 2 }; // USD per 1M tokens

function summarize(records: JournalRecord[]) {
  const b = createSummaryBuilder({ resamples: 20 });
  for (const r of records) b.add(r);
  return b.finish();
}

const judgeUsage = { promptTokens: 1000, completionTokens: 10, reasoningTokens: 0, cachedTokens: 0 };

describe('judging', () => {
  const records: JournalRecord[] = [
    runStart([target('cand', PRICE)], { judges: [target('judge', { input: 10, output: 20 })], pass: 'any' }),
    attempt('cand', 'ok', T0, 100, {
      key: 'r1|cand|0',
      usage: { promptTokens: 10, completionTokens: 5, reasoningTokens: 0, cachedTokens: 0 },
    }),
    attempt('judge', 'server', T0 + 100, 50, { key: 'judge|judge|r1|cand|0', role: 'judge', judged: 'r1|cand|0' }),
    attempt('judge', 'ok', T0 + 200, 50, {
      key: 'judge|judge|r1|cand|0',
      role: 'judge',
      judged: 'r1|cand|0',
      attempt: 2,
      usage: judgeUsage,
    }),
    attempt('judge', 'ok', T0 + 300, 0, {
      key: 'judge|judge|r2|cand|0',
      role: 'judge',
      judged: 'r2|cand|0',
      usage: judgeUsage,
      cached: true,
    }),
    ok({ target: 'cand', row: 'r1' }),
    runEnd(),
  ];
  const summary = summarize(records);

  test("judge attempts, tokens and cost are reported apart and never as the candidate's", () => {
    expect(summary.targets.map((t) => t.target)).toEqual(['cand']); // the judge is not a compared target
    const cand = summary.targets[0]!;
    expect(cand.retries.attempts).toBe(1);
    expect(cand.tokens.total).toEqual({ prompt: 10, completion: 5, reasoning: 0, cached: 0 });
    expect(cand.cost!.total).toBeCloseTo((10 * 1 + 5 * 2) / 1e6, 15);
    expect(summary.judging).toEqual({
      targets: [
        {
          target: 'judge',
          attempts: 2,
          ok: 1,
          failed: 1,
          cached: 1,
          tokens: { prompt: 1000, completion: 10, reasoning: 0, cached: 0 },
          cost: (1000 * 10 + 10 * 20) / 1e6,
        },
      ],
      attempts: 2,
      cached: 1,
      tokens: { prompt: 1000, completion: 10, reasoning: 0, cached: 0 },
      cost: (1000 * 10 + 10 * 20) / 1e6,
    });
    expect(summary.totalCost).toBeCloseTo(cand.cost!.total + summary.judging!.cost!, 15);
    expect(summary.warnings).toEqual([]); // the failed judge attempt was retried: nothing is unscored
  });

  test('judge failures that left cells unscored are named', () => {
    const unscoredCell: ResultOk = {
      ...ok({ target: 'cand', row: 'r2', passed: false }),
      scores: [{ scorer: 'llm-judge', status: 'error', error: 'judge call failed (fatal): 401' }],
      scoring: 'unscored',
    };
    const withUnscored = summarize([...records.slice(0, -1), unscoredCell, runEnd()]);
    expect(withUnscored.warnings).toEqual([
      "judge judge: 1 of 2 attempts failed; a cell whose grading failed is unscored, not failed (see the journal's judge attempts for the cause).",
      'cand: 1 answer unscored (a scorer or judge errored); accuracy is over the 1 scored.',
    ]);
  });

  test('every text report has the Judging line and names the pass rule', () => {
    const consoleText = renderConsole(summary).join('\n');
    expect(consoleText).toMatch(/Judging: 2 attempts \(judge\), 1 cached verdicts · tokens 1,000 \/ 10 · cost \$0\.0102/);
    expect(consoleText).toMatch(/run total \$0\.0102\d* \(targets \+ judging\)/);
    expect(consoleText).toContain('pass rule: any');
    const markdown = renderMarkdown(summary);
    expect(markdown).toMatch(/Judging: 2 attempts/);
    expect(markdown).toContain('### Judging');
    expect(markdown).toContain('pass rule `any`');
  });

  test('a run without judges has no Judging line', () => {
    const plain = summarize([runStart([target('cand')]), ok({ target: 'cand', row: 'r1' }), runEnd()]);
    expect(plain.judging).toBeNull();
    expect(plain.pass).toBe('all');
    expect(renderConsole(plain).join('\n')).not.toContain('Judging');
  });
});

describe('unscored answers', () => {
  const unscored = (row: string): ResultOk => ({
    ...ok({ target: 'a', row, passed: false }),
    scores: [{ scorer: 'exact', status: 'error', error: 'judge call failed (exhausted): 503' }],
    scoring: 'unscored',
  });

  test('are neither passes nor failures: accuracy is over scored cells, the count is beside it', () => {
    const summary = summarize([
      runStart([target('a')]),
      ok({ target: 'a', row: 'r1' }),
      ok({ target: 'a', row: 'r2', passed: false }),
      unscored('r3'),
      unscored('r4'),
      runEnd(),
    ]);
    const a = summary.targets[0]!;
    expect(a.accuracy).toMatchObject({ passed: 1, scored: 2, rate: 0.5 });
    expect(a.unscored).toBe(2);
    expect(a.failed).toBe(0);
    expect(summary.warnings).toContain('a: 2 answers unscored (a scorer or judge errored); accuracy is over the 2 scored.');
  });
});

describe('cut-off and empty answers', () => {
  const cut = (row: string): ResultOk => ({ ...ok({ target: 'a', row }), finishReason: 'length' });
  const empty = (row: string): ResultOk => ({ ...ok({ target: 'a', row }), output: '  ' });

  test('are counted per target and warned about above 2%, naming the target and its limit', () => {
    const records: JournalRecord[] = [runStart([{ ...target('a'), maxOutputTokens: 16 }, target('b')])];
    for (let i = 0; i < 47; i++) records.push(ok({ target: 'a', row: `r${i}` }), ok({ target: 'b', row: `r${i}` }));
    records.push(cut('r47'), empty('r48'), ok({ target: 'a', row: 'r49' }));
    for (let i = 47; i < 50; i++) records.push(ok({ target: 'b', row: `r${i}` }));
    records.push(runEnd());
    const summary = summarize(records);
    expect(summary.targets.map((t) => [t.target, t.truncated, t.empty])).toEqual([
      ['a', 1, 1],
      ['b', 0, 0],
    ]);
    expect(summary.warnings).toEqual([
      'a: 2 of 50 answers (4.0%) were cut off by the token limit (1) or empty (1); try a larger maxOutputTokens (now 16).',
    ]);
  });

  test('at 2% or less there is no warning', () => {
    const records: JournalRecord[] = [runStart([target('a')])];
    for (let i = 0; i < 49; i++) records.push(ok({ target: 'a', row: `r${i}` }));
    records.push(cut('r49'), runEnd());
    const summary = summarize(records);
    expect(summary.targets[0]!.truncated).toBe(1);
    expect(summary.warnings).toEqual([]);
  });
});

describe('waits and pauses', () => {
  test('queue wait (before the first send), retry wait (between attempts), service time and time in system', () => {
    const key = 'r1|a|0';
    const records: JournalRecord[] = [
      runStart([target('a')]),
      attempt('a', 'quota', T0 + 800, 20, { key, waitedBeforeMs: 800, rate: { retryAfterMs: 1000 } }),
      attempt('a', 'ok', T0 + 1900, 100, { key, attempt: 2, waitedBeforeMs: 1080 }),
      { ...ok({ target: 'a', row: 'r1', startedAt: T0 + 1900, e2e: 100 }), attempts: 2, durationMs: 2000 },
      runEnd(),
    ];
    const a = summarize(records).targets[0]!;
    expect(a.latency.queue!.mean).toBe(800);
    expect(a.latency.retryWait!.mean).toBe(1080);
    expect(a.latency.e2e!.mean).toBe(100); // service time: the final attempt
    expect(a.latency.logical!.mean).toBe(2000); // time in system = 800 + (20 + 1080) + 100
    expect(a.retries).toMatchObject({ queueWaitMs: 800, retryWaitMs: 1080, waitedMs: 1880 });
    expect(a.pausedMs).toBe(1000);
    expect(a.byDeployment[0]!.pausedMs).toBe(1000);
  });

  test("pauses are per deployment; a target counts the union of its deployments' overlapping pauses", () => {
    const info = {
      name: 'p',
      api: 'chat' as const,
      deployments: [
        { id: 'p/east', baseURL: 'http://127.0.0.1:1/', deployment: 'p' },
        { id: 'p/west', baseURL: 'http://127.0.0.1:1/', deployment: 'p' },
      ],
    };
    const summary = summarize([
      runStart([info, target('q')]),
      // east: [T0+100, T0+1100] and [T0+600, T0+1600] overlap → 1500 ms; west: [T0+1000, T0+1500] inside east's.
      attempt('p', 'quota', T0, 100, { deploymentId: 'p/east', rate: { retryAfterMs: 1000 } }),
      attempt('p', 'quota', T0 + 500, 100, { deploymentId: 'p/east', rate: { retryAfterMs: 1000 } }),
      attempt('p', 'quota', T0 + 900, 100, { deploymentId: 'p/west', rate: { retryAfterMs: 500 } }),
      attempt('p', 'quota', T0 + 2000, 0, { deploymentId: 'p/west' }), // no hint: the journal cannot know the pause
      attempt('q', 'ok', T0, 100),
      runEnd(),
    ]);
    const [p, q] = summary.targets;
    expect(p!.byDeployment.map((d) => [d.id, d.pausedMs])).toEqual([
      ['p/east', 1500],
      ['p/west', 500],
    ]);
    expect(p!.pausedMs).toBe(1500);
    expect(q!.pausedMs).toBe(0);
    expect(renderConsole(summary).join('\n')).toContain('(p 1.50 s, q 0.00 ms)');
  });
});

describe('run total cost', () => {
  test('is unknown when a target or judge has no price (a partial sum would understate the run)', () => {
    const unpricedJudge = summarize([
      runStart([target('cand', PRICE)], { judges: [target('judge')] }),
      attempt('judge', 'ok', T0, 50, { key: 'judge|judge|r1|cand|0', role: 'judge', usage: judgeUsage }),
      ok({ target: 'cand', row: 'r1' }),
      runEnd(),
    ]);
    expect(unpricedJudge.judging!.cost).toBeNull();
    expect(unpricedJudge.totalCost).toBeNull();
    const pricedNoJudge = summarize([runStart([target('cand', PRICE)]), ok({ target: 'cand', row: 'r1' }), runEnd()]);
    expect(pricedNoJudge.totalCost).toBeCloseTo(20 / 1e6, 15);
  });
});
