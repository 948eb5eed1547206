/**
 * Fault specifications (§13.4). A fault is active for a request when its deployment matches (or it has
 * none), emulated time is inside [fromMs, toMs) (ms since emulator start), at least `afterRequests`
 * requests were received by the deployment, `maxCount` is not used up, and a draw < `probability`.
 */

export type FaultKind =
  | 'capacity429' // high-demand 429 with retry-after-ms (not counted against quota)
  | 'overload429' // EngineOverloaded 429 without hints
  | 'server500'
  | 'unavailable503'
  | 'timeout408'
  | 'deploymentNotFound' // 404 DeploymentNotFound (a deployment "down")
  | 'connectionReset' // destroy the socket without answering
  | 'hang' // never answer until the client disconnects
  | 'malformedJson' // 200 with a broken JSON body
  | 'midStreamClose' // close the socket after `afterEvents` SSE events
  | 'streamError' // after `afterEvents` SSE events send an error event and end the stream
  | 'busy' // latency multiplier
  | 'limitReduction'; // temporary effectiveLimitFactor

export const faultKinds: readonly FaultKind[] = [
  'capacity429',
  'overload429',
  'server500',
  'unavailable503',
  'timeout408',
  'deploymentNotFound',
  'connectionReset',
  'hang',
  'malformedJson',
  'midStreamClose',
  'streamError',
  'busy',
  'limitReduction',
];

export interface FaultSpec {
  /** Assigned when added if missing. */
  id?: string;
  kind: FaultKind;
  /** Deployment name; omitted = every deployment. */
  deployment?: string;
  /** Per-request probability when otherwise active. Default 1. */
  probability?: number;
  /** Emulated ms since start (inclusive) … (exclusive). */
  fromMs?: number;
  toMs?: number;
  /** Active only once the deployment has received more than this many requests. */
  afterRequests?: number;
  /** Fire at most this many times. */
  maxCount?: number;
  /** midStreamClose / streamError: SSE events written before the fault. Default 3. */
  afterEvents?: number;
  /** busy: latency multiplier. Default 3. */
  latencyMultiplier?: number;
  /** limitReduction: factor applied to TPM. Default 0.5. */
  factor?: number;
  /** capacity429 / unavailable503: the retry hint. Default 2 000 ms. */
  retryAfterMs?: number;
}

export function validateFault(issues: string[], path: string, f: unknown): void {
  if (typeof f !== 'object' || f === null) {
    issues.push(`${path}: expected an object, got ${String(f)}`);
    return;
  }
  const x = f as Partial<FaultSpec>;
  if (!faultKinds.includes(x.kind as FaultKind))
    issues.push(`${path}.kind: expected one of ${faultKinds.join(', ')}, got ${JSON.stringify(x.kind)}`);
  const num = (k: keyof FaultSpec, ok: (n: number) => boolean, want: string) => {
    const v = x[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)))
      issues.push(`${path}.${k}: expected ${want}, got ${JSON.stringify(v)}`);
  };
  num('probability', (n) => n >= 0 && n <= 1, 'a number >= 0 and <= 1');
  num('fromMs', (n) => n >= 0, 'a number >= 0');
  num('toMs', (n) => n >= 0, 'a number >= 0');
  num('afterRequests', (n) => n >= 0, 'a number >= 0');
  num('maxCount', (n) => n >= 0, 'a number >= 0');
  num('afterEvents', (n) => n >= 0, 'a number >= 0');
  num('latencyMultiplier', (n) => n > 0, 'a number > 0');
  num('factor', (n) => n > 0 && n <= 1, 'a number > 0 and <= 1');
  num('retryAfterMs', (n) => n >= 0, 'a number >= 0');
}
