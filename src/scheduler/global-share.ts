/**
 * The global in-flight cap shared by all lanes (memory and sockets). When it binds, a freed slot goes
 * to the waiting lane that has been served the least admission cost so far: deficit round robin with
 * cost as the quantum's unit, so a lane with long prompts cannot starve the others.
 */
import type { Lane } from './lane.ts';

export class GlobalShare {
  readonly cap: number;
  inFlight = 0;
  peak = 0;
  readonly #waiting: Lane[] = [];

  constructor(cap: number) {
    this.cap = Math.max(1, cap);
  }

  get hasRoom(): boolean {
    return this.inFlight < this.cap;
  }

  acquire(lane: Lane, cost: number): void {
    this.inFlight++;
    if (this.inFlight > this.peak) this.peak = this.inFlight;
    lane.servedCost += cost;
  }

  release(): void {
    this.inFlight--;
  }

  /** Registers a lane that has work but found the cap full. */
  wait(lane: Lane): void {
    if (lane.waitingGlobal) return;
    lane.waitingGlobal = true;
    this.#waiting.push(lane);
  }

  /** The waiting lane to serve next (least cost served), removed from the waiting set. */
  next(): Lane | undefined {
    const waiting = this.#waiting;
    if (waiting.length === 0) return undefined;
    let bestIndex = 0;
    for (let i = 1; i < waiting.length; i++) {
      if ((waiting[i] as Lane).servedCost < (waiting[bestIndex] as Lane).servedCost) bestIndex = i;
    }
    const lane = waiting[bestIndex] as Lane;
    waiting.splice(bestIndex, 1);
    lane.waitingGlobal = false;
    return lane;
  }
}
