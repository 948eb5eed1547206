/**
 * Runs one load step against one target: writes the step record, paces requests (open or closed loop),
 * records every request as it finishes (scheduled and actual send time), cuts stragglers after the
 * drain allowance, and writes the step-end record with client overhead and, against the emulator, the
 * server's admission rate over the same window.
 */
import type { Clock } from '../internal/clock.ts';
import { createRng } from '../internal/rng.ts';
import { arrivalOffsets } from '../load/arrivals.ts';
import { runClosedLoop, runOpenLoop } from '../load/pacer.ts';
import type { StepSpec } from '../load/profile.ts';
import type { LoadRequestRecord, LoadStepEndRecord, LoadStepRecord } from '../report/load/load-records.ts';
import { rateOfTimes } from '../report/load/step-stats.ts';
import type { RateInfo, ResolvedTarget } from '../types.ts';
import type { LoadOutcome } from './load-execute.ts';
import type { LoadTransport } from './load-transport.ts';
import type { LoadWorkload } from './load-workload.ts';

export interface StepContext {
  readonly target: ResolvedTarget;
  readonly targetIndex: number;
  readonly transport: LoadTransport;
  readonly workload: LoadWorkload;
  readonly clock: Clock;
  readonly durationMs: number;
  readonly maxRequests: number;
  /** How long requests may still run after the last send before they are cut. @default drainAllowanceMs */
  readonly drainMs?: number;
  readonly signal: AbortSignal;
  readonly seed: string;
  /** Appends a journal record (synchronous write). */
  readonly write: (record: LoadStepRecord | LoadRequestRecord | LoadStepEndRecord) => void;
  /** Server truth: the emulator's admission times (epoch ms) for a deployment, when it is the emulator. */
  readonly admissions?: (deploymentIndex: number) => Promise<number[]>;
  /** Called with every response's rate headers (quota learning). */
  readonly onRate?: (rate: RateInfo) => void;
  /**
   * Open loop on the real clock: aim the pacer's timer this early and yield until due (pacer.ts says
   * why). 0 on a virtual clock, where yielding would never see time move. @default 0 @unit ms
   */
  readonly pacerEarlyMs?: number;
  /**
   * Open loop on the real clock: start each request this early and hold it until due, so the SDK's
   * request building is not part of the send jitter. 0 on a virtual clock (the transport's hold runs on
   * the real one). @default 0 @unit ms
   */
  readonly pacerLeadMs?: number;
}

export interface StepRun {
  readonly step: LoadStepRecord;
  readonly requests: LoadRequestRecord[];
  readonly end: LoadStepEndRecord;
}

/** In-flight requests get this long after the step's last send before they are cut. @unit ms */
export function drainAllowanceMs(durationMs: number): number {
  return Math.max(10_000, durationMs);
}

