/**
 * The zod schema of BenchConfig. Every leaf carries its expectation in words ("expected a number between
 * 0 and 2") so format-issues.ts can add the path and what was found. Checks that need the environment
 * (endpoints, key variables) run per deployment, so one bad deployment does not hide another's problems.
 */
import { z } from 'zod';
import { checkDeployment, type DeploymentCheckContext } from './check-deployment.ts';

/** Builds the schema; the context feeds the per-deployment checks. */
export function createConfigSchema(context: DeploymentCheckContext) {
  return z.strictObject({
    dataset: z
      .strictObject({
        path: nonEmptyString('a dataset file path').optional(),
        idColumn: nonEmptyString('a column name').optional(),
        expectedColumn: nonEmptyString('a column name').optional(),
      })
      .optional(),
    prompt: z
      .custom<unknown>(isTemplateOrFunction, { error: 'expected a template string or a function (row) => string | PromptInput' })
      .optional(),
    system: z.string({ error: 'expected a string' }).optional(),
    targets: z.array(targetSchema(context), { error: 'expected an array of targets' }).min(1, { error: 'expected at least one target' }),
    repeats: integerAtLeast(1).optional(),
    concurrency: integerAtLeast(1).optional(),
    timeoutMs: integerAtLeast(1).optional(),
    retry: z
      .strictObject({
        maxAttempts: integerAtLeast(1).optional(),
        baseDelayMs: integerAtLeast(0).optional(),
        maxDelayMs: integerAtLeast(0).optional(),
      })
      .optional(),
    deadlineMs: integerAtLeast(1).optional(),
    outDir: nonEmptyString('a directory path').optional(),
    // Scorer entries are a union of three shapes; resolve-scorers.ts gives clearer messages than a zod union.
    scorers: z.array(z.unknown(), { error: 'expected an array of scorers' }).optional(),
    thresholds: z
      .strictObject({
        accuracy: numberBetween(0, 1).optional(),
        maxErrorRate: numberBetween(0, 1).optional(),
        p95LatencyMs: numberAtLeast(0).optional(),
        perTarget: z
          .record(z.string(), z.strictObject({ accuracy: numberBetween(0, 1).optional(), p95LatencyMs: numberAtLeast(0).optional() }), {
            error: 'expected an object keyed by target name',
          })
          .optional(),
      })
      .optional(),
    slo: z.strictObject({ ttftMs: numberAtLeast(0).optional(), e2eMs: numberAtLeast(0).optional() }).optional(),
    pass: z
      .string({ error: "expected 'all', 'any' or the name of a scorer" })
      .min(1, { error: "expected 'all', 'any' or the name of a scorer" })
      .optional(),
    regression: z
      .strictObject(
        {
          maxAccuracyDropPts: numberBetween(0, 100).optional(),
          requireSignificant: z.boolean({ error: 'expected true or false' }).optional(),
          maxP95LatencyIncreasePct: numberAtLeast(0).optional(),
          maxTtftIncreasePct: numberAtLeast(0).optional(),
          maxCostIncreasePct: numberAtLeast(0).optional(),
          maxFailureRateIncreasePts: numberBetween(0, 100).optional(),
          failOnNewErrorCategories: z.boolean({ error: 'expected true or false' }).optional(),
        },
        { error: 'expected an object of regression limits, e.g. { maxAccuracyDropPts: 2 }' },
      )
      .optional(),
    emulator: z.record(z.string(), z.unknown(), { error: 'expected an object of emulator settings' }).optional(),
  });
}

export type ParsedConfig = z.infer<ReturnType<typeof createConfigSchema>>;
export type ParsedTarget = ParsedConfig['targets'][number];
export type ParsedDeployment = ParsedTarget['deployments'][number];

// --- internal ---

