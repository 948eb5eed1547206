/**
 * Shared domain types and plug-in interfaces. Every module learns shapes from here, so no module needs
 * another's implementation to know what flows between them. This file imports nothing at run time.
 */

export type Awaitable<T> = T | Promise<T>;

/** Which OpenAI-compatible API a target is called through. */
export type ApiKind = 'chat' | 'responses';

// ---------------------------------------------------------------------------------------------------
// Dataset rows and prompts
// ---------------------------------------------------------------------------------------------------

export type ChatRole = 'system' | 'developer' | 'user' | 'assistant';

export interface ChatMessage {
  readonly role: ChatRole;
  readonly content: string;
}

/** One dataset row, as read from CSV or JSONL. */
export interface Row {
  /** Stable id: the `id` column if present, else a content hash (so resume and baselines line up). */
  readonly id: string;
  /** 0-based position of the row in its file. */
  readonly index: number;
  /** 1-based line of the file where the row starts (for error messages). */
  readonly line: number;
  /** Column values (CSV) or top-level string fields (JSONL). */
  readonly fields: Readonly<Record<string, string>>;
  /** Chat messages when the row carries a `messages` array (JSONL). */
  readonly messages?: readonly ChatMessage[];
  /** Reference answer (`expected`, `answer` or `__expected` column), when present. */
  readonly expected?: string;
  /** Human description (`__description` column), when present. */
  readonly description?: string;
}

/** What is sent to a model: a list of messages; the Responses adapter maps them to `input`/`instructions`. */
export interface PromptInput {
  readonly messages: readonly ChatMessage[];
}

// ---------------------------------------------------------------------------------------------------
// Resolved configuration (produced by config/, consumed everywhere else)
// ---------------------------------------------------------------------------------------------------

export type DeploymentAuth = { readonly kind: 'api-key'; readonly apiKeyEnv: string } | { readonly kind: 'entra'; readonly scope: string };

export interface ResolvedDeployment {
  /** Unique id within the run: `<target>/<deployment>` or the user's explicit id. */
  readonly id: string;
  /** OpenAI-compatible base URL, e.g. `https://res.openai.azure.com/openai/v1/`. */
  readonly baseURL: string;
  /** The `model` sent in every request (the Azure deployment name). */
  readonly deployment: string;
  readonly auth: DeploymentAuth;
  /** Quota hints; the scheduler learns the real values from headers. */
  readonly limits: { readonly tpm?: number; readonly rpm?: number };
  /** Upper bound on requests in flight to this deployment. */
  readonly maxConcurrency: number;
  /** Per-attempt timeout. @unit milliseconds */
  readonly timeoutMs: number;
}

export type TokenLimitField = 'max_tokens' | 'max_completion_tokens' | 'max_output_tokens';
export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';

/** Request parameters of a target, frozen at resolve time (never leaked across targets). */
export interface ModelParams {
  readonly temperature?: number;
  readonly topP?: number;
  /** Completion cap sent with every request (and charged by Azure's admission estimate). */
  readonly maxOutputTokens?: number;
  /** Which field carries the cap: chosen per API and model. */
  readonly tokenLimitField: TokenLimitField;
  readonly reasoningEffort?: ReasoningEffort;
  /** Extra JSON merged into the request body (e.g. DeepSeek `thinking`). */
  readonly extraBody?: Readonly<Record<string, unknown>>;
  /** Extra request headers (e.g. preview feature headers). Never secrets. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Stream responses (default true) so TTFT can be measured. */
  readonly stream: boolean;
  /** System prompt prepended to every request. */
  readonly system?: string;
  /** `service_tier` sent with every request (`'flex'`: the discounted Flex tier). */
  readonly serviceTier?: 'flex';
}

/** USD per 1M tokens. */
export interface Price {
  readonly input: number;
  readonly output: number;
  readonly cachedInput?: number;
  /** Global Batch price as a multiplier of the above (default 0.5). */
  readonly batch?: number;
  /** Flex tier price multiplier (default 0.5). */
  readonly flex?: number;
}

