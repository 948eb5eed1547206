/**
 * One run of the quota-aware scheduler: lazy cursors, earliest-feasible-start dispatch with one timer
 * per lane, attempt outcomes, and the settle-exactly-once invariant. Nothing polls: completions, 429s,
 * cursor pulls and the lane timers are the only things that re-run dispatch.
 */
import { ProviderError, serializeError } from '../errors.ts';
import type { Completion, FailureReason, Outcome, SchedulerHooks, SchedulerStats, SerializedError, TargetLane } from '../types.ts';
import type { ResolvedSchedulerOptions } from './defaults.ts';
import type { DispatchTicket } from './gate.ts';
import { Gate } from './gate.ts';
import { GlobalShare } from './global-share.ts';
import { HookCalls } from './hook-calls.ts';
import type { Choice, Entry } from './lane.ts';
import { chooseGate, createEntry, Lane } from './lane.ts';
import { attemptEvent, lastErrorOr, schedulerError, tooLargeError, unreachableError } from './outcomes.ts';
import { classifyFailure, hintWaitMs, overloadRetryDelay } from './retry.ts';

/** Dispatch treats start times this close to now as now (float noise in window arithmetic). @unit milliseconds */
const EPSILON_MS = 0.01;

export class RunLoop {
  readonly #o: ResolvedSchedulerOptions;
  readonly #hooks: SchedulerHooks;
  readonly #signal: AbortSignal;
  readonly #lanes: Lane[];
  readonly #gates: Gate[] = [];
  /** Lanes served by each gate: a deployment shared by two targets (a judge) wakes both. */
  readonly #lanesByGate = new Map<Gate, Lane[]>();
  readonly #global: GlobalShare;
  readonly #choice: Choice = { gate: undefined, at: 0, fits: false };
  /** In-flight attempts are never aborted by the run signal: on abort they finish and settle normally. */
  readonly #execSignal = new AbortController().signal;
  readonly #hooksCalled = new HookCalls(
    (error) => this.#hookFailed(error),
    () => this.#afterHook(),
  );
  #stopping: 'aborted' | 'deadline' | undefined;
  #runError: unknown;
  #finished = false;
  #items = 0;
  #attempts = 0;
  #quota429 = 0;
  #capacity429 = 0;
  #deadlineTimer: { cancel(): void } | undefined;
  #lastSnapshot = Number.NEGATIVE_INFINITY;
  #snapshotTimer: { cancel(): void } | undefined;
  #resolve!: (stats: SchedulerStats) => void;
  #reject!: (error: unknown) => void;
  readonly #onAbort = () => this.#stop('aborted');

  constructor(options: ResolvedSchedulerOptions, lanes: readonly TargetLane[], hooks: SchedulerHooks, signal: AbortSignal) {
    this.#o = options;
    this.#hooks = hooks;
    this.#signal = signal;
    this.#global = new GlobalShare(options.maxInFlight);
    const now = options.clock.now();
    const byId = new Map<string, Gate>();
    this.#lanes = lanes.map((lane) => {
      const gates = lane.deployments.map((handle) => {
        // a deployment listed by two lanes (a shared judge) is one gate: one quota, one mirror
        let gate = byId.get(handle.id);
        if (gate === undefined) {
          gate = new Gate(handle, options, now);
          byId.set(handle.id, gate);
          this.#gates.push(gate);
        }
        return gate;
      });
      return new Lane(lane, gates);
    });
    for (const lane of this.#lanes) {
      for (const gate of lane.gates) {
        const list = this.#lanesByGate.get(gate) ?? [];
        if (!list.includes(lane)) list.push(lane);
        this.#lanesByGate.set(gate, list);
      }
    }
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
      if (lane.gates.length === 0) lane.terminal = { reason: 'unavailable', error: schedulerError('E_NO_DEPLOYMENT', `target "${lane.target}" has no deployment`) };
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
    lane.pulling = true;
    let next: Promise<IteratorResult<unknown>>;
    try {
      next = lane.iterator.next();
    } catch (error) {
      this.#cursorFailed(lane, error);
      return;
    }
    next.then(
      (result) => {
        lane.pulling = false;
        if (result.done) lane.done = true;
        else this.#accept(lane, createEntry(result.value as Entry['item'], this.#o.clock.now()));
        this.#pump(lane);
        this.#checkFinished();
      },
      (error: unknown) => this.#cursorFailed(lane, error),
    );
  }

  #accept(lane: Lane, entry: Entry): void {
    if (lane.terminal !== undefined) this.#fail(lane, entry, lane.terminal.reason, lane.terminal.error);
    else if (this.#stopping !== undefined) this.#fail(lane, entry, this.#stopping, this.#stopError(this.#stopping));
    else {
      lane.ready.pushBack(entry);
      this.#dispatch(lane);
    }
  }

  #cursorFailed(lane: Lane, error: unknown): void {
    lane.pulling = false;
    lane.done = true;
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
    this.#snapshot(now);
    if (this.#laneUnavailable(lane, now)) return;
    this.#promoteDueRetries(lane, now);
    for (;;) {
      const head = lane.ready.peekFront();
      if (head === undefined) break;
      if (!this.#global.hasRoom) {
        this.#global.wait(lane);
        break;
      }
      const choice = chooseGate(lane.gates, now, head.item.cost, this.#choice);
      if (!choice.fits) {
        lane.ready.popFront();
        this.#fail(lane, head, 'fatal', tooLargeError(head.item.cost));
        continue;
      }
      const gate = choice.gate;
      if (gate === undefined) break; // every member is at its cap or probing: a completion re-runs dispatch
      if (choice.at - now > EPSILON_MS) {
        this.#setTimer(lane, choice.at, now);
        break;
      }
      lane.ready.popFront();
      this.#startAttempt(lane, gate, head, now);
    }
    const nextRetry = lane.delayed.peek();
    if (nextRetry !== undefined) this.#setTimer(lane, nextRetry.notBefore, now);
  }

  /**
   * Diagnostics at most once per `everyMs`, with a trailing snapshot for a dispatch that fell inside the
   * interval: the state it saw (a pause just begun, a probe failed) may be the last before a quiet spell,
   * and a progress line would otherwise never hear of it.
   */
  #snapshot(now: number): void {
    const diagnostics = this.#o.diagnostics;
    if (diagnostics === undefined) return;
    if (now - this.#lastSnapshot >= diagnostics.everyMs) {
      this.#snapshotTimer?.cancel();
      this.#snapshotTimer = undefined;
      this.#lastSnapshot = now;
      diagnostics.onSnapshot(this.#gates.map((gate) => gate.snapshot(now)));
    } else if (this.#snapshotTimer === undefined) {
      this.#snapshotTimer = this.#o.clock.setTimer(() => {
        this.#snapshotTimer = undefined;
        if (!this.#finished) this.#snapshot(this.#o.clock.now());
      }, this.#lastSnapshot + diagnostics.everyMs - now);
    }
  }

  /** Moves retries whose backoff has passed to the head of the ready queue, earliest due first. */
  #promoteDueRetries(lane: Lane, now: number): void {
    const delayed = lane.delayed;
    if (delayed.length === 0 || (delayed.peek() as Entry).notBefore > now + EPSILON_MS) return;
    const due: Entry[] = [];
    while (delayed.length > 0 && (delayed.peek() as Entry).notBefore <= now + EPSILON_MS) due.push(delayed.pop() as Entry);
    for (let i = due.length - 1; i >= 0; i--) lane.ready.pushFront(due[i] as Entry);
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
    if (lane.timer !== undefined && lane.timerAt <= at) return;
    lane.cancelTimer();
    lane.timerAt = at;
    lane.timer = this.#o.clock.setTimer(() => {
      lane.timer = undefined;
      lane.timerAt = Number.POSITIVE_INFINITY;
      this.#dispatch(lane);
    }, at - now);
  }

  // ---- attempts -------------------------------------------------------------------------------------

  #startAttempt(lane: Lane, gate: Gate, entry: Entry, now: number): void {
    entry.sent++;
    entry.deploymentId = gate.id;
    this.#attempts++;
    lane.inFlight++;
    this.#global.acquire(lane, entry.item.cost);
    const ticket = gate.onDispatch(now, entry.item.cost);
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

  #onAttemptEnd(lane: Lane, gate: Gate, entry: Entry, ticket: DispatchTicket, waited: number, result: { completion: Completion } | { error: unknown }): void {
    const now = this.#o.clock.now();
    lane.inFlight--;
    this.#global.release();
    this.#hooksCalled.call(() => this.#hooks.onAttempt?.(attemptEvent(entry, gate.id, waited, ticket.at, now - ticket.at, result)));
    entry.readyAt = now;
    if ('completion' in result) {
      gate.onSuccess(now, ticket, result.completion);
      const outcome: Outcome = { status: 'ok', completion: result.completion, deploymentId: gate.id, attempts: entry.sent, durationMs: now - entry.queuedAt };
      this.#settle(entry, outcome);
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
    const provider = error instanceof ProviderError ? error : undefined;
    const cls = classifyFailure(error);
    if (cls === 'quota') {
      this.#quota429++;
      gate.onQuota(now, ticket, provider?.retryAfterMs, provider?.rate, this.#o.random);
    } else if (provider?.category === 'connection' && !gate.answered) {
      // never answered: a bounded probe, then the deployment is dead like a 401 (first-contact.ts)
      gate.onUnreachable(now, error, (attempts) => unreachableError(gate.id, provider, attempts));
    } else if (cls === 'overload') {
      if (provider?.category === 'capacity') this.#capacity429++;
      if (this.#stopping === 'aborted' && provider?.category === 'aborted') gate.onNeutral(now, ticket);
      else gate.onOverload(now, ticket, error, provider?.rate, provider?.category === 'timeout' || provider?.category === 'connection');
    } else if (cls === 'config') {
      gate.onConfigFailure(now, ticket, error);
    } else {
      gate.onRequestFault(now, ticket, provider?.rate);
    }
    const serialized = serializeError(error);
    if (cls === 'fatal') return this.#fail(lane, entry, 'fatal', serialized);
    if (lane.terminal !== undefined) return this.#fail(lane, entry, lane.terminal.reason, lane.terminal.error);
    if (this.#stopping !== undefined) return this.#fail(lane, entry, this.#stopping, serialized);
    if (cls === 'overload') {
      entry.failures++;
      if (entry.failures >= this.#o.retry.maxAttempts) return this.#fail(lane, entry, 'exhausted', serialized);
      const hint = provider?.category === 'capacity' || provider?.category === 'server' ? hintWaitMs(provider.retryAfterMs, undefined) : undefined;
      const step = overloadRetryDelay(hint, entry.backoff, this.#o.retry, this.#o.random);
      entry.backoff = step.state;
      entry.notBefore = now + step.delayMs;
      lane.delayed.push(entry);
      return;
    }
    // quota and config failures cost the item nothing: back to the head, maybe to a peer with room
    lane.ready.pushFront(entry);
  }

  #wakeWaitingLanes(): void {
    while (this.#global.hasRoom) {
      const lane = this.#global.next();
      if (lane === undefined) return;
      this.#dispatch(lane);
    }
  }

  // ---- settling -------------------------------------------------------------------------------------

  #fail(lane: Lane, entry: Entry, reason: FailureReason, error: SerializedError): void {
    void lane;
    const outcome: Outcome = { status: 'failed', reason, error, deploymentId: entry.deploymentId, attempts: entry.sent, durationMs: this.#o.clock.now() - entry.queuedAt };
    this.#settle(entry, outcome);
  }

  #settle(entry: Entry, outcome: Outcome): void {
    if (entry.settled) throw new Error(`scheduler invariant broken: ${entry.item.key} settled twice`);
    entry.settled = true;
    this.#items++;
    this.#hooksCalled.call(() => this.#hooks.onSettled(entry.item, outcome));
  }

  /** Settles everything the lane holds and drains its cursor with the same outcome. */
  #failLane(lane: Lane, reason: FailureReason, error: SerializedError): void {
    lane.terminal ??= { reason, error };
    lane.cancelTimer();
    for (let entry = lane.ready.popFront(); entry !== undefined; entry = lane.ready.popFront()) this.#fail(lane, entry, reason, lastErrorFor(reason, entry, error));
    for (let entry = lane.delayed.pop(); entry !== undefined; entry = lane.delayed.pop()) this.#fail(lane, entry, reason, lastErrorFor(reason, entry, error));
    this.#pump(lane);
  }

  #stop(reason: 'aborted' | 'deadline'): void {
    if (this.#stopping !== undefined || this.#finished) return;
    this.#stopping = reason;
    for (const lane of this.#lanes) {
      const error = this.#stopError(reason);
      if (reason === 'deadline') this.#failLane(lane, reason, error); // the deadline accounts for every item
      else {
        lane.cancelTimer();
        for (let entry = lane.ready.popFront(); entry !== undefined; entry = lane.ready.popFront()) this.#fail(lane, entry, reason, lastErrorOr(entry, error));
        for (let entry = lane.delayed.pop(); entry !== undefined; entry = lane.delayed.pop()) this.#fail(lane, entry, reason, lastErrorOr(entry, error));
      }
    }
    this.#checkFinished();
  }

  #stopError(reason: 'aborted' | 'deadline'): SerializedError {
    return reason === 'deadline'
      ? schedulerError('E_DEADLINE', `the run deadline of ${this.#o.deadlineMs} ms passed`, undefined, true)
      : schedulerError('E_ABORTED', 'the run was aborted', 'aborted', true);
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
    const end = this.#o.clock.now();
    for (const lane of this.#lanes) lane.cancelTimer();
    this.#deadlineTimer?.cancel();
    this.#snapshotTimer?.cancel();
    this.#signal.removeEventListener('abort', this.#onAbort);
    let pausedMs = 0;
    for (const gate of this.#gates) pausedMs += gate.pausedMs(end);
    const stats: SchedulerStats = { items: this.#items, attempts: this.#attempts, quota429: this.#quota429, capacity429: this.#capacity429, pausedMs, peakInFlight: this.#global.peak };
    void this.#hooksCalled.drain().then(() => (this.#runError === undefined ? this.#resolve(stats) : this.#reject(this.#runError)));
  }

}

function lastErrorFor(reason: FailureReason, entry: Entry, laneError: SerializedError): SerializedError {
  // 'unavailable' names the deployment's problem; a deadline keeps the item's own last error if any
  return reason === 'deadline' ? lastErrorOr(entry, laneError) : laneError;
}
