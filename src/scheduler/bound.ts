/**
 * The makespan lower bound of scheduler-design.md §2, closed form with the window-integral capacity
 * ⌊τ/W⌋ + 1 for sliding windows (pure; no solver).
 *
 * Why summing over a pool's members is a valid lower bound: in any schedule each request is admitted
 * by exactly one member, and member i can admit at most Cap_i(τ) of a limiter's unit in [0, τ]. So at
 * the moment τ the last request of group g is admitted, Σ_j cost(j) ≤ Σ_i Cap_i(τ) must hold for every
 * limiter kind. The smallest τ satisfying that inequality is therefore ≤ the real admission time of the
 * last request. The inequality is the LP of §2.2 summed over members: it drops the constraints that a
 * request is indivisible and that each member's own capacity holds separately, and only dropping
 * constraints of a minimisation can lower its optimum. Every request then needs at least the minimum
 * latency, so T_g ≥ τ* + L_min. Heterogeneous windows are handled exactly by walking the breakpoints.
 */

export type BindingResource = 'tokens' | 'requests' | 'service';

/** One deployment's limits as the server enforces them. Budgets are per window. */
export interface BoundDeployment {
  readonly tokenBudget?: number;
  /** @unit milliseconds */
  readonly tokenWindowMs?: number;
  readonly requestBudget?: number;
  /** @unit milliseconds */
  readonly requestWindowMs?: number;
  /** Extra request windows (e.g. the 1 s window at RPM/60). */
  readonly extraRequestWindows?: readonly { readonly budget: number; readonly windowMs: number }[];
  /** Sliding log (Azure) or a continuously refilling bucket that starts full (OpenAI style; tokens and requests alike). Default sliding. */
  readonly shape?: 'sliding' | 'bucket';
  /** Share of the quota used by other tenants, in [0, 1) (an assumption; prefer `foreignUse`). */
  readonly foreignShare?: number;
  /**
   * What other tenants were really admitted: cumulative tokens and requests in [0, τ], from a log of
   * the run. Each window-aligned interval [kW, (k+1)W) lies inside one server window, which admits at
   * most B for everyone, so ours in [0, τ] ≤ B(⌊τ/W⌋ + 1) − foreign(τ). An admission logged late (at
   * its response) only lowers foreign(τ) and so the bound: it stays a lower bound. Replaces `foreignShare`.
   */
  readonly foreignUse?: { readonly tokens: (tauMs: number) => number; readonly requests: (tauMs: number) => number };
  /** Service ceiling in output tokens per ms (omit on Azure standard, where quota binds first). */
  readonly outputTokensPerMs?: number;
  /**
   * Time-varying token budget (temporary reductions, outages): the largest factor in effect anywhere in
   * [fromMs, toMs). Each window-aligned interval [kW, (k+1)W) lies inside one server window, so it
   * admits at most B × that factor; summing over the intervals up to τ stays a valid capacity.
   */
  readonly tokenFactorMax?: (fromMs: number, toMs: number) => number;
}

export interface BoundGroup {
  readonly name: string;
  readonly deployments: readonly BoundDeployment[];
  /** Number of requests in the group. */
  readonly requests: number;
  /** Σ admission cost (what the server charges: chars/4 + limit). */
  readonly admissionCost: number;
  /** Σ actual output tokens (for the service bound). */
  readonly outputTokens?: number;
  /** Shortest possible request latency. @unit milliseconds */
  readonly minLatencyMs: number;
}

export interface GroupBound {
  readonly name: string;
  /** @unit milliseconds */
  readonly boundMs: number;
  readonly binding: BindingResource;
  /** τ* per resource, before adding the minimum latency. @unit milliseconds */
  readonly admissionMs: Readonly<Record<BindingResource, number>>;
}

interface Limiter {
  readonly budget: number;
  readonly windowMs: number;
  readonly shape: 'sliding' | 'bucket';
  readonly factorMax?: (fromMs: number, toMs: number) => number;
  /** Others' cumulative use in [0, τ] of this limiter's unit. */
  readonly foreign?: (tauMs: number) => number;
}

/** Most a sliding limiter can admit for us in [0, τ]. */
function slidingCapacity(l: Limiter, tau: number): number {
  const windows = Math.floor(tau / l.windowMs + 1e-9) + 1;
  const others = l.foreign === undefined ? 0 : l.foreign(tau);
  if (l.factorMax === undefined) return l.budget * windows - others;
  let sum = 0;
  for (let k = 0; k < windows; k++) sum += l.budget * Math.max(0, l.factorMax(k * l.windowMs, (k + 1) * l.windowMs));
  return sum - others;
}

/**
 * Smallest τ ≥ 0 with Σ_i Cap_i(τ) ≥ demand. Sliding: Cap = B(⌊τ/W⌋ + 1), a step function, so τ* is a
 * breakpoint (a multiple of some W_i); buckets add B + (B/W)τ, solved between breakpoints.
 */
