/**
 * Load profiles (guidellm's vocabulary): what sequence of steps a target is measured with. Pure: the
 * sweep and goodput rates depend on measured floor and saturation rates, which the caller passes in.
 */
import { UsageError } from '../errors.ts';
import type { Slo } from './duration.ts';

export type Arrivals = 'constant' | 'poisson';

/** One measured step. Closed loop (`synchronous`, `concurrency`) or open loop (`rate`). */
export interface StepSpec {
  readonly label: string;
  readonly mode: 'synchronous' | 'concurrency' | 'rate';
  /** Requests in flight (closed loop). */
  readonly concurrency?: number;
  /** Offered requests per second (open loop). */
  readonly rate?: number;
  readonly arrivals?: Arrivals;
  /** What the step is for: the report marks the floor, the saturation point and the goodput probes. */
  readonly role: 'warmup' | 'fixed' | 'floor' | 'saturation' | 'sweep' | 'search';
}

export type ProfileSpec =
  | { readonly kind: 'synchronous' }
  | { readonly kind: 'concurrency'; readonly levels: readonly number[] }
  | { readonly kind: 'rate'; readonly rates: readonly number[] }
  | { readonly kind: 'sweep'; readonly steps: number }
  | {
      readonly kind: 'goodput';
      readonly steps: number;
      readonly slo: Slo;
      readonly range?: { readonly min: number; readonly max: number };
    };

/**
 * `synchronous`, `concurrency 8,16`, `rate 5,10`, `sweep`, `goodput` (values may follow after a space,
 * `:` or `=`, or come from `values`, e.g. `--rate 5`).
 */
export function parseProfile(
  text: string,
  options: { values?: readonly number[]; steps: number; slo?: Slo; range?: { min: number; max: number } },
): ProfileSpec {
  const [kind = '', ...rest] = text.trim().split(/[\s:=]+/);
  const inline = rest.join(',').split(',').filter(Boolean).map(Number);
  const values = inline.length ? inline : [...(options.values ?? [])];
  const positive = (what: string, integer: boolean) => {
    if (values.length === 0)
      throw new UsageError(`--profile ${kind}: name at least one ${what}, e.g. --profile "${kind} ${integer ? 8 : 10}"`);
    for (const v of values)
      if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v)))
        throw new UsageError(`--profile ${kind}: expected ${integer ? 'whole numbers ≥ 1' : 'rates > 0'}, got ${JSON.stringify(text)}`);
    return values;
  };
  if (!Number.isInteger(options.steps) || options.steps < 1)
    throw new UsageError(`--steps: expected a whole number ≥ 1, got ${options.steps}`);
  switch (kind) {
    case 'synchronous':
      return { kind };
    case 'concurrency':
      return { kind, levels: positive('concurrency level', true) };
    case 'rate':
      return { kind, rates: positive('rate in requests per second', false) };
    case 'sweep':
      if (options.steps < 3) throw new UsageError('--steps: a sweep needs at least 3 steps (floor, saturation and one rate)');
      return { kind, steps: options.steps };
    case 'goodput':
      if (!options.slo) throw new UsageError('--profile goodput needs --slo, e.g. --slo ttft=500ms,e2e=2s,p=99');
      return { kind, steps: options.steps, slo: options.slo, ...(options.range ? { range: options.range } : {}) };
    default:
      throw new UsageError(`--profile: expected synchronous, concurrency N, rate R, sweep or goodput, got ${JSON.stringify(text)}`);
  }
}

/** Steps known before anything is measured. Sweep and goodput start with these, then ask for more. */
export function initialSteps(profile: ProfileSpec, options: { arrivals: Arrivals; saturationConcurrency: number }): StepSpec[] {
  switch (profile.kind) {
    case 'synchronous':
      return [synchronousStep('fixed')];
    case 'concurrency':
      return profile.levels.map((n) => ({ label: `concurrency ${n}`, mode: 'concurrency', concurrency: n, role: 'fixed' }));
    case 'rate':
      return profile.rates.map((r) => rateStep(r, options.arrivals, 'fixed'));
    case 'goodput':
      // Without a given range, floor and saturation are measured first, as for a sweep.
      return profile.range ? [] : sweepStartSteps(options.saturationConcurrency);
    case 'sweep':
      return sweepStartSteps(options.saturationConcurrency);
  }
}

function sweepStartSteps(saturationConcurrency: number): StepSpec[] {
  return [
    synchronousStep('floor'),
    {
      label: `throughput (concurrency ${saturationConcurrency})`,
      mode: 'concurrency',
      concurrency: saturationConcurrency,
      role: 'saturation',
    },
  ];
}

/**
 * `count` rates evenly spaced above `floor` up to and including `ceiling` (guidellm's interpolated
 * sweep). A ceiling at or below the floor (a quota tighter than one request at a time) spaces them
 * from 0 instead, so no rate exceeds the ceiling.
 */
export function spacedRates(floor: number, ceiling: number, count: number): number[] {
  const high = Math.max(0, ceiling);
  const low = floor < high ? Math.max(0, floor) : 0;
  return Array.from({ length: count }, (_, i) => roundRate(low + ((high - low) * (i + 1)) / count));
}

export function rateStep(rate: number, arrivals: Arrivals, role: StepSpec['role']): StepSpec {
  return { label: `rate ${rate} req/s${arrivals === 'poisson' ? ' (Poisson)' : ''}`, mode: 'rate', rate, arrivals, role };
}

export function synchronousStep(role: StepSpec['role']): StepSpec {
  return { label: 'synchronous', mode: 'synchronous', concurrency: 1, role };
}

/** Three significant decimals: rates in reports and step labels stay readable. */
export function roundRate(rate: number): number {
  return Math.round(rate * 1000) / 1000;
}
