/**
 * Journal records built from scheduler events, and outcomes rebuilt from journal records (resume).
 */
import { redactText } from '../internal/redact.ts';
import { tierPrice } from './batch/tier-price.ts';
import type {
  AttemptEvent,
  AttemptRecord,
  Completion,
  ModelParams,
  Outcome,
  ResolvedTarget,
  RunStartRecord,
  TargetInfo,
  TargetSettings,
} from '../types.ts';
import type { PreparedRun } from './prepare-run.ts';

/** The first journal record: everything a report needs to know about the run (no secrets). */
export function runStartRecord(
  prepared: PreparedRun,
  run: { readonly runId: string; readonly startedAt: string; readonly emulator: boolean; readonly shard?: RunStartRecord['shard'] },
): RunStartRecord {
  const { config } = prepared;
  return {
    v: 1,
    kind: 'run-start',
    runId: run.runId,
    startedAt: run.startedAt,
    dataset: prepared.datasetName,
    rows: prepared.rowCount,
    datasetRows: prepared.datasetRows,
    ...(run.shard ? { shard: run.shard } : {}),
    repeats: config.repeats,
    targets: config.targets.map(targetInfo),
    ...(config.pass === undefined ? {} : { pass: config.pass }),
    ...(config.judgeTargets.length ? { judges: config.judgeTargets.map(targetInfo) } : {}),
    scorers: prepared.scorers.map((s) => s.name),
    emulator: run.emulator,
    configHash: config.hash,
    ...(Object.keys(config.thresholds).length ? { thresholds: flattenThresholds(config.thresholds) } : {}),
    ...(config.slo.ttftMs !== undefined || config.slo.e2eMs !== undefined ? { slo: config.slo } : {}),
  };
}

/**
 * A judge's attempt: tokens, timing and outcome, tagged `role: 'judge'` and linked to the cell it graded.
 * No `output` (a verdict is not a candidate answer a resume could recover).
 */
export function judgeAttemptRecord(event: AttemptEvent, judged: string | undefined): AttemptRecord {
  const { output: _output, reasoning: _reasoning, ...record } = attemptRecord(event);
  return {
    ...record,
    key: judgeKey(event.item.target, judged ?? event.item.key),
    role: 'judge',
    ...(judged === undefined ? {} : { judged }),
  };
}

/** A judge verdict served from the cache: a zero-time, zero-cost attempt so the Judging line counts it. */
export function cachedJudgeRecord(target: string, deploymentId: string, judged: string | undefined, completion: Completion): AttemptRecord {
  return {
    v: 1,
    kind: 'attempt',
    key: judgeKey(target, judged ?? ''),
    target,
    deploymentId,
    attempt: 1,
    outcome: 'ok',
    status: completion.status,
    waitedBeforeMs: 0,
    timing: completion.timing,
    usage: completion.usage,
    finishReason: completion.finishReason,
    role: 'judge',
    ...(judged === undefined ? {} : { judged }),
    cached: true,
  };
}

/** Journal key of a judge attempt: never equal to a cell key, so resume and folds keep them apart. */
function judgeKey(target: string, judged: string): string {
  return `judge|${target}|${judged}`;
}

export function attemptRecord(event: AttemptEvent): AttemptRecord {
  const completion = event.completion;
  const error = event.error;
  return {
    v: 1,
    kind: 'attempt',
    key: event.item.key,
    target: event.item.target,
    deploymentId: event.deploymentId,
    attempt: event.attempt,
    outcome: completion ? 'ok' : (error?.category ?? 'server'),
    ...(completion ? { status: completion.status } : error?.status === undefined ? {} : { status: error.status }),
    ...(error && error.code !== error.category ? { errorCode: error.code } : {}),
    waitedBeforeMs: Math.round(event.waitedBeforeMs),
    timing: completion?.timing ?? { startedAt: event.startedAt, endMs: event.durationMs },
    ...((completion?.rate ?? error?.rate) ? { rate: completion?.rate ?? error?.rate } : {}),
    ...(completion ? { usage: completion.usage, output: completion.text, finishReason: completion.finishReason } : {}),
    ...(completion?.reasoning ? { reasoning: completion.reasoning } : {}),
    ...(completion?.serviceTier ? { serviceTier: completion.serviceTier } : {}),
    ...((completion?.requestId ?? error?.requestId) ? { requestId: (completion?.requestId ?? error?.requestId)! } : {}),
  };
}

/** A successful attempt recorded before the process died, as the outcome the scheduler would have reported. */
export function recoveredOutcome(attempt: AttemptRecord): Outcome {
  return {
    status: 'ok',
    deploymentId: attempt.deploymentId,
    attempts: attempt.attempt,
    durationMs: attempt.timing.endMs,
    completion: {
      text: attempt.output ?? '',
      ...(attempt.reasoning ? { reasoning: attempt.reasoning } : {}),
      finishReason: attempt.finishReason ?? null,
      usage: attempt.usage ?? { promptTokens: 0, completionTokens: 0, reasoningTokens: 0, cachedTokens: 0 },
      timing: attempt.timing,
      rate: attempt.rate ?? {},
      status: attempt.status ?? 200,
      requestId: attempt.requestId ?? null,
      region: null,
      model: null,
      ...(attempt.serviceTier ? { serviceTier: attempt.serviceTier } : {}),
    },
  };
}

function targetInfo(t: ResolvedTarget): TargetInfo {
  return {
    name: t.name,
    api: t.api,
    // Batch and Flex targets are priced at their tier (price.batch / price.flex × the online price).
    ...(t.price ? { price: tierPrice(t) ?? t.price } : {}),
    ...(t.params.maxOutputTokens === undefined ? {} : { maxOutputTokens: t.params.maxOutputTokens }),
    deployments: t.deployments.map((d) => ({ id: d.id, baseURL: d.baseURL, deployment: d.deployment })),
    settings: targetSettings(t.params),
    ...(t.mode === 'batch' ? { mode: 'batch' as const } : {}),
    ...(t.serviceTier === 'flex' ? { serviceTier: 'flex' as const } : {}),
    // A flex cell the standard tier answered (flexFallback) is priced at the standard price.
    ...(t.flexFallback && t.price ? { standardPrice: t.price } : {}),
  };
}

/** The parameters that change answers, for the report's settings table (no headers or body: they may hold keys). */
function targetSettings(params: ModelParams): TargetSettings {
  return {
    ...(params.system === undefined ? {} : { system: redactText(params.system) }),
    ...(params.temperature === undefined ? {} : { temperature: params.temperature }),
    ...(params.topP === undefined ? {} : { topP: params.topP }),
    ...(params.reasoningEffort === undefined ? {} : { reasoningEffort: params.reasoningEffort }),
    tokenLimitField: params.tokenLimitField,
    stream: params.stream,
  };
}

function flattenThresholds(thresholds: PreparedRun['config']['thresholds']): Record<string, number> {
  const flat: Record<string, number> = {};
  if (thresholds.accuracy !== undefined) flat.accuracy = thresholds.accuracy;
  if (thresholds.maxErrorRate !== undefined) flat.maxErrorRate = thresholds.maxErrorRate;
  if (thresholds.p95LatencyMs !== undefined) flat.p95LatencyMs = thresholds.p95LatencyMs;
  for (const [target, values] of Object.entries(thresholds.perTarget ?? {})) {
    if (values.accuracy !== undefined) flat[`${target}.accuracy`] = values.accuracy;
    if (values.p95LatencyMs !== undefined) flat[`${target}.p95LatencyMs`] = values.p95LatencyMs;
  }
  return flat;
}