/** How a `mode: 'batch'` target runs through Global Batch. */
export interface BatchSettings {
  readonly enqueuedTokens: number;
  /** @unit milliseconds */
  readonly pollIntervalMs: number;
  readonly maxLinesPerFile: number;
}

export interface ResolvedTarget {
  readonly name: string;
  readonly api: ApiKind;
  readonly params: ModelParams;
  readonly price?: Price;
  /** Absent = online. */
  readonly mode?: 'batch';
  readonly batch?: BatchSettings;
  readonly serviceTier?: 'flex';
  /** Flex only: after `after` flex capacity 429s, a cell's next attempts go to the standard tier. */
  readonly flexFallback?: { readonly to: 'standard'; readonly after: number };
  /** One deployment, or a pool of several serving the same model. */
  readonly deployments: readonly ResolvedDeployment[];
}

// ---------------------------------------------------------------------------------------------------
// Provider results
// ---------------------------------------------------------------------------------------------------

export interface TokenUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Hidden reasoning tokens (part of completionTokens). */
  readonly reasoningTokens: number;
  /** Prompt tokens served from cache (part of promptTokens). */
  readonly cachedTokens: number;
}

/**
 * Per-attempt timestamps. `startedAt` is epoch ms; every other field is ms since `startedAt`.
 * TTFT is `firstTokenMs`: the first non-empty content delta, not the first SSE event.
 */
export interface AttemptTiming {
  readonly startedAt: number;
  readonly headersMs?: number;
  readonly firstEventMs?: number;
  readonly firstTokenMs?: number;
  readonly firstReasoningMs?: number;
  readonly lastTokenMs?: number;
  readonly endMs: number;
  /** Number of content chunks received (streaming). */
  readonly chunks?: number;
  /** Largest gap between two content chunks. @unit milliseconds */
  readonly maxChunkGapMs?: number;
}

/** Rate-limit information read from response headers (every observed spelling folded in). */
export interface RateInfo {
  readonly limitTokens?: number;
  readonly limitRequests?: number;
  readonly remainingTokens?: number;
  readonly remainingRequests?: number;
  readonly resetTokensMs?: number;
  readonly resetRequestsMs?: number;
  /** The server's wait hint on a 429/503: `retry-after-ms`, else `retry-after`. */
  readonly retryAfterMs?: number;
  /** `x-should-retry` when present. */
  readonly shouldRetry?: boolean;
  /** `azure-openai-deployment-utilization` (provisioned deployments), in percent. */
  readonly utilizationPct?: number;
  /**
   * How `x-ratelimit-reset-*` was written: plain seconds (Azure: sliding windows, requests per 10 s) or a
   * duration like `6m0s` / `20ms` (OpenAI style: per-minute limits enforced as token buckets).
   */
  readonly resetFormat?: 'seconds' | 'duration';
}

export interface Completion {
  /** The answer text with any reasoning removed. */
  readonly text: string;
  /** Reasoning text (`reasoning_content`, `<think>` or reasoning summary), when the model exposes it. */
  readonly reasoning?: string;
  readonly finishReason: string | null;
  readonly usage: TokenUsage;
  readonly timing: AttemptTiming;
  readonly rate: RateInfo;
  readonly status: number;
  readonly requestId: string | null;
  readonly region: string | null;
  /** Model name the server reported. */
  readonly model: string | null;
  /** Flex targets only: the tier that answered (`'default'` after a `flexFallback` to the standard tier). */
  readonly serviceTier?: 'flex' | 'default';
}

/** What a provider error means to its caller (one category, whatever the HTTP details). */
export type ErrorCategory =
  | 'quota'
  | 'capacity'
  | 'server'
  | 'timeout'
  | 'connection'
  | 'auth'
  | 'not_found'
  | 'bad_request'
  | 'content_filter'
  | 'aborted';

export interface SerializedError {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  readonly category?: ErrorCategory;
  readonly status?: number;
  readonly retryable: boolean;
  readonly requestId?: string;
}

// ---------------------------------------------------------------------------------------------------
// Work and scheduling
// ---------------------------------------------------------------------------------------------------

