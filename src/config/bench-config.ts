/**
 * The user-facing configuration (`eval.config.ts`), the CLI overrides, and the frozen `ResolvedConfig`
 * that every other module receives. Types only: defaults live in defaults.ts, checks in resolve-config.ts.
 */
import type {
  ApiKind,
  PromptInput,
  ReasoningEffort,
  ResolvedTarget,
  Row,
  Scorer,
  TokenLimitField,
  RegressionThresholds,
} from '../types.ts';

/** Authentication of a deployment. Secrets never appear here: only the name of an environment variable. */
export type DeploymentAuthSpec =
  | {
      /** Environment variable holding the API key. */
      apiKeyEnv: string;
    }
  | {
      /** Microsoft Entra ID through DefaultAzureCredential. */
      entra: {
        /** Token scope. @default 'https://cognitiveservices.azure.com/.default' ('https://ai.azure.com/.default' for `/api/projects/` URLs) */
        scope?: string;
      };
    };

/** One deployment serving a target. Several deployments of one target form a pool. */
export interface DeploymentSpec {
  /**
   * OpenAI-compatible base URL: `https://RES.openai.azure.com/openai/v1/`, `https://RES.services.ai.azure.com/openai/v1/`,
   * any OpenAI-compatible URL, or `'emulator'` for the embedded emulator.
   */
  baseURL: string;
  /** The `model` sent with every request (the Azure deployment name). */
  deployment: string;
  /** Unique id within the run. @default '<target name>/<deployment>' */
  id?: string;
  /** @default { apiKeyEnv: 'AZURE_OPENAI_API_KEY' } on Azure hosts, { apiKeyEnv: 'OPENAI_API_KEY' } elsewhere */
  auth?: DeploymentAuthSpec;
  /** Tokens-per-minute quota hint (the scheduler learns the real value from headers). */
  tpm?: number;
  /** Requests-per-minute quota hint. */
  rpm?: number;
  /** Cap on requests in flight to this deployment. @default 64 */
  maxConcurrency?: number;
  /** Per-attempt timeout for this deployment. @default the config's `timeoutMs` @unit milliseconds */
  timeoutMs?: number;
}

/** A compared model configuration: request parameters plus one deployment or a pool. */
export interface TargetSpec {
  /** Unique name, used in reports and `--targets`. */
  name: string;
  /** @default 'responses' */
  api?: ApiKind;
  /** 0..2 */
  temperature?: number;
  /** 0..1 */
  topP?: number;
  /** Completion cap (includes reasoning tokens on reasoning models). */
  maxOutputTokens?: number;
  /** @default 'max_output_tokens' for the Responses API, 'max_completion_tokens' for chat */
  tokenLimitField?: TokenLimitField;
  reasoningEffort?: ReasoningEffort;
  /** Extra JSON merged into every request body. */
  extraBody?: Record<string, unknown>;
  /** Extra request headers. Never secrets: keys belong in `auth.apiKeyEnv`. */
  headers?: Record<string, string>;
  /** Stream responses so TTFT can be measured. @default true */
  stream?: boolean;
  /** System prompt for this target. @default the config's `system` */
  system?: string;
  /**
   * USD per 1M tokens, for cost columns. `batch`: the price multiplier of Global Batch (default 0.5);
   * `flex`: the multiplier of `serviceTier: 'flex'` (default 0.5).
   */
  price?: { input: number; output: number; cachedInput?: number; batch?: number; flex?: number };
  /**
   * `'batch'` sends this target's cells through Global Batch (Files + Batches API) instead of online
   * requests; the deployment must be a Global Batch or Data Zone Batch deployment. @default 'online'
   */
  mode?: 'online' | 'batch';
  /** Global Batch settings (mode 'batch' only). */
  batch?: {
    /** The deployment's enqueued-token quota the run must stay under (Azure has no query for it). @default 1_000_000_000 */
    enqueuedTokens?: number;
    /** Status polls per batch job; Microsoft recommends ≥ 60 s. @unit milliseconds @default 60_000 (1_000 on the emulator) */
    pollIntervalMs?: number;
    /** Largest number of lines per input file (Azure: 100,000). @default 100_000 */
    maxLinesPerFile?: number;
  };
  /** Run this target only when `--targets` names it (a plain run leaves it out). @default false */
  optIn?: boolean;
  /** `'flex'` sends `service_tier: 'flex'` (cheaper, may 429 for lack of capacity). */
  serviceTier?: 'flex';
  /**
   * With serviceTier 'flex': once a cell has had `flexFallbackAfter` flex capacity 429s, its next attempts
   * go to the standard tier of the same deployment (priced at the standard price); results record which
   * tier answered. Off by default (Azure has no automatic fallback).
   */
  flexFallback?: 'standard';
  /** Flex capacity 429s of one cell before it falls back; must be below retry.maxAttempts. @default 3 */
  flexFallbackAfter?: number;
  /** One deployment, or a pool of several serving the same model. */
  deployments: DeploymentSpec[];
}

