/**
 * The load orchestrator: for each target in turn, the profile's steps (warm-up first when asked), the
 * sweep rates or goodput probes that depend on measured steps, the quota check before every open-loop
 * step, and the journal; then every report, rendered from the journal read back from disk (the same
 * path `batchbench report DIR` takes, so live and re-rendered files are identical).
 */
import { mkdir } from 'node:fs/promises';
import { UsageError } from '../errors.ts';
import { join } from 'node:path';
import { systemClock, type Clock } from '../internal/clock.ts';
import { sleepUntil } from '../internal/sleep-until.ts';
import { createGoodputSearch } from '../load/goodput-search.ts';
import { initialSteps, rateStep, spacedRates, synchronousStep, type Arrivals, type ProfileSpec, type StepSpec } from '../load/profile.ts';
import { quotaProblem, sustainableRate, tighterQuota, type KnownQuota } from '../load/quota-check.ts';
import type { LoadJournalRecord, LoadRequestRecord, LoadStartRecord } from '../report/load/load-records.ts';
import { stepStats, type StepStats } from '../report/load/step-stats.ts';
import { openJournal } from '../sink/jsonl-journal.ts';
import type { JournalRecord, RateInfo, ResolvedTarget } from '../types.ts';
import { estimateAdmissionCost } from '../providers/estimate-cost.ts';
import { createLoadTransport } from './load-transport.ts';
import { runLoadStep, type StepContext } from './load-step.ts';
import type { LoadWorkload } from './load-workload.ts';
import { rerenderLoadRun } from './rerender-load.ts';
import type { LoadSummary } from '../report/load/load-summary.ts';
import type { Slo } from '../load/duration.ts';

export interface RunLoadOptions {
  readonly targets: readonly ResolvedTarget[];
  readonly profile: ProfileSpec;
  /** The profile as the user wrote it, for the report. */
  readonly profileText: string;
  readonly arrivals: Arrivals;
  readonly durationMs: number;
  readonly maxRequests: number;
  /** Requests still running this long after a step's last send are cut (recorded as aborted). @default max(10 s, durationMs) */
  readonly drainMs?: number;
  /** Closed-loop concurrency of the saturation step. */
  readonly saturationConcurrency: number;
  /** A synchronous warm-up of this length per target, excluded from results. */
  readonly warmupMs?: number;
  readonly workload: LoadWorkload;
  readonly slo?: Slo;
  readonly runDir: string;
  readonly runId: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal: AbortSignal;
  /** Transport worker threads (0 = the main thread). */
  readonly workers: number;
  /** Run open-loop steps that exceed a known quota anyway. */
  readonly allow429: boolean;
  /** Set when every endpoint is the embedded emulator: its admission log is read for server truth. */
  readonly emulator?: { readonly origin: string; readonly apiKey: string };
  readonly seed: string;
  readonly clock?: Clock;
  readonly progress?: (line: string) => void;
  /** Open loop: build each request this far ahead of its due time (the bench compares). @default PACER_LEAD_MS @unit ms */
  readonly pacerLeadMs?: number;
}

/** The longest wait between steps for a 429's retry-after (a longer hint is not waited out). @unit ms */
const MAX_RECOVERY_MS = 60_000;

/**
 * How early the open-loop timer aims before an arrival on the real clock (then yields until due). Off:
 * measured interleaved at 50 req/s on the shared 2-core machine (load average ≈ 5), aiming 2 ms early
 * gave jitter p50 2.4 ms / p99 140–237 ms against 2.6–4.2 / 39–84 ms without (the yielding costs CPU a
 * starved machine does not have); the per-chunk checkpoint alone took p99 from 0.9 s to that. @unit ms
 */
const PACER_EARLY_MS = 0;

/**
 * How far ahead of its due time an open-loop request is built (then held until due: load/release-gate.ts).
 * The SDK's request building took p50 0.4 ms / p99 2–4 ms on the 2-core machine used here (more while it
 * is busy); building ahead takes that out of the send jitter. @unit ms
 */
const PACER_LEAD_MS = 10;

/** Runs every target's steps and writes the journal and reports into `runDir`. */
export async function runLoad(options: RunLoadOptions): Promise<{ summary: LoadSummary; errors: string[] }> {
  const clock = options.clock ?? systemClock;
  await mkdir(options.runDir, { recursive: true });
  const journal = await openJournal(join(options.runDir, 'journal.jsonl'));
  let journalError: unknown;
  // The sink writes synchronously; a failure (disk full) is kept and rethrown once the run stops.
  const write = (record: LoadJournalRecord) =>
    void journal.write(record as unknown as JournalRecord).catch((error: unknown) => (journalError ??= error));
  const sample = options.workload.next(0);
  write(startRecord(options, sample));
  const transport = createLoadTransport(options.targets, options.env, options.workers);
  try {
    await transport.ready;
    for (let t = 0; t < options.targets.length && !options.signal.aborted; t++) await runTarget(options, t, transport, clock, write);
  } finally {
    await transport.close();
    write({
      v: 1,
      kind: 'load-end',
      endedAt: new Date(clock.now()).toISOString(),
      reason: options.signal.aborted ? 'aborted' : 'completed',
    });
    await journal.close();
  }
  if (journalError) throw journalError;
  return rerenderLoadRun(options.runDir);
}

