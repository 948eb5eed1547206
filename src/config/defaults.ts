/**
 * Every configuration default, in one place. resolve-config.ts reads these; nothing writes them back
 * into the user's object.
 */
import { REGRESSION_DEFAULTS, type ApiKind, type TokenLimitField } from '../types.ts';

/** Top-level defaults of BenchConfig. */
export const configDefaults = {
  idColumn: 'id',
  /** Candidate expected-answer columns, first match wins. */
  expectedColumns: ['expected', 'answer', '__expected'],
  /** Candidate prompt columns for the default template, first match wins. */
  promptColumns: ['prompt', 'question'],
  repeats: 1,
  concurrency: 256,
  /** @unit milliseconds */
  timeoutMs: 120_000,
  outDir: 'reports',
  scorers: ['exact-match'],
  config: ['eval.config.ts', 'eval.config.mts', 'eval.config.js', 'eval.config.mjs'],
} as const;

/** Retry budget and backoff bounds. */
export const retryDefaults = {
  maxAttempts: 6,
  /** @unit milliseconds */
  baseDelayMs: 1_000,
  /** @unit milliseconds */
  maxDelayMs: 60_000,
} as const;

/** Per-target and per-deployment defaults. */
export const targetDefaults = {
  api: 'responses' as ApiKind,
  stream: true,
  maxConcurrency: 64,
} as const;

/** Default token-limit field per API: `max_tokens` is deprecated and rejected by reasoning models. */
export const tokenLimitFieldDefaults: Readonly<Record<ApiKind, TokenLimitField>> = {
  responses: 'max_output_tokens',
  chat: 'max_completion_tokens',
};

/** Default authentication and Azure endpoint facts. */
export const authDefaults = {
  azureApiKeyEnv: 'AZURE_OPENAI_API_KEY',
  openaiApiKeyEnv: 'OPENAI_API_KEY',
  /** The CLI puts the embedded emulator's key in this variable of the environment it passes around. */
  emulatorApiKeyEnv: 'BATCHBENCH_EMULATOR_KEY',
  entraScope: 'https://cognitiveservices.azure.com/.default',
  /** Foundry project endpoints (`/api/projects/…`) take tokens for this audience. */
  foundryProjectScope: 'https://ai.azure.com/.default',
  azureHostSuffixes: ['.openai.azure.com', '.services.ai.azure.com', '.cognitiveservices.azure.com'],
} as const;

/** Regression limits for baseline comparisons (`eval --baseline`, `batchbench compare`); see types.ts. */
export const regressionDefaults = REGRESSION_DEFAULTS;
