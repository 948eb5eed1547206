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

export interface DispatchContext {
  readonly global: GlobalShare;
  /** Reused output of chooseGate (no allocation per decision). */
  readonly choice: Choice;
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
      ctx.setTimer(lane, choice.at, now);
      break;
    }
    lane.ready.popFront();
    ctx.start(lane, gate, head, now);
  }
  const nextRetry = lane.delayed.peek();
  if (nextRetry !== undefined) ctx.setTimer(lane, nextRetry.notBefore, now);
}