/** One (row, target, repeat) cell of the run matrix. */
export interface WorkItem {
  /** `<rowId>|<target>|<repeat>`: unique in a run, stable across resumes. */
  readonly key: string;
  readonly row: Row;
  readonly target: string;
  /** 0-based repeat index. */
  readonly repeat: number;
  readonly input: PromptInput;
  /** Admission cost Azure will charge: ceil(chars/4) + completion cap. */
  readonly cost: number;
}

/** A deployment as the scheduler sees it: limits and a way to run one attempt. */
export interface DeploymentHandle {
  readonly id: string;
  readonly limits: { readonly tpm?: number; readonly rpm?: number };
  readonly maxConcurrency: number;
  /** Runs one HTTP attempt. Resolves with a Completion or rejects with a ProviderError, nothing else. */
  execute(item: WorkItem, signal: AbortSignal): Promise<Completion>;
  /**
   * Asks the endpoint's model list (a cheap request that generates nothing), once, beside the first
   * attempt: true when it answered and named this deployment (URL, credentials and deployment work),
   * false on any other answer or failure. Never rejects. Without it (or on false), first contact waits
   * for the first attempt's whole answer.
   */
  checkListed?(signal: AbortSignal): Promise<boolean>;
}

/** The work of one compared target: its items (pulled lazily) and its deployments (a pool when > 1). */
export interface TargetLane {
  readonly target: string;
  readonly items: AsyncIterable<WorkItem>;
  readonly deployments: readonly DeploymentHandle[];
}

export interface AttemptEvent {
  readonly item: WorkItem;
  readonly deploymentId: string;
  /** 1-based attempt number of this item. */
  readonly attempt: number;
  /** Time the item waited since its previous attempt (or since it was queued). @unit milliseconds */
  readonly waitedBeforeMs: number;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly completion?: Completion;
  readonly error?: SerializedError & { readonly rate?: RateInfo };
}

export type FailureReason = 'fatal' | 'exhausted' | 'unavailable' | 'deadline' | 'aborted';

export type Outcome =
  | {
      readonly status: 'ok';
      readonly completion: Completion;
      readonly deploymentId: string;
      readonly attempts: number;
      /** Logical latency: first dispatch-eligible moment to completion, including retry waits. */
      readonly durationMs: number;
    }
  | {
      readonly status: 'failed';
      readonly reason: FailureReason;
      readonly error: SerializedError;
      readonly deploymentId: string | null;
      readonly attempts: number;
      readonly durationMs: number;
    };

export interface SchedulerHooks {
  onAttempt?(event: AttemptEvent): Awaitable<void>;
  /** Called exactly once per item. */
  onSettled(item: WorkItem, outcome: Outcome): Awaitable<void>;
}

export interface SchedulerStats {
  readonly items: number;
  readonly attempts: number;
  readonly quota429: number;
  readonly capacity429: number;
  readonly pausedMs: number;
  readonly peakInFlight: number;
}

/** Runs every lane's items to exactly one outcome each. Implementations: simple runner, quota-aware scheduler. */
export interface Scheduler {
  run(lanes: readonly TargetLane[], hooks: SchedulerHooks, signal: AbortSignal): Promise<SchedulerStats>;
}

// ---------------------------------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------------------------------

export interface Score {
  /** 0..1 */
  readonly value: number;
  readonly passed: boolean;
  readonly reason?: string;
}

export type ScoreEntry =
  | { readonly scorer: string; readonly status: 'ok'; readonly value: number; readonly passed: boolean; readonly reason?: string }
  | { readonly scorer: string; readonly status: 'error'; readonly error: string };

/** Lets a scorer (LLM-as-judge) call a model through the same scheduler as the run. */
export type JudgeCall = (input: PromptInput, signal: AbortSignal) => Promise<Completion>;

export interface ScoreInput {
  readonly row: Row;
  readonly target: string;
  readonly output: string;
  readonly expected: string | undefined;
  readonly completion: Completion;
}

export interface ScoreContext {
  readonly signal: AbortSignal;
  readonly judge?: JudgeCall;
}

export interface Scorer {
  readonly name: string;
  score(input: ScoreInput, context: ScoreContext): Awaitable<Score>;
}

// ---------------------------------------------------------------------------------------------------
// Journal (the source of truth for every report)
// ---------------------------------------------------------------------------------------------------