export function admissionTimeMs(limiters: readonly Limiter[], demand: number): number {
  if (demand <= 0) return 0;
  const usable = limiters.filter((l) => l.budget > 0 && l.windowMs > 0);
  if (usable.length === 0) return Number.POSITIVE_INFINITY;
  const capacity = (tau: number): number => {
    let sum = 0;
    for (const l of usable)
      sum += l.shape === 'bucket' ? l.budget + (l.budget / l.windowMs) * tau - (l.foreign?.(tau) ?? 0) : slidingCapacity(l, tau);
    return sum;
  };
  if (capacity(0) >= demand) return 0;
  const sliding = usable.filter((l) => l.shape === 'sliding');
  const bucketRate = usable.filter((l) => l.shape === 'bucket').reduce((s, l) => s + l.budget / l.windowMs, 0);
  const next = sliding.map((l) => l.windowMs);
  let prev = 0;
  for (;;) {
    let tau = Number.POSITIVE_INFINITY;
    for (const t of next) if (t < tau) tau = t;
    // buckets may reach the demand strictly between two sliding breakpoints
    if (bucketRate > 0) {
      const atPrev = capacity(prev);
      const between = prev + (demand - atPrev) / bucketRate;
      if (between < tau) return Math.max(prev, between);
    }
    if (tau === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
    if (capacity(tau) >= demand) return tau;
    if (tau > 1e12) return Number.POSITIVE_INFINITY; // a limiter that never admits enough
    for (let i = 0; i < next.length; i++) if ((next[i] as number) <= tau) next[i] = (next[i] as number) + (sliding[i] as Limiter).windowMs;
    prev = tau;
  }
}

/** The bound of one group: the largest of its token, request and service admission times, + L_min. */
export function groupBound(group: BoundGroup): GroupBound {
  const tokenLimiters: Limiter[] = [];
  const requestLimiters: Limiter[][] = [[]];
  let serviceRate = 0;
  let serviceKnown = group.deployments.length > 0;
  for (const d of group.deployments) {
    const keep = d.foreignUse === undefined ? 1 - Math.min(Math.max(d.foreignShare ?? 0, 0), 0.999) : 1;
    const shape = d.shape ?? 'sliding';
    if (d.tokenBudget !== undefined && d.tokenWindowMs !== undefined) {
      tokenLimiters.push({
        budget: d.tokenBudget * keep,
        windowMs: d.tokenWindowMs,
        shape,
        ...(d.tokenFactorMax ? { factorMax: d.tokenFactorMax } : {}),
        ...(d.foreignUse ? { foreign: d.foreignUse.tokens } : {}),
      });
    }
    if (d.requestBudget !== undefined && d.requestWindowMs !== undefined) {
      (requestLimiters[0] as Limiter[]).push({
        budget: d.requestBudget * keep,
        windowMs: d.requestWindowMs,
        shape,
        ...(d.foreignUse ? { foreign: d.foreignUse.requests } : {}),
      });
    }
    (d.extraRequestWindows ?? []).forEach((w, k) => {
      while (requestLimiters.length < k + 2) requestLimiters.push([]);
      (requestLimiters[k + 1] as Limiter[]).push({ budget: w.budget * keep, windowMs: w.windowMs, shape: 'sliding' });
    });
    if (d.outputTokensPerMs === undefined) serviceKnown = false;
    else serviceRate += d.outputTokensPerMs;
  }
  // A member without a limiter of some kind makes that kind unbounded for the pool.
  const allHave = (n: number) => n === group.deployments.length;
  const tokens = allHave(tokenLimiters.length) ? admissionTimeMs(tokenLimiters, group.admissionCost) : 0;
  let requests = 0;
  for (const set of requestLimiters)
    if (set.length > 0 && allHave(set.length)) requests = Math.max(requests, admissionTimeMs(set, group.requests));
  const service = serviceKnown && group.outputTokens !== undefined && serviceRate > 0 ? group.outputTokens / serviceRate : 0;
  const admissionMs = { tokens: finite(tokens), requests: finite(requests), service };
  let binding: BindingResource = 'tokens';
  if (admissionMs.requests > admissionMs[binding]) binding = 'requests';
  if (admissionMs.service > admissionMs[binding]) binding = 'service';
  return { name: group.name, boundMs: admissionMs[binding] + group.minLatencyMs, binding, admissionMs };
}

/** T* = max over groups (groups that share no limiter are independent). */
export function makespanBound(groups: readonly BoundGroup[]): { readonly boundMs: number; readonly groups: readonly GroupBound[] } {
  const bounds = groups.map(groupBound);
  return { boundMs: bounds.reduce((m, g) => Math.max(m, g.boundMs), 0), groups: bounds };
}

/** Efficiency = bound / achieved makespan (≤ 1 when the bound holds; 1 is optimal). */
export function efficiency(boundMs: number, makespanMs: number): number {
  return makespanMs <= 0 ? 1 : boundMs / makespanMs;
}

function finite(ms: number): number {
  return Number.isFinite(ms) ? ms : Number.MAX_VALUE;
}
