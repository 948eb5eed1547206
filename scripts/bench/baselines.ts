/**
 * The baselines of scheduler-design.md §6.5, exactly as defined there, each as a `Scheduler` so the
 * benchmark drives them through the same lanes, providers and emulator as ours:
 * 1. naive: one global p-limit(64) over rows × models in row order, pool members round-robin, the
 *    openai-node default retries (2; hint honoured if < 60 s, else min(0.5 s·2ⁿ, 8 s) × (1 − U(0, 0.25)))
 *    replayed on the benchmark clock; a request still failing after them is lost;
 * 2. promptfoo-like: fixed 16 per model, 3 retries, 1 s·2ᵏ capped at 60 s + 0–20 % jitter, hint
 *    preferred, round-robin pools (our simple runner), and the promptfoo 0.123 halving variant;
 * 3. OpenAI cookbook processor: one instance per deployment, token and request buckets one minute deep
 *    at 100 % or 75 % of quota, a 15 s pause of the instance after any rate-limit error, 5 attempts,
 *    pool rows split statically in proportion to TPM.
 */
import pLimit from 'p-limit';
import { ProviderError, serializeError } from '../../src/errors.ts';
import type { Clock } from '../../src/internal/clock.ts';
import { createSimpleRunner } from '../../src/scheduler/simple-runner.ts';
import type {
  Completion,
  DeploymentHandle,
  Outcome,
  Scheduler,
  SchedulerHooks,
  SchedulerStats,
  TargetLane,
  WorkItem,
} from '../../src/types.ts';

export interface BaselineContext {
  readonly clock: Clock;
  readonly random: () => number;
}

export interface Baseline {
  readonly name: string;
  create(context: BaselineContext): Scheduler;
}

const sleep = (clock: Clock, ms: number) => new Promise<void>((resolve) => clock.setTimer(resolve, ms));

/** openai-node 7.x `calculateDefaultRetryTimeoutMillis` and its hint rule. @unit milliseconds */
function sdkRetryDelay(retriesDone: number, error: unknown, random: () => number): number {
  const hint = error instanceof ProviderError ? error.retryAfterMs : undefined;
  if (hint !== undefined && hint >= 0 && hint < 60_000) return hint;
  return Math.min(0.5 * 2 ** retriesDone, 8) * (1 - random() * 0.25) * 1000;
}

/** Interleaves the lanes row by row, as one loop over rows × models does. */
async function* rowMajor(lanes: readonly TargetLane[]): AsyncGenerator<{ lane: TargetLane; index: number; item: WorkItem }> {
  const iterators = lanes.map((lane) => lane.items[Symbol.asyncIterator]());
  const live = lanes.map(() => true);
  while (live.some(Boolean)) {
    for (let i = 0; i < lanes.length; i++) {
      if (!live[i]) continue;
      const next = await (iterators[i] as AsyncIterator<WorkItem>).next();
      if (next.done) live[i] = false;
      else yield { lane: lanes[i] as TargetLane, index: i, item: next.value };
    }
  }
}

