/** Small hand-built journal records for tests whose expected numbers are worked out by hand. */
import type { AttemptRecord, ResultFailed, ResultOk, RunEndRecord, RunStartRecord, TargetInfo } from '../../src/types.ts';

export const T0 = 1_700_000_000_000;

export function runStart(targets: readonly TargetInfo[], extra: Partial<RunStartRecord> = {}): RunStartRecord {
  return {
    v: 1,
    kind: 'run-start',
    runId: 'hand',
    startedAt: '2026-01-01T00:00:00.000Z',
    dataset: 'd.csv',
    rows: null,
    repeats: 1,
    targets,
    scorers: ['exact'],
    emulator: false,
    configHash: 'h',
    ...extra,
  };
}

export function target(name: string, price?: TargetInfo['price']): TargetInfo {
  return {
    name,
    api: 'chat',
    ...(price ? { price } : {}),
    deployments: [{ id: `${name}/d`, baseURL: 'http://127.0.0.1:1/', deployment: name }],
  };
}

export interface OkSpec {
  readonly target: string;
  readonly row: string;
  readonly repeat?: number;
  readonly passed?: boolean;
  readonly value?: number;
  readonly startedAt?: number;
  readonly ttft?: number;
  readonly e2e?: number;
  readonly durationMs?: number;
  readonly completion?: number;
  readonly prompt?: number;
  readonly cached?: number;
  readonly fromCache?: boolean;
  readonly output?: string;
  readonly promptText?: string;
  readonly deployment?: string;
}

export function ok(spec: OkSpec): ResultOk {
  const passed = spec.passed ?? true;
  const rowIndex = Number(spec.row.replace(/\D/g, '')) || 0;
  const e2e = spec.e2e ?? 100;
  return {
    v: 1,
    kind: 'result',
    key: `${spec.row}|${spec.target}|${spec.repeat ?? 0}`,
    rowId: spec.row,
    rowIndex,
    target: spec.target,
    repeat: spec.repeat ?? 0,
    deploymentId: spec.deployment ?? `${spec.target}/d`,
    attempts: 1,
    durationMs: spec.durationMs ?? e2e,
    prompt: spec.promptText ?? `prompt ${spec.row}`,
    expected: 'yes',
    status: 'ok',
    output: spec.output ?? (passed ? 'yes' : 'no'),
    finishReason: 'stop',
    usage: { promptTokens: spec.prompt ?? 10, completionTokens: spec.completion ?? 5, reasoningTokens: 0, cachedTokens: spec.cached ?? 0 },
    timing: { startedAt: spec.startedAt ?? T0, ...(spec.ttft === undefined ? {} : { firstTokenMs: spec.ttft }), endMs: e2e },
    cost: null,
    scores: [{ scorer: 'exact', status: 'ok', value: spec.value ?? (passed ? 1 : 0), passed }],
    passed,
    ...(spec.fromCache ? { cached: true } : {}),
  };
}

export function failed(targetName: string, row: string, category: 'server' | 'timeout' = 'server'): ResultFailed {
  return {
    v: 1,
    kind: 'result',
    key: `${row}|${targetName}|0`,
    rowId: row,
    rowIndex: 0,
    target: targetName,
    repeat: 0,
    deploymentId: `${targetName}/d`,
    attempts: 3,
    durationMs: 5000,
    prompt: `prompt ${row}`,
    status: 'failed',
    reason: 'exhausted',
    error: { name: 'ProviderError', code: 'E', message: 'boom', category, retryable: true },
  };
}

export function attempt(
  targetName: string,
  outcome: AttemptRecord['outcome'],
  startedAt: number,
  endMs: number,
  extra: Partial<AttemptRecord> = {},
): AttemptRecord {
  return {
    v: 1,
    kind: 'attempt',
    key: `k|${targetName}|0`,
    target: targetName,
    deploymentId: `${targetName}/d`,
    attempt: 1,
    outcome,
    waitedBeforeMs: 0,
    timing: { startedAt, endMs },
    ...extra,
  };
}

export function runEnd(): RunEndRecord {
  return {
    v: 1,
    kind: 'run-end',
    endedAt: '2026-01-01T00:10:00.000Z',
    reason: 'completed',
    stats: { items: 0, attempts: 0, quota429: 0, capacity429: 0, pausedMs: 1234, peakInFlight: 1 },
  };
}
