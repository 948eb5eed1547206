/**
 * One scheduler lane per compared target: a lazy matrix over the dataset plus the target's deployments.
 */
import { expandTarget } from '../matrix/expand-matrix.ts';
import type { DeploymentHandle, TargetLane } from '../types.ts';
import type { PreparedRun } from './prepare-run.ts';

export interface LaneOptions {
  readonly prepared: PreparedRun;
  readonly skipKeys?: ReadonlySet<string> | undefined;
  readonly handlesOf: (target: string) => DeploymentHandle[];
}

export function createLanes(options: LaneOptions): TargetLane[] {
  const { prepared } = options;
  return prepared.config.targets.map((target) => ({
    target: target.name,
    deployments: options.handlesOf(target.name),
    items: expandTarget({
      rows: prepared.rows,
      target: target.name,
      repeats: prepared.config.repeats,
      ...(prepared.config.limit === undefined ? {} : { limit: prepared.config.limit }),
      ...(prepared.includeRow ? { includeRow: prepared.includeRow } : {}),
      ...(options.skipKeys ? { skipKeys: options.skipKeys } : {}),
      buildInput: prepared.buildInput,
      estimateCost: prepared.estimateCost(target.params),
    }),
  }));
}