function targetSchema(context: DeploymentCheckContext) {
  return z.strictObject({
    name: nonEmptyString('a target name'),
    api: z.enum(['responses', 'chat'], { error: 'expected "responses" or "chat"' }).optional(),
    temperature: numberBetween(0, 2).optional(),
    topP: numberBetween(0, 1).optional(),
    maxOutputTokens: integerAtLeast(1).optional(),
    tokenLimitField: z
      .enum(['max_tokens', 'max_completion_tokens', 'max_output_tokens'], {
        error: 'expected "max_tokens", "max_completion_tokens" or "max_output_tokens"',
      })
      .optional(),
    reasoningEffort: z
      .enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh'], {
        error: 'expected one of "none", "minimal", "low", "medium", "high", "xhigh"',
      })
      .optional(),
    extraBody: z.record(z.string(), z.unknown(), { error: 'expected an object' }).optional(),
    headers: z
      .record(z.string(), z.string({ error: 'expected a string header value' }), { error: 'expected an object of header names to strings' })
      .optional(),
    stream: z.boolean({ error: 'expected true or false' }).optional(),
    system: z.string({ error: 'expected a string' }).optional(),
    price: z
      .strictObject({
        input: numberAtLeast(0),
        output: numberAtLeast(0),
        cachedInput: numberAtLeast(0).optional(),
        batch: numberBetween(0, 1).optional(),
        flex: numberBetween(0, 1).optional(),
      })
      .optional(),
    mode: z.enum(['online', 'batch'], { error: 'expected "online" or "batch"' }).optional(),
    batch: z
      .strictObject({
        enqueuedTokens: integerAtLeast(1).optional(),
        pollIntervalMs: integerAtLeast(1).optional(),
        maxLinesPerFile: integerAtLeast(1).max(100_000, { error: "expected an integer ≤ 100000 (Azure's lines per file)" }).optional(),
      })
      .optional(),
    serviceTier: z.enum(['flex'], { error: 'expected "flex"' }).optional(),
    flexFallback: z.enum(['standard'], { error: 'expected "standard"' }).optional(),
    flexFallbackAfter: integerAtLeast(1).optional(),
    optIn: z.boolean({ error: 'expected true or false' }).optional(),
    deployments: z
      .array(deploymentSchema(context), { error: 'expected an array of deployments' })
      .min(1, { error: 'expected at least one deployment' }),
  });
}

function deploymentSchema(context: DeploymentCheckContext) {
  return z
    .strictObject({
      baseURL: nonEmptyString('a base URL such as https://RESOURCE.openai.azure.com/openai/v1/, or "emulator"'),
      deployment: nonEmptyString('a deployment name (sent as `model`)'),
      id: nonEmptyString('a deployment id').optional(),
      auth: z
        .strictObject(
          {
            apiKeyEnv: nonEmptyString('an environment variable name').optional(),
            entra: z.strictObject({ scope: z.url({ error: 'expected a URL' }).optional() }).optional(),
          },
          { error: 'expected { apiKeyEnv: "VAR_NAME" } or { entra: {} }' },
        )
        .optional(),
      tpm: integerAtLeast(1).optional(),
      rpm: integerAtLeast(1).optional(),
      maxConcurrency: integerAtLeast(1).optional(),
      timeoutMs: integerAtLeast(1).optional(),
    })
    .superRefine((deployment, refinement) => {
      for (const problem of checkDeployment(deployment, context)) {
        // `final`: the message already says what was found (or must not, for secrets).
        refinement.addIssue({ code: 'custom', path: problem.path, message: problem.message, params: { final: true } });
      }
    });
}

function nonEmptyString(what: string) {
  return z
    .string({ error: `expected ${what}` })
    .trim()
    .min(1, { error: `expected ${what}` });
}

function numberBetween(min: number, max: number) {
  const error = `expected a number between ${min} and ${max}`;
  return z.number({ error }).min(min, { error }).max(max, { error });
}

function numberAtLeast(min: number) {
  const error = `expected a number ≥ ${min}`;
  return z.number({ error }).min(min, { error });
}

function integerAtLeast(min: number) {
  const error = `expected an integer ≥ ${min}`;
  return z.number({ error }).int({ error }).min(min, { error });
}

function isTemplateOrFunction(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'function';
}