export const JOURNAL_VERSION = 1;

/** Redacted description of a target, stored in the journal so reports need nothing else. */
export interface TargetInfo {
  readonly name: string;
  readonly api: ApiKind;
  readonly price?: Price;
  readonly maxOutputTokens?: number;
  readonly deployments: readonly { readonly id: string; readonly baseURL: string; readonly deployment: string }[];
  /** Request settings shown in the report (credential-shaped text masked). */
  readonly settings?: TargetSettings;
  /**
   * `'batch'`: cells ran through Global Batch; a result's `durationMs`/`timing` is the turnaround
   * (submit → result), not a request latency, and `cost` is at the batch price.
   */
  readonly mode?: 'batch';
  /** `'flex'`: requests asked for the Flex tier (cost at the flex price). */
  readonly serviceTier?: 'flex';
  /** Flex targets: the price of a cell the standard tier answered (`flexFallback`); `price` is the flex price. */
  readonly standardPrice?: Price;
}

/** What a reader needs to know about how a target was asked: the parameters that change answers. */
export interface TargetSettings {
  readonly system?: string;
  readonly temperature?: number;
  readonly topP?: number;
  readonly reasoningEffort?: ReasoningEffort;
  readonly tokenLimitField?: TokenLimitField;
  readonly stream?: boolean;
}

export interface RunStartRecord {
  readonly v: 1;
  readonly kind: 'run-start';
  readonly runId: string;
  readonly startedAt: string;
  readonly dataset: string;
  readonly rows: number | null;
  readonly repeats: number;
  readonly targets: readonly TargetInfo[];
  readonly scorers: readonly string[];
  /** True when every endpoint is the embedded emulator: reports say so plainly. */
  readonly emulator: boolean;
  /** Hash of the resolved config (without secrets), for resume and baselines. */
  readonly configHash: string;
  readonly thresholds?: Readonly<Record<string, number>>;
  readonly slo?: { readonly ttftMs?: number; readonly e2eMs?: number };
  /** Set when the run covers one shard of the dataset (`--shard index/count`, 1-based index). */
  readonly shard?: { readonly index: number; readonly count: number };
  /** Rows of the whole dataset (before sharding or --limit), for merge gap checks. */
  readonly datasetRows?: number;
  /** How a cell's scorer verdicts combine into pass/fail (absent in older journals: 'all'). */
  readonly pass?: PassRule;
  /** Targets that served as LLM judges (their attempts carry `role: 'judge'`), for the Judging line. */
  readonly judges?: readonly TargetInfo[];
}

/** `all`: every scorer passed; `any`: at least one passed; otherwise the name of the one scorer that decides. */
export type PassRule = 'all' | 'any' | (string & {});

export interface AttemptRecord {
  readonly v: 1;
  readonly kind: 'attempt';
  readonly key: string;
  readonly target: string;
  readonly deploymentId: string;
  readonly attempt: number;
  readonly outcome: 'ok' | ErrorCategory;
  readonly status?: number;
  readonly errorCode?: string;
  readonly waitedBeforeMs: number;
  readonly timing: AttemptTiming;
  readonly rate?: RateInfo;
  readonly usage?: TokenUsage;
  readonly requestId?: string;
  /**
   * On successful attempts: the answer, so a run killed between receiving a response and recording
   * its result can be resumed by re-scoring instead of sending the request again.
   */
  readonly output?: string;
  readonly reasoning?: string;
  readonly finishReason?: string | null;
  /** Flex targets: the tier that answered this attempt. */
  readonly serviceTier?: 'flex' | 'default';
  /**
   * `judge`: a call made by an LLM-judge scorer (target is the judge target, `judged` the cell it
   * graded). Absent on candidate attempts. Judge attempts never count as the candidate's.
   */
  readonly role?: 'judge';
  readonly judged?: string;
  /** A judge verdict served from the response cache (`--cache`): no request, no cost. */
  readonly cached?: boolean;
}