/** A builtin scorer name, a `[name, options]` tuple, or an inline scorer (see `defineScorer`). */
export type ScorerSpec = string | readonly [string, Record<string, unknown>] | Scorer;

export interface BenchConfig {
  dataset?: {
    /** CSV or JSONL file; `--dataset` overrides it. Resolved against the working directory, then the project's `datasets/`. */
    path?: string;
    /** Column holding stable row ids; rows without one get a content hash. @default 'id' */
    idColumn?: string;
    /** Column holding the reference answer. @default the first of 'expected', 'answer', '__expected' */
    expectedColumn?: string;
  };
  /**
   * Prompt template with `{{column}}` placeholders (checked against the dataset header before any request),
   * or a function of the row. JSONL rows with `messages` are sent as is.
   * @default '{{prompt}}' if that column exists, else '{{question}}'
   */
  prompt?: string | ((row: Row) => string | PromptInput);
  /** System prompt for every target (a target's own `system` wins). */
  system?: string;
  /** What is compared: at least one. */
  targets: TargetSpec[];
  /** Samples per (row, target). @default 1 */
  repeats?: number;
  /** Global cap on requests in flight. @default 256 */
  concurrency?: number;
  /** Per-attempt timeout. @default 120_000 @unit milliseconds */
  timeoutMs?: number;
  retry?: {
    /** Attempts per cell, the first included. @default 6 */
    maxAttempts?: number;
    /** @default 1000 @unit milliseconds */
    baseDelayMs?: number;
    /** @default 60_000 @unit milliseconds */
    maxDelayMs?: number;
  };
  /** Whole-run deadline; cells not done by then are recorded as `deadline`. @unit milliseconds */
  deadlineMs?: number;
  /** Where run directories go. @default 'reports' */
  outDir?: string;
  /** @default ['exact-match'] when the dataset has expected answers */
  scorers?: ScorerSpec[];
  /** Quality gates; a failed gate makes the CLI exit 1. */
  thresholds?: {
    /** Minimum pass rate per target, 0..1. */
    accuracy?: number;
    /** Maximum share of failed cells per target, 0..1. */
    maxErrorRate?: number;
    /** @unit milliseconds */
    p95LatencyMs?: number;
    /** Per-target overrides, keyed by target name. */
    perTarget?: Record<string, { accuracy?: number; p95LatencyMs?: number }>;
  };
  /** Service-level objectives for goodput. @unit milliseconds */
  slo?: { ttftMs?: number; e2eMs?: number };
  /**
   * How scorer verdicts combine into a cell's pass/fail: `'all'` (default) every scorer passed, `'any'`
   * one did, or a scorer's name (that scorer alone decides; the others are still reported).
   */
  pass?: string;
  /**
   * When `eval --baseline` and `batchbench compare` call a target regressed (exit 1). Compared per
   * target on the rows both runs share.
   */
  regression?: {
    /** Largest tolerated drop of the paired pass rate. @default 2 @unit percentage points */
    maxAccuracyDropPts?: number;
    /** Count an accuracy drop only if the paired test (McNemar) also finds it significant at 95%. @default true */
    requireSignificant?: boolean;
    /** Largest tolerated rise of p95 end-to-end latency. @default 25 @unit percent */
    maxP95LatencyIncreasePct?: number;
    /** Largest tolerated rise of p95 time to first token. @default 25 @unit percent */
    maxTtftIncreasePct?: number;
    /** Largest tolerated rise of cost per item. @default 10 @unit percent */
    maxCostIncreasePct?: number;
    /** Largest tolerated rise of the share of failed results (timeouts, filters, …). @default 5 @unit percentage points */
    maxFailureRateIncreasePts?: number;
    /** A failure category absent from the baseline (e.g. first timeouts) is a regression. @default true */
    failOnNewErrorCategories?: boolean;
  };
  /**
   * Start the embedded emulator with these settings; deployments whose baseURL is `'emulator'` are pointed at it.
   * Opaque here: the emulator validates it.
   */
  emulator?: Record<string, unknown>;
}