export async function runLoadStep(
  ctx: StepContext,
  spec: StepSpec,
  index: number,
  extra: Pick<LoadStepRecord, 'quotaWarning'> = {},
): Promise<StepRun> {
  const step: LoadStepRecord = {
    v: 1,
    kind: 'load-step',
    target: ctx.target.name,
    step: index,
    label: spec.label,
    mode: spec.mode,
    role: spec.role,
    ...(spec.concurrency === undefined ? {} : { concurrency: spec.concurrency }),
    ...(spec.rate === undefined ? {} : { rate: spec.rate, arrivals: spec.arrivals ?? 'constant' }),
    durationMs: ctx.durationMs,
    maxRequests: ctx.maxRequests,
    startedAt: ctx.clock.now(),
    ...extra,
  };
  ctx.write(step);
  const stepKey = `${ctx.targetIndex}/${index}`;
  const requests: LoadRequestRecord[] = [];
  const inFlight = new Set<Promise<LoadOutcome>>();
  const deployments = ctx.target.deployments.length;
  let globalSeq = 0;
  const dispatch = (seq: number, scheduledAt: number | null): Promise<LoadOutcome> => {
    const deployment = seq % deployments; // a pool shares the load evenly
    const promise = ctx.transport.run({
      target: ctx.targetIndex,
      deployment,
      input: ctx.workload.next(index * 1_000_000 + globalSeq++),
      stepKey,
      // Built up to pacerLeadMs ahead, handed to the HTTP client at the due time (real clock only).
      ...(scheduledAt !== null && ctx.pacerLeadMs ? { releaseAt: scheduledAt } : {}),
    });
    inFlight.add(promise);
    return promise.then((o) => {
      inFlight.delete(promise);
      if (o.rate) ctx.onRate?.(o.rate);
      const record = requestRecord(ctx.target, step.step, seq, deployment, scheduledAt, o);
      requests.push(record);
      ctx.write(record);
      return o;
    });
  };

  const stopMonitor = ctx.transport.monitor();
  // A moment's lead: setting up the step (monitors, generators, first prompt) finishes before the first
  // arrival is due, so it is not recorded late.
  const startAt = ctx.clock.now() + 25;
  // The step always ends by itself: whatever is still running at the cut (a request that never answers,
  // including one a closed-loop slot is waiting on) is aborted and recorded as such.
  const cut = ctx.clock.setTimer(
    () => ctx.transport.abortStep(stepKey),
    startAt + ctx.durationMs + (ctx.drainMs ?? drainAllowanceMs(ctx.durationMs)) - ctx.clock.now(),
  );
  const onAbort = () => ctx.transport.abortStep(stepKey);
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  if (spec.mode === 'rate') {
    const random = createRng(`${ctx.seed}|${ctx.target.name}|${index}`);
    await runOpenLoop({
      clock: ctx.clock,
      startAt,
      signal: ctx.signal,
      offsetsMs: arrivalOffsets(spec.arrivals ?? 'constant', spec.rate!, ctx.durationMs, ctx.maxRequests, random),
      send: (seq, scheduledAt) => void dispatch(seq, scheduledAt),
      // Arrivals due while the thread reads responses go out between chunks, not after all of them.
      checkpoint: (poll) => ctx.transport.checkpoint(poll),
      ...(ctx.pacerEarlyMs ? { earlyMs: ctx.pacerEarlyMs, yieldTo: (fn: () => void) => void setImmediate(fn) } : {}),
      ...(ctx.pacerLeadMs ? { leadMs: ctx.pacerLeadMs } : {}),
    });
  } else {
    await runClosedLoop({
      clock: ctx.clock,
      concurrency: spec.concurrency ?? 1,
      endAt: startAt + ctx.durationMs,
      maxRequests: ctx.maxRequests,
      signal: ctx.signal,
      rampMs: Math.min(1000, ctx.durationMs / 10),
      send: async (seq) => {
        const o = await dispatch(seq, null);
        return o.outcome === 'quota' || o.outcome === 'capacity' ? { pauseMs: o.retryAfterMs ?? 1000 } : {};
      },
    });
  }
  await Promise.allSettled([...inFlight]);
  cut.cancel();
  ctx.signal.removeEventListener('abort', onAbort);
  ctx.transport.abortStep(stepKey); // releases the step's abort controller
  const client = await stopMonitor();
  const server = ctx.admissions ? await serverRate(ctx, requests, ctx.clock.now()) : undefined;
  const end: LoadStepEndRecord = {
    v: 1,
    kind: 'load-step-end',
    target: ctx.target.name,
    step: index,
    endedAt: ctx.clock.now(),
    client,
    ...(server ? { server } : {}),
  };
  ctx.write(end);
  return { step, requests, end };
}

// --- internal ---

/**
 * The emulator's admissions from the step's first send until every one of its requests had settled
 * (`settledAt`), as a rate computed the way the client's is (rateOfTimes). Steps run one after another,
 * so that window holds this step's admissions and no other's; a fixed margin after the last send
 * (250 ms, before) lost admissions on a machine busy enough to deliver a request later than that.
 */
async function serverRate(
  ctx: StepContext,
  requests: readonly LoadRequestRecord[],
  settledAt: number,
): Promise<NonNullable<LoadStepEndRecord['server']>> {
  if (requests.length === 0) return { admissions: 0, rate: null };
  // reduce, not Math.min(...sends): a step may hold 100 000 requests, too many for spread arguments.
  const first = requests.reduce((m, r) => Math.min(m, r.sentAt), Infinity) - 5;
  const last = settledAt;
  const times: number[] = [];
  for (let d = 0; d < ctx.target.deployments.length; d++)
    for (const t of await ctx.admissions!(d)) if (t >= first && t <= last) times.push(t);
  times.sort((a, b) => a - b);
  return {
    admissions: times.length,
    rate: rateOfTimes(times),
    ...(times.length ? { firstAt: times[0]!, lastAt: times[times.length - 1]! } : {}),
  };
}

function requestRecord(
  target: ResolvedTarget,
  step: number,
  seq: number,
  deployment: number,
  scheduledAt: number | null,
  o: LoadOutcome,
): LoadRequestRecord {
  const { rate: _rate, ...rest } = o;
  return {
    v: 1,
    kind: 'load-request',
    target: target.name,
    step,
    seq,
    deploymentId: target.deployments[deployment]!.id,
    scheduledAt,
    ...rest,
  };
}