interface ResultBase {
  readonly v: 1;
  readonly kind: 'result';
  readonly key: string;
  readonly rowId: string;
  readonly rowIndex: number;
  readonly target: string;
  readonly repeat: number;
  readonly deploymentId: string | null;
  readonly attempts: number;
  /** Logical latency including retry waits. @unit milliseconds */
  readonly durationMs: number;
  /** Prompt as sent (last user message, for reports). */
  readonly prompt: string;
  readonly expected?: string;
  readonly description?: string;
  /** The row's group for "accuracy by label" (its `__label` or `category` column), when present. */
  readonly label?: string;
  /** The whole conversation sent, for rows that carry their own chat messages (JSONL `messages`). */
  readonly messages?: readonly ChatMessage[];
  /** True when the result came from the response cache (excluded from latency statistics). */
  readonly cached?: boolean;
}

export interface ResultOk extends ResultBase {
  readonly status: 'ok';
  readonly output: string;
  readonly reasoning?: string;
  readonly finishReason: string | null;
  readonly usage: TokenUsage;
  readonly timing: AttemptTiming;
  readonly cost: number | null;
  /** Flex targets: the tier that answered (`'default'`: the standard tier, after a flexFallback); `cost` is at its price. */
  readonly serviceTier?: 'flex' | 'default';
  readonly scores: readonly ScoreEntry[];
  /** The pass rule held (false, and `scoring: 'unscored'`, when a deciding scorer errored). */
  readonly passed: boolean;
  /**
   * `unscored`: a scorer or judge the pass rule needs errored, so the answer has no verdict. It is
   * neither a pass nor a failure: accuracy is over scored cells. Absent means scored.
   */
  readonly scoring?: 'unscored';
}

export interface ResultFailed extends ResultBase {
  readonly status: 'failed';
  readonly reason: FailureReason;
  readonly error: SerializedError;
}

export type ResultRecord = ResultOk | ResultFailed;

export interface RunEndRecord {
  readonly v: 1;
  readonly kind: 'run-end';
  readonly endedAt: string;
  /** `'incomplete'`: cells of expired or cancelled batch jobs were left unrecorded; `--resume` sends them. */
  readonly reason: 'completed' | 'incomplete' | 'aborted' | 'failed';
  readonly stats: SchedulerStats;
}

export type JournalRecord = RunStartRecord | AttemptRecord | ResultRecord | RunEndRecord;

export interface ResultSink {
  write(record: JournalRecord): Promise<void>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------
// Regression limits (shared here because config/ validates them and report/ applies them, and the
// two may not import each other)
// ---------------------------------------------------------------------------------------------------

/** When a target counts as regressed against a baseline. */
export interface RegressionThresholds {
  /** Largest tolerated drop of the paired pass rate. @unit percentage points */
  readonly maxAccuracyDropPts: number;
  /** Also require the paired test to call the drop significant at 95%. */
  readonly requireSignificant: boolean;
  /** @unit percent */
  readonly maxP95LatencyIncreasePct: number;
  /** @unit percent */
  readonly maxTtftIncreasePct: number;
  /** @unit percent */
  readonly maxCostIncreasePct: number;
  /** Largest tolerated rise of the share of failed results (errors, not wrong answers). @unit percentage points */
  readonly maxFailureRateIncreasePts: number;
  /** A failure category seen now but not in the baseline is a regression. */
  readonly failOnNewErrorCategories: boolean;
}

export const REGRESSION_DEFAULTS: RegressionThresholds = Object.freeze({
  maxAccuracyDropPts: 2,
  requireSignificant: true,
  maxP95LatencyIncreasePct: 25,
  maxTtftIncreasePct: 25,
  maxCostIncreasePct: 10,
  maxFailureRateIncreasePts: 5,
  failOnNewErrorCategories: true,
});

// ---------------------------------------------------------------------------------------------------
// Reporters
// ---------------------------------------------------------------------------------------------------

export interface Reporter {
  readonly name: string;
  onRunStart?(record: RunStartRecord): Awaitable<void>;
  onAttempt?(record: AttemptRecord): Awaitable<void>;
  onResult?(record: ResultRecord): Awaitable<void>;
  /** `outDir` is the run directory; reporters write their files there. */
  onRunEnd?(end: RunEndRecord, outDir: string): Awaitable<void>;
}
