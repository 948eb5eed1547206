/**
 * Builds a run's lanes and gates: one gate per deployment id, so a deployment listed by two targets (a
 * shared judge) is one quota and one mirror, and each gate knows every lane it serves (a completion
 * there wakes them all).
 */
import type { TargetLane } from '../types.ts';
import type { ResolvedSchedulerOptions } from './defaults.ts';
import { Gate } from './gate.ts';
import { Lane } from './lane.ts';

export interface Wiring {
  readonly lanes: Lane[];
  readonly gates: Gate[];
  readonly lanesByGate: Map<Gate, Lane[]>;
}

export function wireLanes(options: ResolvedSchedulerOptions, targets: readonly TargetLane[], now: number): Wiring {
  const gates: Gate[] = [];
  const byId = new Map<string, Gate>();
  const lanes = targets.map((lane) => {
    const laneGates = lane.deployments.map((handle) => {
      let gate = byId.get(handle.id);
      if (gate === undefined) {
        gate = new Gate(handle, options, now);
        byId.set(handle.id, gate);
        gates.push(gate);
      }
      return gate;
    });
    return new Lane(lane, laneGates);
  });
  const lanesByGate = new Map<Gate, Lane[]>();
  for (const lane of lanes) {
    for (const gate of lane.gates) {
      const list = lanesByGate.get(gate) ?? [];
      if (!list.includes(lane)) list.push(lane);
      lanesByGate.set(gate, list);
    }
  }
  return { lanes, gates, lanesByGate };
}
