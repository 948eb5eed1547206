/** Descriptive statistics of a sample: what every latency and token table shows next to percentiles. */

export interface Description {
  readonly count: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1 denominator); 0 for a single value. */
  readonly stddev: number;
  readonly min: number;
  readonly max: number;
}

/** Mean, sample standard deviation, min and max; `null` for an empty sample. Welford's update keeps it stable. */
export function describe(values: ArrayLike<number>): Description | null {
  const n = values.length;
  if (n === 0) return null;
  let mean = 0;
  let m2 = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const x = values[i] as number;
    const delta = x - mean;
    mean += delta / (i + 1);
    m2 += delta * (x - mean);
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { count: n, mean, stddev: n > 1 ? Math.sqrt(m2 / (n - 1)) : 0, min, max };
}
