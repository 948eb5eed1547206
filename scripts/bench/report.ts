/** Shapes benchmark results into `reports/bench/latest.json` and the markdown table printed on stdout. */
import type { GroupBound } from '../../src/scheduler/bound.ts';
import type { Scenario } from './scenarios.ts';
import type { StrategyResult } from './run-strategy.ts';

export interface BaselineReport {
  readonly name: string;
  /** Their makespan ÷ ours (> 1: we are faster). */
  readonly ratio_vs_ours: number;
  readonly lost: number;
  readonly makespan_s: number;
  readonly quota429_per_attempt: number;
  readonly quota429: number;
  /** Their makespan ÷ ours on the pooled group (gpt-4o). */
  readonly pool_ratio_vs_ours: number;
}

export interface ScenarioReport {
  readonly id: string;
  readonly title: string;
  readonly seed: number;
  readonly bound_s: number;
  readonly makespan_s: number;
  /** bound ÷ makespan (≤ 1; 1 is optimal). */
  readonly ratio: number;
  /** The lowest group's bound ÷ makespan: an overall ratio near 1 can hide one slow group. */
  readonly weakest_group_ratio: number;
  readonly weakest_group: string;
  readonly binding: string;
  readonly windows: number;
  readonly groups: readonly { name: string; ratio: number; binding: string; bound_s: number; makespan_s: number }[];
  readonly attempts: number;
  readonly quota429: number;
  readonly quota429_per_attempt: number;
  readonly capacity429: number;
  readonly lost: number;
  readonly fatal: number;
  readonly paused_s: number;
  readonly peak_in_flight: number;
  readonly peak_rss_mb: number;
  readonly client_cpu_us_per_attempt: number;
  readonly fairness_skew: number;
  readonly wall_s: number;
  /**
   * Unseen tenants (S3): the share of the deployment's TPM each was really admitted over our makespan,
   * beside the share it paces itself to (at most). The bound uses the admissions, not the share.
   */
  readonly foreign: readonly { deployment: string; paced_share: number; admitted_share: number }[];
  readonly baselines: readonly BaselineReport[];
}

const s = (ms: number) => round(ms / 1000, 1);
export const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
const POOL = 'gpt-4o';

export function scenarioReport(
  scenario: Scenario,
  bound: { boundMs: number; groups: readonly GroupBound[] },
  ours: StrategyResult,
  others: readonly StrategyResult[],
): ScenarioReport {
  const binding = [...bound.groups].sort((a, b) => b.boundMs - a.boundMs)[0];
  const windowOf = (g: GroupBound | undefined) => {
    if (!g) return 1;
    const member = scenario.targets.find((t) => t.name === g.name)?.members[0];
    const w = g.binding === 'requests' ? (member?.server.requestWindows[0]?.ms ?? 10_000) : (member?.server.tokenWindowMs ?? 60_000);
    return g.boundMs / w;
  };
  const poolOf = (r: StrategyResult) => r.groups.find((g) => g.name === POOL)?.makespanMs ?? r.makespanMs;
  const groups = bound.groups.map((g) => {
    const achieved = ours.groups.find((x) => x.name === g.name)?.makespanMs ?? 0;
    return {
      name: g.name,
      ratio: round(achieved > 0 ? g.boundMs / achieved : 0),
      binding: g.binding,
      bound_s: s(g.boundMs),
      makespan_s: s(achieved),
    };
  });
  const weakest = groups.reduce<(typeof groups)[number] | undefined>((w, g) => (w === undefined || g.ratio < w.ratio ? g : w), undefined);
  return {
    id: scenario.id,
    title: scenario.title,
    seed: scenario.workload.seed,
    bound_s: s(bound.boundMs),
    makespan_s: s(ours.makespanMs),
    ratio: round(bound.boundMs / ours.makespanMs),
    binding: binding ? `${binding.name}:${binding.binding}` : 'n/a',
    windows: round(windowOf(binding), 1),
    weakest_group_ratio: weakest?.ratio ?? round(bound.boundMs / ours.makespanMs),
    weakest_group: weakest?.name ?? 'n/a',
    groups,
    attempts: ours.attempts,
    quota429: ours.quota429,
    quota429_per_attempt: round(ours.quota429 / Math.max(1, ours.attempts), 4),
    capacity429: ours.capacity429,
    lost: ours.lost,
    fatal: ours.fatal,
    paused_s: s(ours.pausedMs),
    peak_in_flight: ours.peakInFlight,
    peak_rss_mb: round(ours.peakRssMb, 1),
    client_cpu_us_per_attempt: round(ours.clientCpuPerAttemptUs, 0),
    fairness_skew: ours.fairnessSkew,
    wall_s: s(ours.wallMs),
    foreign: scenario.foreign.map((f) => {
      const tpm = scenario.targets.flatMap((t) => t.members).find((m) => m.name === f.deployment)?.tpm ?? 0;
      const tokens = ours.foreign
        .filter((x) => x.deployment === f.deployment)
        .flatMap((x) => x.admissions)
        .reduce((sum, a) => sum + a.tokens, 0);
      const minutes = ours.makespanMs / 60_000;
      return {
        deployment: f.deployment,
        paced_share: f.share,
        admitted_share: round(tpm > 0 && minutes > 0 ? tokens / (tpm * minutes) : 0),
      };
    }),
    baselines: others.map((o) => ({
      name: o.name,
      ratio_vs_ours: round(o.makespanMs / ours.makespanMs),
      lost: o.lost,
      makespan_s: s(o.makespanMs),
      quota429_per_attempt: round(o.quota429 / Math.max(1, o.attempts), 4),
      quota429: o.quota429,
      pool_ratio_vs_ours: round(poolOf(o) / poolOf(ours)),
    })),
  };
}

