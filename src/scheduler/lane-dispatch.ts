/**
 * Earliest-feasible-start dispatch of one lane (scheduler-design.md §5.6): while the head item can start
 * now on some member, start it there; when the earliest member is later, arm the lane's one timer for
 * that moment; when every member is at its cap, wait for a completion. Retries whose backoff ended go
 * first. The run loop owns what "start" and "fail" do.
 */
import type { FailureReason, SerializedError } from '../types.ts';
import type { Gate } from './gate.ts';
import type { GlobalShare } from './global-share.ts';
import type { Choice, Entry, Lane } from './lane.ts';
import { chooseGate } from './lane.ts';
import { tooLargeError } from './outcomes.ts';

/** Dispatch treats start times this close to now as now (float noise in window arithmetic). @unit milliseconds */
export const EPSILON_MS = 0.01;

/** How often one head item may be overtaken by smaller ones (backfill), so it waits a bounded time. */
export const maxBypass = 4;

export interface DispatchContext {
  readonly global: GlobalShare;
  /** Reused output of chooseGate (no allocation per decision). */
  readonly choice: Choice;
  /** Items behind the head looked at for backfill (0: strict FIFO). */
  readonly backfillDepth: number;
  fail(entry: Entry, reason: FailureReason, error: SerializedError): void;
  start(lane: Lane, gate: Gate, entry: Entry, now: number): void;
  setTimer(lane: Lane, at: number, now: number): void;
}

export function dispatchReady(lane: Lane, now: number, ctx: DispatchContext): void {
  lane.promoteDueRetries(now, EPSILON_MS);
  for (;;) {
    const head = lane.ready.peekFront();
    if (head === undefined) break;
    if (!ctx.global.hasRoom) {
      ctx.global.wait(lane);
      break;
    }
    const choice = chooseGate(lane.gates, now, head.item.cost, ctx.choice);
    if (!choice.fits) {
      lane.ready.popFront();
      ctx.fail(head, 'fatal', tooLargeError(head.item.cost));
      continue;
    }
    const gate = choice.gate;
    if (gate === undefined) break; // every member is at its cap or probing: a completion re-runs dispatch
    if (choice.at - now > EPSILON_MS) {
      const headAt = choice.at;
      if (head.bypassed < maxBypass && backfill(lane, head, now, ctx)) continue;
      ctx.setTimer(lane, headAt, now);
      break;
    }
    lane.ready.popFront();
    ctx.start(lane, gate, head, now);
  }
  const nextRetry = lane.delayed.peek();
  if (nextRetry !== undefined) ctx.setTimer(lane, nextRetry.notBefore, now);
}

/**
 * Backfill: the head must wait (no member has room for its cost yet), but a smaller item a few places
 * behind it can start now on some member. A sliding window then holds more of its budget instead of
 * idling until the head fits; the head is overtaken at most `maxBypass` times.
 */
function backfill(lane: Lane, head: Entry, now: number, ctx: DispatchContext): boolean {
  const depth = Math.min(ctx.backfillDepth, lane.ready.length - 1);
  for (let i = 1; i <= depth; i++) {
    const entry = lane.ready.at(i) as Entry;
    if (entry.item.cost >= head.item.cost) continue;
    const choice = chooseGate(lane.gates, now, entry.item.cost, ctx.choice);
    if (!choice.fits || choice.gate === undefined || choice.at - now > EPSILON_MS) continue;
    lane.ready.removeAt(i);
    head.bypassed++;
    ctx.start(lane, choice.gate, entry, now);
    return true;
  }
  return false;
}
