/**
 * batchbench's public surface, for `eval.config.ts` files and plug-in authors (custom scorers and
 * reporters). Everything else is internal and may change without notice.
 */
export { defineConfig, defineReporter, defineScorer } from './config/define-config.ts';
export type { BenchConfig, DeploymentAuthSpec, DeploymentSpec, ScorerSpec, TargetSpec } from './config/define-config.ts';
export type {
  ApiKind,
  AttemptRecord,
  AttemptTiming,
  Awaitable,
  ChatMessage,
  ChatRole,
  Completion,
  JournalRecord,
  JudgeCall,
  PromptInput,
  RateInfo,
  ReasoningEffort,
  Reporter,
  ResultFailed,
  ResultOk,
  ResultRecord,
  Row,
  RunEndRecord,
  RunStartRecord,
  Score,
  ScoreContext,
  ScoreEntry,
  ScoreInput,
  Scorer,
  SerializedError,
  TokenLimitField,
  TokenUsage,
} from './types.ts';
export { BenchError, ConfigError, DatasetError, JournalError, ProviderError, UsageError } from './errors.ts';