/** A fixed open-loop rate above a deployment's configured quota is refused before anything is sent. */
export function checkFixedRates(rates: readonly number[], targets: readonly ResolvedTarget[], workload: LoadWorkload): void {
  for (const target of targets) {
    const cost = estimateAdmissionCost(workload.next(0), target.params);
    for (const rate of rates) {
      const problem = quotaProblem(rate, cost, poolQuota(target.deployments));
      if (problem)
        throw new UsageError(
          `--profile rate ${rate}: target ${target.name}: ${problem}; lower the rate or pass --allow-429 to measure the 429s`,
        );
    }
  }
}

// --- internal ---

async function runTarget(
  options: RunLoadOptions,
  t: number,
  transport: ReturnType<typeof createLoadTransport>,
  clock: Clock,
  write: (r: LoadJournalRecord) => void,
): Promise<void> {
  const target = options.targets[t]!;
  let learned: KnownQuota = {};
  const hints = poolQuota(target.deployments);
  const ctx: StepContext = {
    target,
    targetIndex: t,
    transport,
    workload: options.workload,
    clock,
    durationMs: options.durationMs,
    maxRequests: options.maxRequests,
    signal: options.signal,
    seed: options.seed,
    write,
    ...(options.drainMs === undefined ? {} : { drainMs: options.drainMs }),
    pacerEarlyMs: options.clock === undefined ? PACER_EARLY_MS : 0,
    pacerLeadMs: options.clock === undefined ? (options.pacerLeadMs ?? PACER_LEAD_MS) : 0,
    onRate: (rate) => (learned = tighterQuota(learned, quotaFromHeaders(rate, target.deployments.length))),
    ...(options.emulator ? { admissions: (d: number) => admissionTimes(options.emulator!, target.deployments[d]!.deployment) } : {}),
  };
  const cost = estimateAdmissionCost(options.workload.next(0), target.params);
  let index = 0;
  // A step that ended throttled leaves the quota spent: the next step starts once the last 429's
  // retry-after has passed, so its first requests measure the rate it offers, not the previous step.
  let recoverUntil = -Infinity;
  const step = async (c: StepContext, spec: StepSpec, extra: Parameters<typeof runLoadStep>[3] = {}) => {
    const deadline = Math.min(recoverUntil, clock.now() + MAX_RECOVERY_MS);
    const wait = deadline - clock.now();
    if (wait > 0) {
      options.progress?.(
        `${target.name}: waiting ${(wait / 1000).toFixed(1)} s for the previous step's 429 retry-after before ${spec.label}`,
      );
      await sleepUntil(clock, deadline, options.signal);
    }
    const result = await runLoadStep(c, spec, index++, extra);
    recoverUntil = recoveryTime(result.requests);
    return result;
  };
  const run = async (spec: StepSpec): Promise<StepStats | undefined> => {
    if (options.signal.aborted) return undefined;
    const problem = spec.mode === 'rate' ? quotaProblem(spec.rate!, cost, tighterQuota(hints, learned)) : undefined;
    if (problem && !options.allow429) {
      write({
        v: 1,
        kind: 'load-step',
        target: target.name,
        step: index++,
        label: spec.label,
        mode: spec.mode,
        role: spec.role,
        rate: spec.rate!,
        arrivals: spec.arrivals ?? 'constant',
        durationMs: options.durationMs,
        maxRequests: options.maxRequests,
        startedAt: clock.now(),
        skipped: problem,
      });
      options.progress?.(`${target.name}: skipped ${spec.label}: ${problem} (pass --allow-429 to run it)`);
      return undefined;
    }
    const result = await step(ctx, spec, problem ? { quotaWarning: problem } : {});
    const stats = stepStats(result.step, result.requests, result.end, options.slo);
    options.progress?.(progressLine(target.name, stats));
    return stats;
  };

  if (options.warmupMs) {
    await step({ ...ctx, durationMs: options.warmupMs }, synchronousStep('warmup'));
  }
  const measured: StepStats[] = [];
  for (const spec of initialSteps(options.profile, { arrivals: options.arrivals, saturationConcurrency: options.saturationConcurrency })) {
    const stats = await run(spec);
    if (stats) measured.push(stats);
  }
  const floor = measured.find((s) => s.role === 'floor')?.throughputRps ?? 0;
  const measuredSaturation = measured.find((s) => s.role === 'saturation')?.throughputRps ?? 0;
  // Rates above what the quota sustains would measure 429s, not the deployment: cap the sweep there.
  const quotaRate = sustainableRate(tighterQuota(hints, learned), cost);
  const saturation = quotaRate !== undefined && quotaRate < measuredSaturation && !options.allow429 ? quotaRate : measuredSaturation;
  if (saturation < measuredSaturation)
    options.progress?.(`${target.name}: rates capped at ${saturation.toFixed(2)} req/s, 90 % of what the known quota sustains`);
  const profile = options.profile;
  if (profile.kind === 'sweep') {
    for (const rate of spacedRates(floor, saturation, profile.steps - 2))
      if (rate > 0) await run(rateStep(rate, options.arrivals, 'sweep'));
  } else if (profile.kind === 'goodput') {
    const search = createGoodputSearch(profile.range?.min ?? floor, profile.range?.max ?? saturation, profile.steps);
    for (let rate = search.next(); rate !== undefined && !options.signal.aborted; rate = search.next()) {
      const stats = rate > 0 ? await run(rateStep(rate, options.arrivals, 'search')) : undefined;
      search.record(rate, stats?.slo?.meets ?? false);
    }
  }
}

