/**
 * LLM-as-judge end to end: a configured judge target grades every answer, its calls travel through
 * the scheduler to the emulator (whose simulated grader answers "SCORE: n"), and every result carries
 * a judge score next to the exact-match score.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { configSource, qaCsv, tempProject } from '../support/cli-harness.ts';

describe('llm-judge scorer', () => {
  test('grades every answer through the judge target and records its scores', async () => {
    const project = await tempProject();
    await project.write('qa.csv', qaCsv(20));
    await project.write(
      'eval.config.ts',
      configSource(`{
        scorers: ['exact-match', ['llm-judge', { target: 'judge' }]],
        emulator: { seed: 9, latencyScale: 0.01, deployments: [
          { name: 'candidate', model: 'gpt-4.1-nano', capacity: 1000, accuracy: 0.6 },
          { name: 'grader', model: 'gpt-4.1', capacity: 1000, accuracy: 1 },
        ] },
        targets: [
          { name: 'candidate', api: 'responses', maxOutputTokens: 16, deployments: [{ baseURL: 'emulator', deployment: 'candidate' }] },
          { name: 'judge', api: 'chat', maxOutputTokens: 64, deployments: [{ baseURL: 'emulator', deployment: 'grader' }] },
        ],
      }`),
    );
    const result = await project.run(['eval', '--dataset', 'qa.csv', '--targets', 'candidate', '--quiet']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    const journal = (await readFile(join(result.runDir!, 'journal.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const results = journal.filter((r: { kind: string }) => r.kind === 'result');
    expect(results).toHaveLength(20); // the judge is not itself a compared target
    for (const record of results) {
      const judge = record.scores.find((s: { scorer: string }) => s.scorer === 'llm-judge');
      const exact = record.scores.find((s: { scorer: string }) => s.scorer === 'exact-match');
      expect(judge.status).toBe('ok');
      // A perfectly reliable grader agrees with exact match on these numeric answers.
      expect(judge.passed).toBe(exact.passed);
    }
    expect(results.some((r: { passed: boolean }) => !r.passed)).toBe(true);
  });

  test('each llm-judge scorer is routed to the judge target it names', async () => {
    const project = await tempProject();
    await project.write('qa.csv', qaCsv(12));
    await project.write(
      'eval.config.ts',
      configSource(`{
        scorers: ['exact-match', ['llm-judge', { target: 'reliable', name: 'judge-reliable' }], ['llm-judge', { target: 'contrary', name: 'judge-contrary' }]],
        emulator: { seed: 9, latencyScale: 0.01, deployments: [
          { name: 'candidate', model: 'gpt-4.1-nano', capacity: 1000, accuracy: 0.5 },
          { name: 'good-grader', model: 'gpt-4.1', capacity: 1000, accuracy: 1 },
          { name: 'bad-grader', model: 'gpt-4.1', capacity: 1000, accuracy: 0 },
        ] },
        targets: [
          { name: 'candidate', api: 'responses', maxOutputTokens: 16, deployments: [{ baseURL: 'emulator', deployment: 'candidate' }] },
          { name: 'reliable', api: 'chat', maxOutputTokens: 64, deployments: [{ baseURL: 'emulator', deployment: 'good-grader' }] },
          { name: 'contrary', api: 'chat', maxOutputTokens: 64, deployments: [{ baseURL: 'emulator', deployment: 'bad-grader' }] },
        ],
      }`),
    );
    const result = await project.run(['eval', '--dataset', 'qa.csv', '--targets', 'candidate', '--quiet']);
    expect(result.code).toBe(0);
    const journal = (await readFile(join(result.runDir!, 'journal.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    for (const record of journal.filter((r: { kind: string }) => r.kind === 'result')) {
      const by = (name: string) => record.scores.find((s: { scorer: string }) => s.scorer === name);
      expect(by('judge-reliable').passed).toBe(by('exact-match').passed);
      expect(by('judge-contrary').passed).toBe(!by('exact-match').passed);
    }
  });
});
