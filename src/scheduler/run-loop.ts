/**
 * One run of the quota-aware scheduler: lazy cursors, earliest-feasible-start dispatch with one timer
 * per lane, attempt outcomes, and the settle-exactly-once invariant. Nothing polls: completions, 429s,
 * cursor pulls and the lane timers are the only things that re-run dispatch.
 */
import { serializeError } from '../errors.ts';
import type { Completion, FailureReason, Outcome, SchedulerHooks, SchedulerStats, SerializedError, TargetLane } from '../types.ts';
import { feedGate, planOverloadRetry } from './attempt-failure.ts';
import type { ResolvedSchedulerOptions } from './defaults.ts';
import type { DispatchTicket, Gate } from './gate.ts';
import { GlobalShare } from './global-share.ts';
import { HookCalls } from './hook-calls.ts';
import type { Entry, Lane } from './lane.ts';
import { createEntry } from './lane.ts';
import type { DispatchContext } from './lane-dispatch.ts';
import { dispatchReady } from './lane-dispatch.ts';
import { wireLanes } from './lane-wiring.ts';
import { Settlement } from './settlement.ts';
import { SnapshotThrottle } from './snapshot-throttle.ts';
import { attemptEvent, lastErrorFor, lastErrorOr, schedulerError, stopError } from './outcomes.ts';

