/**
 * Runs one strategy (ours or a baseline) on one scenario against a freshly reset emulator and measures
 * it: makespan overall and per group (emulated ms), 429s by kind, lost items, pause time, peak in-flight,
 * peak RSS and CPU of this (the client) process, and fairness skew between compared targets.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ScaledClock } from '../../src/emulator/scaled-clock.ts';
import { systemClock } from '../../src/internal/clock.ts';
import type { Scheduler, SchedulerStats, TargetLane } from '../../src/types.ts';
import type { EmulatorProcess } from './emulator-process.ts';
import { startForeignTenant } from './foreign-tenant.ts';
import type { Scenario } from './scenarios.ts';
import type { BuiltTarget } from './targets.ts';
import { buildTarget } from './targets.ts';
import { targetItems } from './workload.ts';

export interface GroupResult {
  readonly name: string;
  /** @unit milliseconds (emulated) */
  readonly makespanMs: number;
  /** Shortest successful attempt: the bound's L_min. @unit milliseconds (emulated) */
  readonly minLatencyMs: number;
  readonly completed: number;
  readonly lost: number;
}

export interface StrategyResult {
  readonly name: string;
  /** @unit milliseconds (emulated) */
  readonly makespanMs: number;
  readonly groups: readonly GroupResult[];
  readonly attempts: number;
  readonly quota429: number;
  readonly capacity429: number;
  /** Items that failed for a retryable reason (exhausted, unavailable, deadline): must be 0 for ours. */
  readonly lost: number;
  readonly fatal: number;
  readonly pausedMs: number;
  readonly peakInFlight: number;
  readonly peakRssMb: number;
  /** Client-process CPU (scheduler + SDK + HTTP + this harness) per attempt. @unit microseconds */
  readonly clientCpuPerAttemptUs: number;
  /** Largest difference in completed rows between compared targets, sampled every 10 s emulated. */
  readonly fairnessSkew: number;
  /** @unit milliseconds (wall clock) */
  readonly wallMs: number;
  /** What each unseen tenant was really admitted, in emulated ms since the run's start (for the bound). */
  readonly foreign: readonly {
    readonly deployment: string;
    readonly admissions: readonly { readonly atMs: number; readonly tokens: number }[];
  }[];
}

export interface Strategy {
  readonly name: string;
  create(context: { clock: ScaledClock; random: () => number }): Scheduler;
}

const debug = process.env['BATCHBENCH_DEBUG'] === '1';

