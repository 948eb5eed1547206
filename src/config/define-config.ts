/**
 * Identity helpers for what users write: free at run time, full type checking and completion in the editor.
 */
import type { Reporter, Scorer } from '../types.ts';
import type { BenchConfig } from './bench-config.ts';

/** Declares the benchmark configuration (`export default defineConfig({…})` in eval.config.ts). */
export function defineConfig<const T extends BenchConfig>(config: T): T {
  return config;
}

/** Declares a custom scorer for the `scorers` list. */
export function defineScorer<const T extends Scorer>(scorer: T): T {
  return scorer;
}

/** Declares a custom reporter. */
export function defineReporter<const T extends Reporter>(reporter: T): T {
  return reporter;
}

export type { BenchConfig, DeploymentAuthSpec, DeploymentSpec, ScorerSpec, TargetSpec } from './bench-config.ts';
