/**
 * Quota check before an open-loop step: a rate that would exceed a deployment's known RPM or TPM is
 * flagged before it starts, since the step would measure Azure's 429s rather than the deployment.
 */

export interface KnownQuota {
  readonly rpm?: number;
  readonly tpm?: number;
}

/**
 * @param costPerRequest Azure's admission estimate of one request (prompt estimate + max_tokens)
 * @returns a one-line reason when `rate` req/s exceeds the quota, else undefined
 */
export function quotaProblem(rate: number, costPerRequest: number, quota: KnownQuota): string | undefined {
  const rpm = rate * 60;
  if (quota.rpm !== undefined && rpm > quota.rpm) return `${round(rpm)} requests/min exceeds the deployment's ${quota.rpm} RPM`;
  const tpm = rpm * costPerRequest;
  if (quota.tpm !== undefined && tpm > quota.tpm)
    return `${round(tpm)} tokens/min (estimated ${costPerRequest} per request) exceeds the deployment's ${quota.tpm} TPM`;
  return undefined;
}

/**
 * The highest open-loop rate a quota sustains, with a 10 % margin (the 60 s token window still holds
 * earlier steps' tokens): min(RPM / 60, TPM / 60 / cost) × 0.9. Undefined when no quota is known.
 * @returns requests per second
 */
export function sustainableRate(quota: KnownQuota, costPerRequest: number): number | undefined {
  const limits = [
    quota.rpm === undefined ? Infinity : quota.rpm / 60,
    quota.tpm === undefined ? Infinity : quota.tpm / 60 / Math.max(1, costPerRequest),
  ];
  const rate = Math.min(...limits);
  return Number.isFinite(rate) ? rate * QUOTA_MARGIN : undefined;
}

const QUOTA_MARGIN = 0.9;

/** The tighter of two quotas, field by field (config hints and what the headers revealed). */
export function tighterQuota(a: KnownQuota, b: KnownQuota): KnownQuota {
  const min = (x?: number, y?: number) => (x === undefined ? y : y === undefined ? x : Math.min(x, y));
  const rpm = min(a.rpm, b.rpm);
  const tpm = min(a.tpm, b.tpm);
  return { ...(rpm === undefined ? {} : { rpm }), ...(tpm === undefined ? {} : { tpm }) };
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