const naive: Baseline = {
  name: 'naive p-limit(64) + SDK retries',
  create: ({ clock, random }) => ({
    async run(lanes, hooks, signal) {
      const limit = pLimit(64);
      const roundRobin = lanes.map(() => 0);
      const stats = { items: 0, attempts: 0, quota429: 0, capacity429: 0, pausedMs: 0, peakInFlight: 0 };
      let inFlight = 0;
      const pending = new Set<Promise<void>>();
      const one = async (lane: TargetLane, laneIndex: number, item: WorkItem) => {
        const started = clock.now();
        const turn = (roundRobin[laneIndex] ?? 0) + 1;
        roundRobin[laneIndex] = turn;
        const handle = lane.deployments[turn % lane.deployments.length] as DeploymentHandle;
        inFlight++;
        stats.peakInFlight = Math.max(stats.peakInFlight, inFlight);
        let outcome: Outcome | undefined;
        for (let retries = 0; outcome === undefined; retries++) {
          const attemptStart = clock.now();
          stats.attempts++;
          try {
            const completion: Completion = await handle.execute(item, signal);
            void hooks.onAttempt?.({
              item,
              deploymentId: handle.id,
              attempt: retries + 1,
              waitedBeforeMs: 0,
              startedAt: attemptStart,
              durationMs: clock.now() - attemptStart,
              completion,
            });
            outcome = { status: 'ok', completion, deploymentId: handle.id, attempts: retries + 1, durationMs: clock.now() - started };
          } catch (error) {
            const category = error instanceof ProviderError ? error.category : undefined;
            if (category === 'quota') stats.quota429++;
            if (category === 'capacity') stats.capacity429++;
            void hooks.onAttempt?.({
              item,
              deploymentId: handle.id,
              attempt: retries + 1,
              waitedBeforeMs: 0,
              startedAt: attemptStart,
              durationMs: clock.now() - attemptStart,
              error: serializeError(error),
            });
            const retryable = error instanceof ProviderError && error.retryable;
            if (retryable && retries < 2) await sleep(clock, sdkRetryDelay(retries, error, random));
            else
              outcome = {
                status: 'failed',
                reason: retryable ? 'exhausted' : 'fatal',
                error: serializeError(error),
                deploymentId: handle.id,
                attempts: retries + 1,
                durationMs: clock.now() - started,
              };
          }
        }
        inFlight--;
        stats.items++;
        await hooks.onSettled(item, outcome);
      };
      for await (const { lane, index, item } of rowMajor(lanes)) {
        while (limit.activeCount + limit.pendingCount >= 64) await Promise.race(pending);
        const task: Promise<void> = limit(() => one(lane, index, item)).finally(() => pending.delete(task));
        pending.add(task);
      }
      await Promise.all(pending);
      return stats;
    },
  }),
};

const promptfooLike = (halving: boolean): Baseline => ({
  name: halving ? 'promptfoo 0.123 (×0.5 on 429)' : 'fixed 16/model + exp. backoff (promptfoo-like)',
  create: ({ clock, random }) =>
    createSimpleRunner({
      clock,
      random,
      concurrencyPerTarget: 16,
      retry: { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 60_000 },
      jitterRatio: 0.2,
      halveOn429: halving,
    }),
});

export const baselines: readonly Baseline[] = [
  naive,
  promptfooLike(false),
  promptfooLike(true),
  cookbookBaseline(1),
  cookbookBaseline(0.75),
];

// ---- OpenAI cookbook api_request_parallel_processor.py ------------------------------------------------

const COOKBOOK_PAUSE_MS = 15_000;
const COOKBOOK_ATTEMPTS = 5;

interface InstanceEvents {
  onSend(): void;
  onResult(instance: CookbookInstance, job: Job, result: { completion: Completion } | { error: unknown }): void;
}

interface Job {
  readonly item: WorkItem;
  attemptsLeft: number;
  readonly queuedAt: number;
}

/** One processor instance bound to one deployment. */
class CookbookInstance {
  readonly #handle: DeploymentHandle;
  readonly #clock: Clock;
  readonly #tpm: number;
  readonly #rpm: number;
  #tokens: number;
  #requests: number;
  #last: number;
  #pausedUntil = 0;
  readonly retries: Job[] = [];
  readonly fresh: Job[] = [];
  #timer: { cancel(): void } | undefined;
  inFlight = 0;

  readonly #events: InstanceEvents;

  constructor(handle: DeploymentHandle, clock: Clock, fraction: number, events: InstanceEvents) {
    this.#handle = handle;
    this.#clock = clock;
    this.#tpm = (handle.limits.tpm ?? 1e12) * fraction;
    this.#rpm = (handle.limits.rpm ?? 1e12) * fraction;
    this.#tokens = this.#tpm; // the script starts with full capacity
    this.#requests = this.#rpm;
    this.#last = clock.now();
    this.#events = events;
  }

  get id(): string {
    return this.#handle.id;
  }

  rateLimited(): void {
    this.#pausedUntil = this.#clock.now() + COOKBOOK_PAUSE_MS;
  }

