/**
 * The small grammars of the load command's flags: durations (`20s`, `500ms`, `2m`), the SLO
 * (`ttft=500ms,e2e=2s,p=99`) and profile arguments. Mistakes are one-line UsageErrors naming the flag.
 */
import { UsageError } from '../errors.ts';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `20s`, `1.5s`, `500ms`, `2m`, or a bare number of seconds. @returns milliseconds */
export function parseDurationMs(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(text);
  const value = match ? Number(match[1]) * (UNIT_MS[(match[2] ?? 's').toLowerCase()] ?? Number.NaN) : Number.NaN;
  if (!Number.isFinite(value) || value <= 0)
    throw new UsageError(`${flag}: expected a duration such as 20s, 500ms or 2m, got ${JSON.stringify(text)}`);
  return value;
}

/** A latency objective: each bound applies to the p-th percentile of a step. */
export interface Slo {
  readonly ttftMs?: number;
  readonly e2eMs?: number;
  /** Percentile the bounds apply to, e.g. 99. */
  readonly percentile: number;
}

/** `ttft=500ms,e2e=2s,p=99` (any subset of ttft/e2e, p defaults to 99). */
export function parseSlo(text: string): Slo {
  const slo: { ttftMs?: number; e2eMs?: number; percentile: number } = { percentile: 99 };
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [key, value] = part.split('=').map((s) => s.trim());
    if (!key || value === undefined || value === '')
      throw new UsageError(`--slo: expected key=value pairs such as ttft=500ms,e2e=2s,p=99, got ${JSON.stringify(part)}`);
    if (key === 'ttft') slo.ttftMs = parseDurationMs(value, '--slo ttft');
    else if (key === 'e2e') slo.e2eMs = parseDurationMs(value, '--slo e2e');
    else if (key === 'p') {
      const p = Number(value);
      if (!Number.isFinite(p) || p <= 0 || p >= 100)
        throw new UsageError(`--slo p: expected a percentile between 0 and 100 (exclusive), got ${JSON.stringify(value)}`);
      slo.percentile = p;
    } else throw new UsageError(`--slo: unknown key ${JSON.stringify(key)}; expected ttft, e2e or p`);
  }
  if (slo.ttftMs === undefined && slo.e2eMs === undefined)
    throw new UsageError('--slo: name at least one bound, e.g. ttft=500ms or e2e=2s');
  return slo;
}
