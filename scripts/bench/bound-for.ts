/** The window-integral bound of a scenario, per group, from the server's real limits and the workload. */
import type { GroupBound } from '../../src/scheduler/bound.ts';
import { makespanBound } from '../../src/scheduler/bound.ts';
import type { Scenario } from './scenarios.ts';
import type { GroupResult } from './run-strategy.ts';
import { resolvedTarget } from './targets.ts';
import { totalCost } from './workload.ts';
import { estimateAdmissionCost } from '../../src/providers/estimate-cost.ts';

/**
 * L_min per group is the shortest successful attempt observed in our run (emulated ms), so the bound
 * uses a latency some request really had; with ≥ 10 windows it is a small part of the bound anyway.
 */
export function scenarioBound(scenario: Scenario, minLatency: readonly GroupResult[]): { boundMs: number; groups: readonly GroupBound[] } {
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
          ...(m.server.foreignShare ? { foreignShare: m.server.foreignShare } : {}),
          ...(m.server.factorMax ? { tokenFactorMax: m.server.factorMax } : {}),
        })),
        requests: scenario.workload.rows,
        admissionCost: totalCost(scenario.workload, (input) => estimateAdmissionCost(input, params)),
        minLatencyMs: minLatency.find((g) => g.name === t.name)?.minLatencyMs ?? 0,
      };
    }),
  );
}