export async function runStrategy(
  scenario: Scenario,
  emulator: EmulatorProcess,
  strategy: Strategy,
  random: () => number,
): Promise<StrategyResult> {
  await emulator.reset([...scenario.faults]);
  const clock = new ScaledClock(systemClock, scenario.timeScale);
  const built: BuiltTarget[] = scenario.targets.map((t) =>
    buildTarget(
      { name: t.name, deployments: t.members.map((m) => ({ name: m.name, limits: m.hints ? { tpm: m.tpm, rpm: m.rpm } : {} })) },
      emulator.baseURL,
      emulator.apiKey,
      clock,
      scenario.maxOutputTokens,
    ),
  );
  const lanes: TargetLane[] = built.map((b) => ({
    target: b.resolved.name,
    items: targetItems(scenario.workload, b.resolved.name, b.estimateCost),
    deployments: b.handles,
  }));
  const groups = new Map(
    scenario.targets.map((t) => [t.name, { lastMs: 0, minLatencyMs: Number.POSITIVE_INFINITY, completed: 0, lost: 0 }]),
  );
  let quota429 = 0;
  let capacity429 = 0;
  let attempts = 0;
  let fatal = 0;
  let peakRss = process.memoryUsage().rss;
  let skew = 0;
  const perMinute: Record<string, number[]> = {};
  const start = clock.now();
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  const skewTimer = setInterval(() => {
    const done = [...groups.values()].map((g) => g.completed);
    skew = Math.max(skew, Math.max(...done) - Math.min(...done));
  }, 10_000 / scenario.timeScale);
  const tenants = scenario.foreign.map((f) => {
    const member = scenario.targets.flatMap((t) => t.members).find((m) => m.name === f.deployment);
    return startForeignTenant({
      baseURL: emulator.baseURL,
      apiKey: emulator.apiKey,
      deployment: f.deployment,
      tokensPerMinute: (member?.tpm ?? 0) * f.share,
      clock,
    });
  });
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const cpuBefore = process.cpuUsage();
  const wallStart = performance.now();
  let stats: SchedulerStats;
  try {
    stats = await strategy.create({ clock, random }).run(
      lanes,
      {
        onAttempt(event) {
          attempts++;
          const category = event.error?.category;
          if (category === 'quota') {
            quota429++;
            if (debug)
              console.error(
                `429 t=${((clock.now() - start) / 1000).toFixed(2)}s ${event.deploymentId} cost=${event.item.cost} ${JSON.stringify(event.error?.rate)}`,
              );
          }
          if (category === 'capacity') capacity429++;
          const group = groups.get(event.item.target);
          if (event.completion && group) group.minLatencyMs = Math.min(group.minLatencyMs, event.durationMs);
          if (debug && event.completion) {
            const minute = Math.floor((event.startedAt - start) / 60_000);
            const row = perMinute[event.deploymentId] ?? [];
            perMinute[event.deploymentId] = row;
            row[minute] = (row[minute] ?? 0) + event.item.cost;
          }
        },
        onSettled(item, outcome) {
          const group = groups.get(item.target);
          if (!group) return;
          group.lastMs = clock.now() - start;
          if (debug && group.lastMs > 600_000)
            console.error(
              `settled ${item.key} at ${(group.lastMs / 1000).toFixed(1)}s ${outcome.status} attempts=${outcome.attempts} duration=${(outcome.durationMs / 1000).toFixed(1)}s`,
            );
          if (outcome.status === 'ok') group.completed++;
          else if (outcome.reason === 'fatal') fatal++;
          else group.lost++;
        },
      },
      new AbortController().signal,
    );
  } finally {
    clearInterval(rssTimer);
    clearInterval(skewTimer);
    await Promise.all(tenants.map((t) => t.stop()));
  }
  const cpu = process.cpuUsage(cpuBefore);
  loopDelay.disable();
  if (debug)
    console.error(
      `client event-loop delay: p50 ${(loopDelay.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms, max ${(loopDelay.max / 1e6).toFixed(1)} ms (real)`,
    );
  if (debug)
    for (const [id, row] of Object.entries(perMinute))
      console.error(
        `${id} answered per minute by send time (k tokens of our estimate, not the server's charge): ${[...row].map((v) => Math.round((v ?? 0) / 1000)).join(' ')}`,
      );
  if (debug)
    for (const [i, tenant] of tenants.entries()) {
      const row: number[] = [];
      for (const a of tenant.admissions()) {
        const minute = Math.floor((a.atMs - start) / 60_000);
        row[minute] = (row[minute] ?? 0) + a.tokens;
      }
      console.error(
        `tenant on ${scenario.foreign[i]?.deployment} admitted per minute (k): ${[...row].map((v) => Math.round((v ?? 0) / 1000)).join(' ')}`,
      );
    }
  const groupResults = scenario.targets.map((t) => {
    const g = groups.get(t.name) as { lastMs: number; minLatencyMs: number; completed: number; lost: number };
    return {
      name: t.name,
      makespanMs: g.lastMs,
      minLatencyMs: Number.isFinite(g.minLatencyMs) ? g.minLatencyMs : 0,
      completed: g.completed,
      lost: g.lost,
    };
  });
  return {
    name: strategy.name,
    makespanMs: Math.max(...groupResults.map((g) => g.makespanMs)),
    groups: groupResults,
    attempts,
    quota429,
    capacity429,
    lost: groupResults.reduce((s, g) => s + g.lost, 0),
    fatal,
    pausedMs: stats.pausedMs,
    peakInFlight: stats.peakInFlight,
    peakRssMb: peakRss / 1e6,
    clientCpuPerAttemptUs: (cpu.user + cpu.system) / Math.max(1, attempts),
    fairnessSkew: skew,
    wallMs: performance.now() - wallStart,
    foreign: tenants.map((tenant, i) => ({
      deployment: scenario.foreign[i]?.deployment ?? '',
      admissions: tenant.admissions().map((a) => ({ atMs: a.atMs - start, tokens: a.tokens })),
    })),
  };
}