export class RunLoop {
  readonly #o: ResolvedSchedulerOptions;
  readonly #hooks: SchedulerHooks;
  readonly #signal: AbortSignal;
  readonly #lanes: Lane[];
  readonly #gates: Gate[];
  /** Lanes served by each gate: a deployment shared by two targets (a judge) wakes both. */
  readonly #lanesByGate: Map<Gate, Lane[]>;
  readonly #global: GlobalShare;
  readonly #dispatchContext: DispatchContext;
  /** In-flight attempts are never aborted by the run signal: on abort they finish and settle normally. */
  readonly #execSignal = new AbortController().signal;
  /** Model-list checks end with the run: one still waiting on an unreachable host must not hold the process. */
  readonly #listChecks = new AbortController();
  readonly #hooksCalled = new HookCalls(
    (error) => this.#hookFailed(error),
    () => this.#afterHook(),
  );
  readonly #settled: Settlement;
  #stopping: 'aborted' | 'deadline' | undefined;
  #runError: unknown;
  #finished = false;
  #attempts = 0;
  #quota429 = 0;
  #capacity429 = 0;
  #deadlineTimer: { cancel(): void } | undefined;
  readonly #snapshots: SnapshotThrottle;
  #resolve!: (stats: SchedulerStats) => void;
  #reject!: (error: unknown) => void;
  readonly #onAbort = () => this.#stop('aborted');

  constructor(options: ResolvedSchedulerOptions, lanes: readonly TargetLane[], hooks: SchedulerHooks, signal: AbortSignal) {
    this.#o = options;
    this.#hooks = hooks;
    this.#signal = signal;
    this.#settled = new Settlement(options.clock, hooks, this.#hooksCalled);
    this.#global = new GlobalShare(options.maxInFlight);
    this.#dispatchContext = {
      global: this.#global,
      choice: { gate: undefined, at: 0, fits: false },
      backfillDepth: options.backfillDepth,
      fail: (entry, reason, error) => this.#settled.fail(entry, reason, error),
      start: (lane, gate, entry, now) => this.#startAttempt(lane, gate, entry, now),
      setTimer: (lane, at, now) => this.#setTimer(lane, at, now),
    };
    const wiring = wireLanes(options, lanes, options.clock.now());
    this.#lanes = wiring.lanes;
    this.#gates = wiring.gates;
    this.#lanesByGate = wiring.lanesByGate;
    this.#snapshots = new SnapshotThrottle(options.clock, options.diagnostics, this.#gates);
  }

  start(): Promise<SchedulerStats> {
    const done = new Promise<SchedulerStats>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    if (this.#signal.aborted) this.#stop('aborted');
    else this.#signal.addEventListener('abort', this.#onAbort, { once: true });
    if (Number.isFinite(this.#o.deadlineMs)) this.#deadlineTimer = this.#o.clock.setTimer(() => this.#stop('deadline'), this.#o.deadlineMs);
    for (const lane of this.#lanes) {
      if (lane.gates.length === 0)
        lane.terminal = { reason: 'unavailable', error: schedulerError('E_NO_DEPLOYMENT', `target "${lane.target}" has no deployment`) };
      this.#pump(lane);
    }
    this.#checkFinished();
    return done;
  }

  // ---- cursor ---------------------------------------------------------------------------------------

  #pump(lane: Lane): void {
    if (lane.pulling || lane.done || this.#stopping === 'aborted') return;
    if (lane.terminal === undefined) {
      if (lane.queued >= lane.lookAhead || this.#hooksCalled.pending >= 2 * this.#global.cap) return;
    }
    lane.pull(
      (item) => {
        if (item !== undefined) this.#accept(lane, createEntry(item, this.#o.clock.now()));
        this.#pump(lane);
        this.#checkFinished();
      },
      (error) => this.#cursorFailed(lane, error),
    );
  }

  #accept(lane: Lane, entry: Entry): void {
    if (lane.terminal !== undefined) this.#settled.fail(entry, lane.terminal.reason, lane.terminal.error);
    else if (this.#stopping !== undefined) this.#settled.fail(entry, this.#stopping, stopError(this.#stopping, this.#o.deadlineMs));
    else {
      lane.ready.pushBack(entry);
      this.#dispatch(lane);
    }
  }

  #cursorFailed(_lane: Lane, error: unknown): void {
    this.#runError ??= error;
    this.#stop('aborted');
    this.#checkFinished();
  }

  // ---- dispatch -------------------------------------------------------------------------------------

  #dispatch(lane: Lane): void {
    if (lane.dispatching || this.#finished) return;
    lane.dispatching = true;
    try {
      this.#dispatchLoop(lane);
    } finally {
      lane.dispatching = false;
    }
    this.#pump(lane);
  }

  #dispatchLoop(lane: Lane): void {
    if (this.#stopping !== undefined || lane.terminal !== undefined) return;
    const now = this.#o.clock.now();
    this.#snapshots.tick(now);
    if (this.#laneUnavailable(lane, now)) return;
    dispatchReady(lane, now, this.#dispatchContext);
  }

  /** Gives up on a lane whose members are all misconfigured, or all open past the grace. */
  #laneUnavailable(lane: Lane, now: number): boolean {
    const health = lane.health(now, this.#o.unavailableAfterMs);
    if (health.kind === 'usable') return false;
    if (health.kind === 'waiting') {
      this.#setTimer(lane, health.until, now);
      return false;
    }
    this.#failLane(lane, 'unavailable', health.error);
    return true;
  }

  #setTimer(lane: Lane, at: number, now: number): void {
    lane.armTimer(this.#o.clock, at, now, () => this.#dispatch(lane));
  }

  // ---- attempts -------------------------------------------------------------------------------------

  #startAttempt(lane: Lane, gate: Gate, entry: Entry, now: number): void {
    entry.sent++;
    entry.deploymentId = gate.id;
    this.#attempts++;
    lane.inFlight++;
    this.#global.acquire(lane, entry.item.cost);
    const ticket = gate.onDispatch(now, entry.item.cost);
    if (gate.takeListCheck()) this.#checkListed(gate);
    const waited = now - entry.readyAt;
    let attempt: Promise<Completion>;
    try {
      attempt = gate.handle.execute(entry.item, this.#execSignal);
    } catch (error) {
      attempt = Promise.reject(error);
    }
    attempt.then(
      (completion) => this.#onAttemptEnd(lane, gate, entry, ticket, waited, { completion }),
      (error: unknown) => this.#onAttemptEnd(lane, gate, entry, ticket, waited, { error }),
    );
  }

  /**
   * First contact sends one request at a time until the deployment answers (first-contact.ts). Beside
   * that first request goes a model-list request, which generates nothing: a list naming the deployment
   * lifts the cap at once, instead of after the first request's whole generation (1-9 s in S11, a
   * reasoning model's minute).
   */
  #checkListed(gate: Gate): void {
    let listed: Promise<boolean>;
    try {
      listed = gate.handle.checkListed?.(this.#listChecks.signal) ?? Promise.resolve(false);
    } catch {
      listed = Promise.resolve(false);
    }
    listed.then(
      (named) => {
        if (!named || this.#finished || gate.answered) return;
        gate.onListed();
        for (const lane of this.#lanesByGate.get(gate) ?? []) this.#dispatch(lane);
      },
      () => undefined,
    );
  }

  #onAttemptEnd(
    lane: Lane,
    gate: Gate,
    entry: Entry,
    ticket: DispatchTicket,
    waited: number,
    result: { completion: Completion } | { error: unknown },
  ): void {
    const now = this.#o.clock.now();
    lane.inFlight--;
    this.#global.release();
    this.#hooksCalled.call(() => this.#hooks.onAttempt?.(attemptEvent(entry, gate.id, waited, ticket.at, now - ticket.at, result)));
    entry.readyAt = now;
    if ('completion' in result) {
      gate.onSuccess(now, ticket, result.completion);
      const outcome: Outcome = {
        status: 'ok',
        completion: result.completion,
        deploymentId: gate.id,
        attempts: entry.sent,
        durationMs: now - entry.queuedAt,
      };
      this.#settled.settle(entry, outcome);
    } else {
      this.#onFailure(lane, gate, entry, ticket, result.error, now);
    }
    this.#wakeWaitingLanes();
    this.#dispatch(lane);
    const sharers = this.#lanesByGate.get(gate);
    if (sharers !== undefined && sharers.length > 1) for (const other of sharers) if (other !== lane) this.#dispatch(other);
    this.#checkFinished();
  }

  #onFailure(lane: Lane, gate: Gate, entry: Entry, ticket: DispatchTicket, error: unknown, now: number): void {
    entry.lastError = error;
    const { cls, quota429, capacity429 } = feedGate(gate, ticket, error, now, this.#o, this.#stopping === 'aborted');
    if (quota429) this.#quota429++;
    if (capacity429) this.#capacity429++;
    const serialized = serializeError(error);
    if (cls === 'fatal') this.#settled.fail(entry, 'fatal', serialized);
    else if (lane.terminal !== undefined) this.#settled.fail(entry, lane.terminal.reason, lane.terminal.error);
    else if (this.#stopping !== undefined) this.#settled.fail(entry, this.#stopping, serialized);
    else if (cls !== 'overload')
      lane.ready.pushFront(entry); // quota and config failures cost the item nothing: back to the head, maybe to a peer with room
    else if (planOverloadRetry(entry, error, now, this.#o) === 'exhausted') this.#settled.fail(entry, 'exhausted', serialized);
    else lane.delayed.push(entry);
  }

  #wakeWaitingLanes(): void {
    while (this.#global.hasRoom) {
      const lane = this.#global.next();
      if (lane === undefined) return;
      this.#dispatch(lane);
    }
  }

  // ---- stopping -------------------------------------------------------------------------------------

  /** Settles everything the lane holds and drains its cursor with the same outcome. */
  #failLane(lane: Lane, reason: FailureReason, error: SerializedError): void {
    lane.terminal ??= { reason, error };
    lane.cancelTimer();
    this.#settled.drain(lane, reason, (entry) => lastErrorFor(reason, entry, error));
    this.#pump(lane);
  }

  #stop(reason: 'aborted' | 'deadline'): void {
    if (this.#stopping !== undefined || this.#finished) return;
    this.#stopping = reason;
    for (const lane of this.#lanes) {
      const error = stopError(reason, this.#o.deadlineMs);
      if (reason === 'deadline')
        this.#failLane(lane, reason, error); // the deadline accounts for every item
      else {
        lane.cancelTimer();
        this.#settled.drain(lane, reason, (entry) => lastErrorOr(entry, error));
      }
    }
    this.#checkFinished();
  }

  #hookFailed(error: unknown): void {
    this.#runError ??= error;
    this.#stop('aborted');
  }

  /** Slow hooks throttle the cursors; as they drain, pulling resumes. */
  #afterHook(): void {
    if (this.#finished) return;
    for (const lane of this.#lanes) this.#pump(lane);
    this.#checkFinished();
  }

  #checkFinished(): void {
    if (this.#finished) return;
    const noMorePulls = this.#stopping === 'aborted';
    for (const lane of this.#lanes) {
      if (lane.inFlight > 0 || lane.queued > 0 || lane.pulling) return;
      if (!lane.done && !noMorePulls) return;
    }
    this.#finished = true;
    this.#listChecks.abort();
    const end = this.#o.clock.now();
    for (const lane of this.#lanes) lane.cancelTimer();
    this.#deadlineTimer?.cancel();
    this.#snapshots.stop();
    this.#signal.removeEventListener('abort', this.#onAbort);
    let pausedMs = 0;
    for (const gate of this.#gates) pausedMs += gate.pausedMs(end);
    const stats: SchedulerStats = {
      items: this.#settled.items,
      attempts: this.#attempts,
      quota429: this.#quota429,
      capacity429: this.#capacity429,
      pausedMs,
      peakInFlight: this.#global.peak,
    };
    void this.#hooksCalled.drain().then(() => (this.#runError === undefined ? this.#resolve(stats) : this.#reject(this.#runError)));
  }
}
