import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/internal/rng.ts';
import { RowIdTable } from '../../src/report/row-id-table.ts';

describe('RowIdTable', () => {
  it('numbers ids in first-seen order and finds them again', () => {
    const table = new RowIdTable();
    expect(table.add('q-2')).toBe(0);
    expect(table.add('q-1')).toBe(1);
    expect(table.add('q-2')).toBe(0);
    expect(table.size).toBe(2);
    expect(table.find('q-1')).toBe(1);
    expect(table.find('q-3')).toBeUndefined();
    expect(table.find('q-')).toBeUndefined(); // a prefix of a stored id is another id
    expect(table.id(0)).toBe('q-2');
  });

  it('gives back every id exactly: empty, non-ASCII, surrogate pairs, a lone surrogate, longer than one rebuild chunk', () => {
    const ids = ['', 'a', 'ab', 'Zürich — 東京', 'row 😀 1', 'lone \ud800 surrogate', 'x'.repeat(20_000), `${'é'.repeat(9_000)}!`];
    const table = new RowIdTable();
    for (const id of ids) table.add(id);
    expect(ids.map((_, row) => table.id(row))).toEqual(ids);
    expect(ids.map((id) => table.find(id))).toEqual(ids.map((_, row) => row));
  });

  it('agrees with a Map over 60k random ids, duplicates included (several rehashes)', () => {
    const random = createRng(7);
    const oracle = new Map<string, number>();
    const table = new RowIdTable();
    for (let i = 0; i < 60_000; i++) {
      // short ids from a small alphabet collide in prefix and hash often; one in five repeats an earlier id
      const id = random() < 0.2 && i > 0 ? `r${Math.floor(random() * i)}` : `r${i}-${Math.floor(random() * 1e6).toString(36)}`;
      if (!oracle.has(id)) oracle.set(id, oracle.size);
      expect(table.add(id)).toBe(oracle.get(id));
    }
    expect(table.size).toBe(oracle.size);
    for (const [id, row] of oracle) {
      expect(table.find(id)).toBe(row);
      expect(table.id(row)).toBe(id);
    }
  });
});
