/**
 * Number formatting shared by the console, markdown and HTML views, so every view shows the same
 * digits. Pure and locale-independent (no toLocaleString: output must not depend on the machine).
 */
import type { Estimate, Interval } from './summary-types.ts';

/** "—" for values a run could not measure. */
export const MISSING = '—';

/** 0.8125 → "81.3%". */
export function formatPercent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value) ? MISSING : `${(value * 100).toFixed(digits)}%`;
}

/** A fraction difference as signed percentage points: 0.061 → "+6.1 pp". */
export function formatPoints(value: number, digits = 1): string {
  const text = (value * 100).toFixed(digits);
  return `${value > 0 && Number(text) !== 0 ? '+' : ''}${text === '-0.0' ? '0.0' : text} pp`;
}

/** A signed plain difference: 0.0412 → "+0.041". */
export function formatSigned(value: number, digits = 3): string {
  const text = value.toFixed(digits);
  return `${value > 0 && Number(text) !== 0 ? '+' : ''}${Number(text) === 0 ? (0).toFixed(digits) : text}`;
}

/** Milliseconds with sensible precision: 0.42 → "0.42 ms", 87.3 → "87 ms", 1534 → "1.53 s". */
export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (value >= 10) return `${value.toFixed(0)} ms`;
  return `${value.toFixed(2)} ms`;
}

/** Integers with thin grouping: 1234567 → "1,234,567"; fractions keep `digits`. */
export function formatNumber(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  const [whole = '0', fraction] = Math.abs(value).toFixed(digits).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${value < 0 ? '-' : ''}${grouped}${fraction ? `.${fraction}` : ''}`;
}

/** USD with enough digits for per-item costs: 0.000123 → "$0.000123", 12.5 → "$12.50". */
export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  if (value === 0) return '$0';
  if (Math.abs(value) >= 1) return `$${formatNumber(value, 2)}`;
  return `$${value.toPrecision(3)}`;
}

/** A p-value with its relation: "< 0.001" below a thousandth, else "= 0.065". */
export function formatPValue(value: number): string {
  return value < 0.001 ? '< 0.001' : `= ${value.toFixed(3)}`;
}

/** "[72.2%, 87.5%]" for a fraction interval. */
export function formatPercentInterval(ci: Interval | null): string {
  return ci ? `[${formatPercent(ci.low)}, ${formatPercent(ci.high)}]` : '';
}

/** "87 ms [80 ms, 95 ms]". */
export function formatMsEstimate(estimate: Estimate | undefined): string {
  if (!estimate) return MISSING;
  return estimate.ci
    ? `${formatMs(estimate.value)} [${formatMs(estimate.ci.low)}, ${formatMs(estimate.ci.high)}]`
    : formatMs(estimate.value);
}

/** Durations that may run to hours (batch turnaround): formatMs below a minute, then "4.2 min", "3 h 25 min". */
export function formatDuration(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value) || value < 60_000) return formatMs(value);
  if (value < 3_600_000) return `${(value / 60_000).toFixed(1)} min`;
  const minutes = Math.round(value / 60_000);
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
