/** The window-integral bound of a scenario, per group, from the server's real limits and the workload. */
import type { BoundDeployment, GroupBound } from '../../src/scheduler/bound.ts';
import { makespanBound } from '../../src/scheduler/bound.ts';
import type { Scenario } from './scenarios.ts';
import type { GroupResult, StrategyResult } from './run-strategy.ts';
import { resolvedTarget } from './targets.ts';
import { totalCost } from './workload.ts';
import { estimateAdmissionCost } from '../../src/providers/estimate-cost.ts';

/**
 * L_min per group is the shortest successful attempt observed in our run (emulated ms), so the bound
 * uses a latency some request really had; with ≥ 10 windows it is a small part of the bound anyway.
 */
export function scenarioBound(scenario: Scenario, minLatency: readonly GroupResult[], foreign: StrategyResult['foreign'] = []): { boundMs: number; groups: readonly GroupBound[] } {
  return makespanBound(
    scenario.targets.map((t) => {
      const params = resolvedTarget({ name: t.name, deployments: [] }, 'http://unused/', scenario.maxOutputTokens).params;
      return {
        name: t.name,
        deployments: t.members.map((m) => ({
          tokenBudget: m.server.tokenBudget,
          tokenWindowMs: m.server.tokenWindowMs,
          ...(m.server.requestWindows[0] ? { requestBudget: m.server.requestWindows[0].limit, requestWindowMs: m.server.requestWindows[0].ms } : {}),
          extraRequestWindows: m.server.requestWindows.slice(1).map((w) => ({ budget: w.limit, windowMs: w.ms })),
          ...foreignOf(m.name, m.server.foreignShare, foreign),
          ...(m.server.factorMax ? { tokenFactorMax: m.server.factorMax } : {}),
        })),
        requests: scenario.workload.rows,
        admissionCost: totalCost(scenario.workload, (input) => estimateAdmissionCost(input, params)),
        minLatencyMs: minLatency.find((g) => g.name === t.name)?.minLatencyMs ?? 0,
      };
    }),
  );
}

/**
 * An unseen tenant's share as the bound sees it: what the run's log says it was admitted (cumulative,
 * by response time) when there is a log, else the scenario's nominal share.
 */
function foreignOf(name: string, share: number | undefined, foreign: StrategyResult['foreign']): Pick<BoundDeployment, 'foreignShare' | 'foreignUse'> {
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
