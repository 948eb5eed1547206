/** The fold's compact storage: numeric columns, the shared cell numbering and the pair table. */
import { expect, test } from 'vitest';
import { CellIndex } from '../../src/report/cell-index.ts';
import { IntTable, NumberColumn } from '../../src/report/columns.ts';
import { PairTable } from '../../src/report/pair-table.ts';

test('a column gives back exactly what was pushed: integers, then fractions, NaN, ±Infinity, −0 and large numbers', () => {
  const column = new NumberColumn();
  const values: number[] = [];
  for (let i = 0; i < 1000; i++) values.push(i * 7 - 300);
  values.push(0.1, 2 ** 31, -(2 ** 31), 1_763_200_000_042.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0);
  for (let i = 0; i < 500; i++) values.push(i / 3);
  for (const v of values) column.push(v);
  expect(column.length).toBe(values.length);
  expect([...column.view()]).toEqual(values);
  expect(Object.is(column.at(values.length - 502), -0)).toBe(true);
  column.set(3, 1.5);
  expect(column.at(3)).toBe(1.5);
});

test('a column stores in the narrowest width that holds every value so far (1, 2, 4 then 8 bytes)', () => {
  const column = new NumberColumn();
  const values: number[] = [];
  const expectWidth = (width: number) => expect(column.view().BYTES_PER_ELEMENT).toBe(width);
  for (let i = -128; i < 128; i++) values.push(i);
  for (const v of values) column.push(v);
  expectWidth(1);
  column.push(128);
  values.push(128);
  expectWidth(2);
  column.set(0, -32_768);
  values[0] = -32_768;
  expectWidth(2);
  column.push(32_768);
  values.push(32_768);
  expectWidth(4);
  column.push(2 ** 31);
  values.push(2 ** 31);
  expectWidth(8);
  expect([...column.view()]).toEqual(values);
  const flags = new NumberColumn();
  flags.push(1);
  flags.set(0, -0);
  expect(Object.is(flags.at(0), -0)).toBe(true);
});

test('an integer column switches to doubles when a set value is not a 32-bit integer', () => {
  const column = new NumberColumn();
  for (let i = 0; i < 10; i++) column.push(i);
  column.set(9, -0);
  column.set(0, 0.25);
  expect([...column.view()]).toEqual([0.25, 1, 2, 3, 4, 5, 6, 7, 8, -0]);
  expect(Object.is(column.at(9), -0)).toBe(true);
});

test('an int table reads 0 where never set and grows to any index', () => {
  const table = new IntTable();
  table.set(100_000, 7);
  expect(table.get(100_000)).toBe(7);
  expect(table.get(99_999)).toBe(0);
  expect(table.get(5_000_000)).toBe(0);
});

test('pair tables share one cell numbering; entries keep first-seen order and a later record replaces in place', () => {
  const cells = new CellIndex();
  const a = new PairTable(cells);
  const b = new PairTable(cells);
  b.set({ rowId: 'r2', repeat: 0 }, true, 1);
  a.set({ rowId: 'r1', repeat: 0 }, true, 1);
  a.set({ rowId: 'r2', repeat: 0 }, false, null);
  a.set({ rowId: 'r1', repeat: 1 }, null, 0.5);
  a.set({ rowId: 'r1', repeat: 0 }, false, -0);
  expect([...a]).toEqual([
    ['r1|0', { rowId: 'r1', row: 1, passed: false, score: -0 }],
    ['r2|0', { rowId: 'r2', row: 0, passed: false, score: null }],
    ['r1|1', { rowId: 'r1', row: 1, passed: null, score: 0.5 }],
  ]); // rows numbered in first-seen order across tables: r2 came first (in b)
  expect(Object.is(a.get('r1|0')?.score, -0)).toBe(true);
  expect([...a.values()].map((e) => e.rowId)).toEqual(['r1', 'r2', 'r1']);
  expect(a.size).toBe(3);
  expect(b.size).toBe(1);
  expect(b.get('r1|0')).toBeUndefined();
  expect(b.get('r2|0')).toEqual({ rowId: 'r2', row: 0, passed: true, score: 1 });
  expect(b.has({ rowId: 'r2', repeat: 0 })).toBe(true);
  expect(b.has({ rowId: 'r1', repeat: 1 })).toBe(false);
  expect(a.get('r9|0')).toBeUndefined();
});

test('cells are found by key even when the row id holds a bar, and a malformed key finds nothing', () => {
  const cells = new CellIndex();
  const piped = cells.cell({ rowId: 'a|b', repeat: 2 });
  const plain = cells.cell({ rowId: 'a', repeat: 0 });
  expect(cells.cell({ rowId: 'a|b', repeat: 2 })).toBe(piped);
  expect(cells.size).toBe(2);
  expect(cells.key(piped)).toBe('a|b|2');
  expect(cells.byKey('a|b|2')).toBe(piped);
  expect(cells.byKey('a|0')).toBe(plain);
  expect(cells.byKey('a|00')).toBeUndefined();
  expect(cells.byKey('a|b')).toBeUndefined();
  expect(cells.byKey('a')).toBeUndefined();
  expect(cells.find({ rowId: 'a', repeat: 1 })).toBeUndefined();
  expect(cells.rowId(piped)).toBe('a|b');
});
