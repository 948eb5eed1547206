/**
 * Earliest-feasible-start dispatch of one lane (scheduler-design.md §5.6): while the head item can start
 * now on some member, start it there (or, best fit, a larger item a few places behind it that also fits
 * there now); when the earliest member is later, arm the lane's one timer for that moment; when every
 * member is at its cap, wait for a completion. Retries whose backoff ended go first. The run loop owns
 * what "start" and "fail" do.
 */
import type { FailureReason, SerializedError } from '../types.ts';
import type { Gate } from './gate.ts';
import type { GlobalShare } from './global-share.ts';
import type { Choice, Entry, Lane } from './lane.ts';
import { chooseGate } from './lane.ts';
import { tooLargeError } from './outcomes.ts';

/** Dispatch treats start times this close to now as now (float noise in window arithmetic). @unit milliseconds */
export const EPSILON_MS = 0.01;

/**
 * How often one head item may be overtaken (by a smaller one while it waits, by a larger one that fills a
 * member's room better), so it waits a bounded time. 16, not 4: on S2's pool the best fit then had room
 * to work (virtual clock, 6 seeds: the pool 0.921–0.939 of its bound at 8, 0.929–0.941 at 16).
 */
export const maxBypass = 16;

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
    if (head.bypassed < maxBypass) {
      const index = largerFit(lane, head, gate, now, ctx.backfillDepth);
      if (index > 0) {
        startOutOfTurn(lane, head, index, gate, now, ctx);
        continue;
      }
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
    startOutOfTurn(lane, head, i, choice.gate, now, ctx);
    return true;
  }
  return false;
}

/**
 * Best fit when the head can start now on `gate`: the index of the largest item among the next
 * `backfillDepth` that can also start there now, or 0 for the head itself. A short window holds only a
 * few request costs, and taking the head as it comes leaves gaps no item fits (in its first windows
 * S2's 3,000-token member took one ~1,750-token request per 10 s, 58 % of its budget; virtual clock,
 * S2's pool 0.907 → 0.925–0.944 of its bound over 12 seeds with this and the larger bypass limit).
 * Taking the largest in backfill too measured the same, so backfill keeps to queue order.
 */
function largerFit(lane: Lane, head: Entry, gate: Gate, now: number, backfillDepth: number): number {
  const depth = Math.min(backfillDepth, lane.ready.length - 1);
  // Order cannot leave a gap when nothing behind is larger, or when all of them fit now together (a
  // quota far from binding: one check instead of one per item).
  let total = head.item.cost;
  let largest = total;
  for (let i = 1; i <= depth; i++) {
    const cost = (lane.ready.at(i) as Entry).item.cost;
    total += cost;
    if (cost > largest) largest = cost;
  }
  if (largest === head.item.cost) return 0;
  if (startsNowOn(gate, now, total)) return 0;
  let bestIndex = 0;
  let bestCost = head.item.cost;
  for (let i = 1; i <= depth; i++) {
    const cost = (lane.ready.at(i) as Entry).item.cost;
    if (cost <= bestCost || !startsNowOn(gate, now, cost)) continue;
    bestIndex = i;
    bestCost = cost;
  }
  return bestIndex;
}

function startsNowOn(gate: Gate, now: number, cost: number): boolean {
  return gate.fits(cost) && gate.earliestStart(now, cost) - now <= EPSILON_MS;
}

function startOutOfTurn(lane: Lane, head: Entry, index: number, gate: Gate, now: number, ctx: DispatchContext): void {
  const entry = lane.ready.at(index) as Entry;
  lane.ready.removeAt(index);
  head.bypassed++;
  ctx.start(lane, gate, entry, now);
}
