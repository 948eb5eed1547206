/**
 * The plain bounded runner: a fixed number of items in flight per target (p-limit-like counting),
 * round-robin across pool members, and per-request retries that honour the server's wait hint or back
 * off exponentially with jitter, *holding their slot while they sleep*. It is the `--scheduler simple`
 * fallback and, with its defaults, the promptfoo-like baseline of scheduler-design.md §6.5.
 */
import { ProviderError, serializeError } from '../errors.ts';
import type { Clock, TimerHandle } from '../internal/clock.ts';
import { systemClock } from '../internal/clock.ts';
import type {
  Completion,
  FailureReason,
  Outcome,
  Scheduler,
  SchedulerHooks,
  SchedulerStats,
  SerializedError,
  TargetLane,
  WorkItem,
} from '../types.ts';
import type { RetryOptions } from './defaults.ts';
import { retryDefaults } from './defaults.ts';
import { schedulerError } from './outcomes.ts';

export interface SimpleRunnerOptions {
  readonly clock?: Clock;
  readonly random?: () => number;
  /** `maxAttempts` counts every attempt, 429s included. */
  readonly retry?: Partial<RetryOptions>;
  /** Items in flight per target (default 16). */
  readonly concurrencyPerTarget?: number;
  /** Backoff spread: delay × (1 + U(0, jitterRatio)). Default 0.2. */
  readonly jitterRatio?: number;
  /** promptfoo 0.123 style: × 0.5 on a 429, × 1.5 after 5 successes, capped at the start value. */
  readonly halveOn429?: boolean;
  /** @unit milliseconds */
  readonly deadlineMs?: number;
}

interface RunState {
  readonly hooks: SchedulerHooks;
  stopping: FailureReason | undefined;
  readonly sleepers: Set<() => void>;
  readonly pending: Set<Promise<unknown>>;
  items: number;
  attempts: number;
  quota429: number;
  capacity429: number;
  inFlight: number;
  peak: number;
  error: unknown;
}

