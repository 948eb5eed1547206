import { expect, test } from 'vitest';
import { formatMs, formatNumber, formatPercent, formatPoints, formatPValue, formatSigned, formatUsd } from '../../src/report/format.ts';

test('formatPercent gives one decimal and a dash for missing values', () => {
  expect(formatPercent(0.8125)).toBe('81.3%');
  expect(formatPercent(null)).toBe('—');
});

test('formatPoints signs differences in percentage points, without "-0.0"', () => {
  expect(formatPoints(0.061)).toBe('+6.1 pp');
  expect(formatPoints(-0.2)).toBe('-20.0 pp');
  expect(formatPoints(-0.0001)).toBe('0.0 pp');
});

test('formatSigned signs plain differences', () => {
  expect(formatSigned(0.0412)).toBe('+0.041');
  expect(formatSigned(-0.0001)).toBe('0.000');
});

test('formatMs picks a readable unit', () => {
  expect(formatMs(0.42)).toBe('0.42 ms');
  expect(formatMs(87.3)).toBe('87 ms');
  expect(formatMs(1534)).toBe('1.53 s');
  expect(formatMs(12_345)).toBe('12.3 s');
});

test('formatNumber groups thousands independently of the machine locale', () => {
  expect(formatNumber(1_234_567)).toBe('1,234,567');
  expect(formatNumber(-1234.5, 1)).toBe('-1,234.5');
});

test('formatUsd keeps three significant digits below a dollar', () => {
  expect(formatUsd(0.000123456)).toBe('$0.000123');
  expect(formatUsd(12.5)).toBe('$12.50');
  expect(formatUsd(null)).toBe('—');
});

test('formatPValue states the relation', () => {
  expect(formatPValue(0.0654)).toBe('= 0.065');
  expect(formatPValue(0.0004)).toBe('< 0.001');
});
