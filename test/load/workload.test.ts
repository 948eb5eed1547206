/** Synthetic prompts: exact o200k token counts, a spread that stays in range, no shared prefix. */
import { describe, expect, test } from 'vitest';
import { countTokens } from '../../src/providers/count-tokens.ts';
import { datasetWorkload, syntheticWorkload } from '../../src/run/load-workload.ts';

describe('synthetic workload', () => {
  test('every prompt has exactly the requested number of tokens and its own opening', () => {
    const w = syntheticWorkload({ inputTokens: 1000, outputTokens: 200, seed: 1 });
    const seqs = [0, 1, 9, 10, 99, 12_345, 3_000_007];
    const prompts = seqs.map((seq) => w.next(seq).messages[0]!.content);
    for (const p of prompts) expect(countTokens(p)).toBe(1000);
    expect(new Set(prompts.map((p) => p.slice(0, 24))).size).toBe(seqs.length);
  });

  test('a spread varies the length within ±spread, reproducibly', () => {
    const w = syntheticWorkload({ inputTokens: 500, spread: 0.2, seed: 'x' });
    const lengths = Array.from({ length: 40 }, (_, i) => countTokens(w.next(i).messages[0]!.content));
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(400);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(600);
    expect(new Set(lengths).size).toBeGreaterThan(10);
    expect(countTokens(syntheticWorkload({ inputTokens: 500, spread: 0.2, seed: 'x' }).next(7).messages[0]!.content)).toBe(lengths[7]);
    expect(() => syntheticWorkload({ inputTokens: 500, spread: 1.5, seed: 1 })).toThrow('--spread: expected a fraction in [0, 1), got 1.5');
  });

  test('a dataset workload cycles its prompts', () => {
    const inputs = [{ messages: [{ role: 'user' as const, content: 'a' }] }, { messages: [{ role: 'user' as const, content: 'b' }] }];
    const w = datasetWorkload('qa.csv', inputs);
    expect([0, 1, 2, 3].map((i) => w.next(i).messages[0]!.content)).toEqual(['a', 'b', 'a', 'b']);
    expect(() => datasetWorkload('empty.csv', [])).toThrow('empty.csv: the dataset has no rows to send');
  });
});