export function markdown(reports: readonly ScenarioReport[]): string {
  const lines = [
    '| Scenario | seed | bound s | makespan s | bound ÷ makespan (1 = optimal) | weakest group | groups (bound ÷ makespan, binding) | windows | q429/att | cap429 | lost | paused s | peak in-flight | RSS MB | client CPU µs/att |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of reports) {
    const groups = r.groups.map((g) => `${g.name} ${g.ratio} ${g.binding[0]}`).join('; ');
    lines.push(
      `| ${r.id} | ${r.seed} | ${r.bound_s} | ${r.makespan_s} | **${r.ratio}** | ${r.weakest_group} ${r.weakest_group_ratio} | ${groups} | ${r.windows} | ${(r.quota429_per_attempt * 100).toFixed(2)} % | ${r.capacity429} | ${r.lost} | ${r.paused_s} | ${r.peak_in_flight} | ${r.peak_rss_mb} | ${r.client_cpu_us_per_attempt} |`,
    );
  }
  const withBaselines = reports.filter((r) => r.baselines.length > 0);
  if (withBaselines.length > 0) {
    lines.push(
      '',
      '| Scenario | baseline | makespan s | ratio_vs_ours | pool ratio_vs_ours | q429/att | 429s (ours) | lost |',
      '|---|---|---|---|---|---|---|---|',
    );
    for (const r of withBaselines) {
      for (const b of r.baselines)
        lines.push(
          `| ${r.id} | ${b.name} | ${b.makespan_s} | ${b.ratio_vs_ours} | ${b.pool_ratio_vs_ours} | ${(b.quota429_per_attempt * 100).toFixed(1)} % | ${b.quota429} (${r.quota429}) | ${b.lost} |`,
        );
    }
  }
  return lines.join('\n');
}

/** One scenario over several seeds: medians (and the spread) of what issue 11 asks to publish. */
export interface SeedsSummary {
  readonly id: string;
  readonly seeds: readonly number[];
  readonly ratio_median: number;
  readonly ratio_min: number;
  readonly ratio_max: number;
  readonly weakest_group_ratio_median: number;
  readonly weakest_group_ratio_min: number;
  /** Quota 429s ÷ attempts. */
  readonly quota429_share_median: number;
  readonly quota429_share_max: number;
  readonly capacity429_median: number;
  readonly lost_max: number;
  readonly makespan_s_median: number;
}

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

export function seedsSummary(runs: readonly ScenarioReport[]): SeedsSummary {
  const ratios = runs.map((r) => r.ratio);
  const weakest = runs.map((r) => r.weakest_group_ratio);
  const shares = runs.map((r) => r.quota429_per_attempt);
  return {
    id: runs[0]?.id ?? 'n/a',
    seeds: runs.map((r) => r.seed),
    ratio_median: round(median(ratios)),
    ratio_min: Math.min(...ratios),
    ratio_max: Math.max(...ratios),
    weakest_group_ratio_median: round(median(weakest)),
    weakest_group_ratio_min: Math.min(...weakest),
    quota429_share_median: round(median(shares), 4),
    quota429_share_max: Math.max(...shares),
    capacity429_median: median(runs.map((r) => r.capacity429)),
    lost_max: Math.max(...runs.map((r) => r.lost)),
    makespan_s_median: round(median(runs.map((r) => r.makespan_s)), 1),
  };
}

export function seedsMarkdown(summaries: readonly SeedsSummary[]): string {
  const lines = [
    '| Scenario | seeds | bound ÷ makespan, median (min–max) | weakest group, median (min) | quota 429 share, median (max) | capacity 429s | lost (max) | makespan s |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  for (const s of summaries) {
    lines.push(
      `| ${s.id} | ${s.seeds.join(',')} | **${s.ratio_median}** (${s.ratio_min}–${s.ratio_max}) | ${s.weakest_group_ratio_median} (${s.weakest_group_ratio_min}) | ${pct(s.quota429_share_median)} (${pct(s.quota429_share_max)}) | ${s.capacity429_median} | ${s.lost_max} | ${s.makespan_s_median} |`,
    );
  }
  return lines.join('\n');
}

/** Every ratio of every run must be ≤ 1 (a bound that is beaten is not a bound): the offending ones. */
export function boundViolations(runs: readonly ScenarioReport[]): string[] {
  const out: string[] = [];
  for (const r of runs) {
    if (r.ratio > 1) out.push(`${r.id} seed ${r.seed}: bound ÷ makespan ${r.ratio} > 1`);
    for (const g of r.groups) if (g.ratio > 1) out.push(`${r.id} seed ${r.seed} group ${g.name}: ${g.ratio} > 1`);
  }
  return out;
}