/** When the last 429 of a step stops applying: its answer time plus its retry-after (−∞ without 429s). */
export function recoveryTime(requests: readonly LoadRequestRecord[]): number {
  let until = -Infinity;
  for (const r of requests) {
    if ((r.outcome === 'quota' || r.outcome === 'capacity') && r.retryAfterMs !== undefined)
      until = Math.max(until, r.sentAt + r.e2eMs + r.retryAfterMs);
  }
  return until;
}

function startRecord(options: RunLoadOptions, sample: ReturnType<LoadWorkload['next']>): LoadStartRecord {
  const w = options.workload;
  const first = options.targets[0];
  return {
    v: 1,
    kind: 'load-start',
    runId: options.runId,
    startedAt: new Date().toISOString(),
    emulator: options.emulator !== undefined,
    profile: options.profileText,
    workload: {
      source: w.source,
      ...(w.inputTokens === undefined ? {} : { inputTokens: w.inputTokens }),
      ...(w.outputTokens === undefined ? {} : { outputTokens: w.outputTokens }),
      ...(w.spread ? { spread: w.spread } : {}),
      costPerRequest: first ? estimateAdmissionCost(sample, first.params) : 0,
    },
    stepDurationMs: options.durationMs,
    maxRequestsPerStep: options.maxRequests,
    ...(options.slo
      ? {
          slo: {
            ...(options.slo.ttftMs === undefined ? {} : { ttftMs: options.slo.ttftMs }),
            ...(options.slo.e2eMs === undefined ? {} : { e2eMs: options.slo.e2eMs }),
            percentile: options.slo.percentile,
          },
        }
      : {}),
    retryPolicy: 'none',
    transportWorkers: options.workers,
    targets: options.targets.map((t) => ({
      name: t.name,
      api: t.api,
      deployments: t.deployments.map((d) => ({
        id: d.id,
        ...(d.limits.tpm === undefined ? {} : { tpm: d.limits.tpm }),
        ...(d.limits.rpm === undefined ? {} : { rpm: d.limits.rpm }),
      })),
    })),
  };
}

/**
 * Quota revealed by headers: `x-ratelimit-limit-tokens` is the TPM; `x-ratelimit-limit-requests` is the
 * 10 s request budget on Azure (azure-v1-behaviour.md §4), so RPM = 6 × it. A pool has one per member.
 */
function quotaFromHeaders(rate: RateInfo, members: number): KnownQuota {
  return {
    ...(rate.limitTokens === undefined ? {} : { tpm: rate.limitTokens * members }),
    ...(rate.limitRequests === undefined ? {} : { rpm: rate.limitRequests * 6 * members }),
  };
}

/** A pool's quota is the sum of its members' hints; unknown when any member has none. */
function poolQuota(deployments: readonly { readonly limits: KnownQuota }[]): KnownQuota {
  const sum = (key: 'tpm' | 'rpm') =>
    deployments.every((d) => d.limits[key] !== undefined) ? deployments.reduce((n, d) => n + d.limits[key]!, 0) : undefined;
  const tpm = sum('tpm');
  const rpm = sum('rpm');
  return { ...(tpm === undefined ? {} : { tpm }), ...(rpm === undefined ? {} : { rpm }) };
}

async function admissionTimes(emulator: { origin: string; apiKey: string }, deployment: string): Promise<number[]> {
  const res = await fetch(`${emulator.origin}/_emulator/admissions?deployment=${encodeURIComponent(deployment)}`, {
    headers: { 'api-key': emulator.apiKey },
  });
  if (!res.ok) return [];
  return ((await res.json()) as { t: number }[]).map((a) => a.t);
}

function progressLine(target: string, s: StepStats): string {
  const f = (x: number | null | undefined, d = 2) => (x === null || x === undefined ? '—' : x.toFixed(d));
  return `${target} step ${s.step} ${s.label}: ${s.ok}/${s.requests} ok, achieved ${f(s.achievedRate)} req/s, throughput ${f(s.throughputRps)} req/s, TTFT p50 ${f(s.latency.ttft?.percentiles.p50.value, 0)} ms, e2e p99 ${f(s.latency.e2e?.percentiles.p99.value, 0)} ms${s.slo ? `, SLO ${s.slo.meets ? 'met' : 'missed'}` : ''}${s.clientBound ? ', CLIENT-BOUND' : ''}`;
}