/** Creates the fixed-concurrency runner. */
export function createSimpleRunner(options: SimpleRunnerOptions = {}): Scheduler {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const retry: RetryOptions = { ...retryDefaults, ...options.retry };
  const perTarget = Math.max(1, options.concurrencyPerTarget ?? 16);
  const jitter = options.jitterRatio ?? 0.2;

  const sleep = (state: RunState, ms: number): Promise<void> =>
    new Promise((resolve) => {
      let timer: TimerHandle | undefined;
      const wake = () => {
        timer?.cancel();
        state.sleepers.delete(wake);
        resolve();
      };
      state.sleepers.add(wake);
      timer = clock.setTimer(wake, ms);
    });

  const call = (state: RunState, fn: () => unknown): void => {
    try {
      const result = fn();
      if (result !== undefined && typeof (result as { then?: unknown }).then === 'function') {
        const p: Promise<unknown> = Promise.resolve(result).then(
          () => state.pending.delete(p),
          (error: unknown) => {
            state.pending.delete(p);
            state.error ??= error;
          },
        );
        state.pending.add(p);
      }
    } catch (error) {
      state.error ??= error;
    }
  };

  async function runItem(
    state: RunState,
    lane: TargetLane,
    item: WorkItem,
    limit: { value: number; ok: number },
    rr: { next: number },
  ): Promise<void> {
    const queuedAt = clock.now();
    let attempts = 0;
    let readyAt = queuedAt;
    let deploymentId: string | null = null;
    let lastError: SerializedError | undefined;
    const settle = (outcome: Outcome) => {
      state.items++;
      call(state, () => state.hooks.onSettled(item, outcome));
    };
    const fail = (reason: FailureReason, error: SerializedError) =>
      settle({ status: 'failed', reason, error, deploymentId, attempts, durationMs: clock.now() - queuedAt });
    for (;;) {
      if (state.stopping !== undefined)
        return fail(state.stopping, lastError ?? schedulerError('E_STOPPED', `run ${state.stopping}`, undefined, true));
      const handle = lane.deployments[rr.next++ % lane.deployments.length];
      if (handle === undefined) return fail('unavailable', schedulerError('E_NO_DEPLOYMENT', `target "${lane.target}" has no deployment`));
      deploymentId = handle.id;
      attempts++;
      state.attempts++;
      const startedAt = clock.now();
      const waitedBeforeMs = startedAt - readyAt;
      state.inFlight++;
      state.peak = Math.max(state.peak, state.inFlight);
      let completion: Completion | undefined;
      let error: unknown;
      try {
        completion = await handle.execute(item, new AbortController().signal);
      } catch (caught) {
        error = caught;
      }
      state.inFlight--;
      const now = clock.now();
      readyAt = now;
      if (completion !== undefined) {
        call(state, () =>
          state.hooks.onAttempt?.({
            item,
            deploymentId: handle.id,
            attempt: attempts,
            waitedBeforeMs,
            startedAt,
            durationMs: now - startedAt,
            completion,
          }),
        );
        if (options.halveOn429 && ++limit.ok >= 5) {
          limit.ok = 0;
          limit.value = Math.min(perTarget, Math.ceil(limit.value * 1.5));
        }
        return settle({ status: 'ok', completion, deploymentId: handle.id, attempts, durationMs: now - queuedAt });
      }
      const provider = error instanceof ProviderError ? error : undefined;
      lastError = serializeError(error);
      const rate = provider?.rate;
      call(state, () =>
        state.hooks.onAttempt?.({
          item,
          deploymentId: handle.id,
          attempt: attempts,
          waitedBeforeMs,
          startedAt,
          durationMs: now - startedAt,
          error: rate === undefined ? (lastError as SerializedError) : { ...(lastError as SerializedError), rate },
        }),
      );
      if (provider?.category === 'quota') state.quota429++;
      if (provider?.category === 'capacity') state.capacity429++;
      if (options.halveOn429 && (provider?.category === 'quota' || provider?.category === 'capacity')) {
        limit.value = Math.max(1, Math.floor(limit.value / 2));
        limit.ok = 0;
      }
      if (!provider?.retryable) return fail('fatal', lastError);
      if (attempts >= retry.maxAttempts) return fail('exhausted', lastError);
      const base = provider.retryAfterMs ?? Math.min(retry.baseDelayMs * 2 ** (attempts - 1), retry.maxDelayMs);
      await sleep(state, base * (1 + random() * jitter));
    }
  }

  async function runLane(state: RunState, lane: TargetLane): Promise<void> {
    const iterator = lane.items[Symbol.asyncIterator]();
    const limit = { value: perTarget, ok: 0 };
    const rr = { next: 0 };
    const active = new Set<Promise<void>>();
    for (;;) {
      while (active.size >= limit.value) await Promise.race(active);
      if (state.stopping === 'aborted' || state.error !== undefined) break;
      const next = await iterator.next();
      if (next.done) break;
      const task: Promise<void> = runItem(state, lane, next.value, limit, rr).finally(() => active.delete(task));
      active.add(task);
    }
    await Promise.all(active);
  }

  return {
    async run(lanes: readonly TargetLane[], hooks: SchedulerHooks, signal: AbortSignal): Promise<SchedulerStats> {
      const state: RunState = {
        hooks,
        stopping: undefined,
        sleepers: new Set(),
        pending: new Set(),
        items: 0,
        attempts: 0,
        quota429: 0,
        capacity429: 0,
        inFlight: 0,
        peak: 0,
        error: undefined,
      };
      const stop = (reason: FailureReason) => {
        state.stopping ??= reason;
        for (const wake of [...state.sleepers]) wake();
      };
      const onAbort = () => stop('aborted');
      if (signal.aborted) onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      const deadline = options.deadlineMs === undefined ? undefined : clock.setTimer(() => stop('deadline'), options.deadlineMs);
      try {
        await Promise.all(lanes.map((lane) => runLane(state, lane)));
        while (state.pending.size > 0) await Promise.allSettled([...state.pending]);
      } finally {
        deadline?.cancel();
        signal.removeEventListener('abort', onAbort);
      }
      if (state.error !== undefined) throw state.error;
      return {
        items: state.items,
        attempts: state.attempts,
        quota429: state.quota429,
        capacity429: state.capacity429,
        pausedMs: 0,
        peakInFlight: state.peak,
      };
    },
  };
}
