/** The row explorer's capped sample: which rows survive the cap, and what a cell keeps for the drill-down. */
import { expect, test } from 'vitest';
import { createRowSampler } from '../../src/report/row-sample.ts';
import type { ResultRecord } from '../../src/types.ts';
import { failed, ok } from './records.ts';

const at = (r: ResultRecord, rowIndex: number): ResultRecord => ({ ...r, rowIndex });

test('keeps failures and disagreements first, then rows every target got wrong, then the rest', () => {
  const sampler = createRowSampler(2);
  for (let i = 0; i < 6; i++) {
    const row = `r${i}`;
    const [a, b] = i === 1 ? [false, false] : i === 4 ? [true, false] : [true, true];
    sampler.add(at(ok({ target: 'a', row, passed: a }), i));
    sampler.add(at(ok({ target: 'b', row, passed: b }), i));
  }
  expect(sampler.rows().map((r) => r.rowId)).toEqual(['r1', 'r4']);
});

test('a cell keeps every scorer’s verdict and reason, its finish reason, and a redacted error', () => {
  const sampler = createRowSampler();
  const answered = ok({ target: 'a', row: 'r1' });
  sampler.add({
    ...answered,
    status: 'ok',
    finishReason: 'length',
    scores: [
      { scorer: 'judge', status: 'ok', value: 0.4, passed: false, reason: 'misses the second half' },
      { scorer: 'regex', status: 'error', error: 'bad pattern' },
    ],
  } as ResultRecord);
  const broken = failed('b', 'r1');
  sampler.add({ ...broken, error: { ...broken.error, message: 'denied for Bearer abcdefgh12345678' } });
  const [row] = sampler.rows();
  expect(row!.cells.a).toMatchObject({
    finishReason: 'length',
    scoreDetails: [
      { scorer: 'judge', value: 0.4, passed: false, note: 'misses the second half' },
      { scorer: 'regex', value: null, passed: null, note: 'bad pattern' },
    ],
  });
  expect(row!.cells.b!.error).toBe('exhausted: denied for Bearer [redacted]');
});
