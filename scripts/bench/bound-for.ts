/** The window-integral bound of a scenario, per group, from the server's real limits and the workload. */
import type { BoundDeployment, GroupBound } from '../../src/scheduler/bound.ts';
import { makespanBound } from '../../src/scheduler/bound.ts';
import type { Scenario } from './scenarios.ts';
import type { GroupResult, StrategyResult } from './run-strategy.ts';
import { resolvedTarget } from './targets.ts';
import { totalCost } from './workload.ts';
import { estimateAdmissionCost } from '../../src/providers/estimate-cost.ts';
import type { ServerTruth } from './server-truth.ts';

/**
 * L_min per group is the shortest successful attempt observed in our run (emulated ms), so the bound
 * uses a latency some request really had; with ≥ 10 windows it is a small part of the bound anyway.
 * Where the server charges its own estimate (S11, S12) the demand is Σ of what it really charged
 * (`truth.charged`); bare groups (S13) get the in-flight bound (`inFlightBound`).
 */
export function scenarioBound(
  scenario: Scenario,
  minLatency: readonly GroupResult[],
  foreign: StrategyResult['foreign'] = [],
  truth?: ServerTruth,
): { boundMs: number; groups: readonly GroupBound[] } {
  const quota = scenario.targets.filter((t) => !t.members.every((m) => m.server.inFlightCap !== undefined));
  const quotaBounds = makespanBound(
    quota.map((t) => {
      const params = resolvedTarget({ name: t.name, deployments: [] }, 'http://unused/', scenario.maxOutputTokens).params;
      const byServer = t.members.some((m) => m.server.chargedByServer);
      if (byServer && truth === undefined) throw new Error(`${scenario.id}: the bound of ${t.name} needs the server's charges`);
      return {
        name: t.name,
        deployments: t.members.map((m) => ({
          tokenBudget: m.server.tokenBudget,
          tokenWindowMs: m.server.tokenWindowMs,
          ...(m.server.shape ? { shape: m.server.shape } : {}),
          ...(m.server.requestWindows[0]
            ? { requestBudget: m.server.requestWindows[0].limit, requestWindowMs: m.server.requestWindows[0].ms }
            : {}),
          extraRequestWindows: m.server.requestWindows.slice(1).map((w) => ({ budget: w.limit, windowMs: w.ms })),
          ...foreignOf(m.name, m.server.foreignShare, foreign),
          ...(m.server.factorMax ? { tokenFactorMax: m.server.factorMax } : {}),
        })),
        requests: scenario.workload.rows,
        admissionCost: byServer
          ? t.members.reduce((sum, m) => sum + (truth?.charged[m.name] ?? 0), 0)
          : totalCost(scenario.workload, (input) => estimateAdmissionCost(input, params)),
        minLatencyMs: minLatency.find((g) => g.name === t.name)?.minLatencyMs ?? 0,
      };
    }),
  );
  const groups = scenario.targets.map((t) => quotaBounds.groups.find((g) => g.name === t.name) ?? inFlightBound(scenario, t.name, truth));
  return { boundMs: groups.reduce((m, g) => Math.max(m, g.boundMs), 0), groups };
}

/**
 * A group of bare deployments, each serving at most `cap` requests at once: the answered requests'
 * server-side service times (receivedAt → endAt, measured by the emulator in this run) must fit into
 * Σ cap parallel slots, so makespan ≥ Σ service ÷ Σ cap, and ≥ the longest single one. Rejected
 * attempts are left out (they only add time), so this stays a lower bound of this run.
 */
export function inFlightBound(scenario: Scenario, group: string, truth: ServerTruth | undefined): GroupBound {
  const members = scenario.targets.find((t) => t.name === group)?.members ?? [];
  if (truth === undefined) throw new Error(`${scenario.id}: the in-flight bound of ${group} needs the server's service times`);
  let sum = 0;
  let longest = 0;
  let slots = 0;
  for (const m of members) {
    const s = truth.service[m.name];
    sum += s?.sumMs ?? 0;
    longest = Math.max(longest, s?.maxMs ?? 0);
    slots += m.server.inFlightCap ?? 1;
  }
  const boundMs = Math.max(sum / Math.max(1, slots), longest);
  return { name: group, boundMs, binding: 'service', admissionMs: { tokens: 0, requests: 0, service: boundMs } };
}

/**
 * An unseen tenant's share as the bound sees it: what the run's log says it was admitted (cumulative,
 * by response time) when there is a log, else the scenario's nominal share.
 */
function foreignOf(
  name: string,
  share: number | undefined,
  foreign: StrategyResult['foreign'],
): Pick<BoundDeployment, 'foreignShare' | 'foreignUse'> {
  const tenants = foreign.filter((f) => f.deployment === name);
  if (tenants.length === 0) return share ? { foreignShare: share } : {};
  const log = tenants.flatMap((f) => f.admissions);
  const sorted = [...log].sort((a, b) => a.atMs - b.atMs);
  const upTo = (tau: number, weight: (a: { tokens: number }) => number) => {
    let sum = 0;
    for (const a of sorted) {
      if (a.atMs > tau) break;
      sum += weight(a);
    }
    return sum;
  };
  return { foreignUse: { tokens: (tau) => upTo(tau, (a) => a.tokens), requests: (tau) => upTo(tau, () => 1) } };
}