/** Command-line overrides; every field wins over the config file. */
export interface CliOverrides {
  dataset?: string;
  /** Keep only these targets (by name); an unknown name is an error. */
  targets?: string[];
  /** Read at most this many rows. */
  limit?: number;
  repeats?: number;
  concurrency?: number;
  outDir?: string;
}

/** What resolveConfig needs besides the config itself. */
export interface ResolveContext {
  /** Path of the config file (for messages and relative paths). */
  file: string;
  /** Environment used to check that api-key variables are set. Values are never copied or printed. */
  env: Readonly<Record<string, string | undefined>>;
  /** Base URL of the embedded emulator, when started; replaces `baseURL: 'emulator'`. */
  emulatorBaseURL?: string;
  /** Names of the builtin scorers (from the scoring registry), to check scorer names early. */
  scorerNames?: readonly string[];
  /** Check that api-key environment variables are set (turn off for offline validation). @default true */
  checkEnv?: boolean;
  /** Problems the emulator found in the `emulator:` block (`emulator.…: …`), reported with the rest. */
  emulatorIssues?: readonly string[];
}

/** A scorer entry after resolution: a builtin reference with its options, or the user's own scorer object. */
export type ResolvedScorerSpec =
  | { readonly kind: 'builtin'; readonly name: string; readonly options: Readonly<Record<string, unknown>> }
  | { readonly kind: 'custom'; readonly scorer: Scorer };

export interface ResolvedThresholds {
  readonly accuracy?: number;
  readonly maxErrorRate?: number;
  readonly p95LatencyMs?: number;
  readonly perTarget?: Readonly<Record<string, { readonly accuracy?: number; readonly p95LatencyMs?: number }>>;
}

/** Regression limits with every default applied (see BenchConfig.regression for units). */
export type ResolvedRegression = RegressionThresholds;

/** The validated, defaulted, deeply frozen configuration. Produced only by resolveConfig. */
export interface ResolvedConfig {
  /** Absolute path of the config file. */
  readonly file: string;
  /** Dataset path as given (override or config); resolve it with `resolveDatasetPath`. */
  readonly datasetPath?: string;
  readonly idColumn: string;
  /** Explicit expected-answer column, if configured (otherwise the dataset reader picks a known one). */
  readonly expectedColumn?: string;
  /** Template or function; undefined means the default template chosen from the dataset's columns. */
  readonly prompt?: string | ((row: Row) => string | PromptInput);
  readonly system?: string;
  /** Targets to run (after `--targets` filtering), in config order. */
  readonly targets: readonly ResolvedTarget[];
  /** Targets used as LLM judges by scorers, even if filtered out of `targets`. */
  readonly judgeTargets: readonly ResolvedTarget[];
  readonly repeats: number;
  readonly concurrency: number;
  /** @unit milliseconds */
  readonly timeoutMs: number;
  readonly retry: { readonly maxAttempts: number; readonly baseDelayMs: number; readonly maxDelayMs: number };
  /** @unit milliseconds */
  readonly deadlineMs?: number;
  readonly limit?: number;
  readonly outDir: string;
  readonly scorers: readonly ResolvedScorerSpec[];
  /** True when `scorers` is the default list: drop it when the dataset has no expected answers. */
  readonly scorersAreDefault: boolean;
  readonly thresholds: ResolvedThresholds;
  /** Limits for baseline comparisons; not part of `hash` (they judge results, they do not change them). */
  readonly regression: ResolvedRegression;
  readonly slo: { readonly ttftMs?: number; readonly e2eMs?: number };
  /** Pass rule (see BenchConfig.pass); absent means 'all'. */
  readonly pass?: string;
  readonly emulator?: Readonly<Record<string, unknown>>;
  /** True when at least one deployment points at the embedded emulator. */
  readonly usesEmulator: boolean;
  /** sha256 (hex) of the redacted resolved config: same config, same hash. */
  readonly hash: string;
}