  /** The main loop of the script, event-driven instead of a 1 ms poll (same decisions). */
  pump(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    const now = this.#clock.now();
    if (now < this.#pausedUntil) {
      this.#timer = this.#clock.setTimer(() => this.pump(), this.#pausedUntil - now);
      return;
    }
    const elapsed = now - this.#last;
    this.#tokens = Math.min(this.#tpm, this.#tokens + (this.#tpm * elapsed) / 60_000);
    this.#requests = Math.min(this.#rpm, this.#requests + (this.#rpm * elapsed) / 60_000);
    this.#last = now;
    for (;;) {
      const job = this.retries[0] ?? this.fresh[0];
      if (job === undefined) return;
      if (this.#requests < 1 || this.#tokens < job.item.cost) {
        const wait = Math.max(((1 - this.#requests) * 60_000) / this.#rpm, ((job.item.cost - this.#tokens) * 60_000) / this.#tpm, 1);
        this.#timer = this.#clock.setTimer(() => this.pump(), wait);
        return;
      }
      (this.retries.length > 0 ? this.retries : this.fresh).shift();
      this.#requests -= 1;
      this.#tokens -= job.item.cost;
      job.attemptsLeft--;
      this.inFlight++;
      this.#events.onSend();
      this.#handle.execute(job.item, new AbortController().signal).then(
        (completion) => this.#events.onResult(this, job, { completion }),
        (error: unknown) => this.#events.onResult(this, job, { error }),
      );
    }
  }
}

function cookbookBaseline(fraction: number): Baseline {
  return {
    name: `cookbook at ${Math.round(fraction * 100)} %`,
    create: ({ clock }) => ({
      async run(lanes: readonly TargetLane[], hooks: SchedulerHooks): Promise<SchedulerStats> {
        const stats = { items: 0, attempts: 0, quota429: 0, capacity429: 0, pausedMs: 0, peakInFlight: 0 };
        let inFlight = 0;
        let outstanding = 0;
        let finish!: () => void;
        const done = new Promise<void>((resolve) => (finish = resolve));
        const onResult = (instance: CookbookInstance, job: Job, result: { completion: Completion } | { error: unknown }) => {
          instance.inFlight--;
          inFlight--;
          stats.attempts++;
          const attempt = COOKBOOK_ATTEMPTS - job.attemptsLeft;
          let outcome: Outcome | undefined;
          if ('completion' in result) {
            void hooks.onAttempt?.({
              item: job.item,
              deploymentId: instance.id,
              attempt,
              waitedBeforeMs: 0,
              startedAt: clock.now(),
              durationMs: 0,
              completion: result.completion,
            });
            outcome = {
              status: 'ok',
              completion: result.completion,
              deploymentId: instance.id,
              attempts: attempt,
              durationMs: clock.now() - job.queuedAt,
            };
          } else {
            const category = result.error instanceof ProviderError ? result.error.category : undefined;
            void hooks.onAttempt?.({
              item: job.item,
              deploymentId: instance.id,
              attempt,
              waitedBeforeMs: 0,
              startedAt: clock.now(),
              durationMs: 0,
              error: serializeError(result.error),
            });
            if (category === 'quota') {
              stats.quota429++;
              instance.rateLimited();
            }
            if (category === 'capacity') stats.capacity429++;
            // the script retries every error while attempts are left, then logs the request as failed
            if (job.attemptsLeft > 0) instance.retries.push(job);
            else
              outcome = {
                status: 'failed',
                reason: 'exhausted',
                error: serializeError(result.error),
                deploymentId: instance.id,
                attempts: attempt,
                durationMs: clock.now() - job.queuedAt,
              };
          }
          if (outcome !== undefined) {
            stats.items++;
            outstanding--;
            void hooks.onSettled(job.item, outcome);
            if (outstanding === 0) finish();
          }
          instance.pump();
        };
        for (const lane of lanes) {
          const events: InstanceEvents = {
            onSend: () => {
              inFlight++;
              stats.peakInFlight = Math.max(stats.peakInFlight, inFlight);
            },
            onResult,
          };
          const instances = lane.deployments.map((handle) => new CookbookInstance(handle, clock, fraction, events));
          // static split in proportion to TPM: each row goes to the member furthest behind its share
          const weights = lane.deployments.map((d) => d.limits.tpm ?? 1);
          const total = weights.reduce((a, b) => a + b, 0);
          const given = instances.map(() => 0);
          let n = 0;
          for await (const item of lane.items) {
            n++;
            let best = 0;
            for (let i = 1; i < instances.length; i++)
              if (
                (given[i] as number) - (n * (weights[i] as number)) / total <
                (given[best] as number) - (n * (weights[best] as number)) / total
              )
                best = i;
            given[best] = (given[best] as number) + 1;
            (instances[best] as CookbookInstance).fresh.push({ item, attemptsLeft: COOKBOOK_ATTEMPTS, queuedAt: clock.now() });
            outstanding++;
          }
          for (const instance of instances) instance.pump();
        }
        if (outstanding > 0) await done;
        return stats;
      },
    }),
  };
}
