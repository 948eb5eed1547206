/**
 * The error hierarchy. Callers branch on `code` (and, for provider errors, on `category` and
 * `retryable`), never on message text. User mistakes (config, dataset, usage) become one-line messages
 * and exit code 2 in the CLI; provider errors become journal records, never crashes.
 */
import type { ErrorCategory, RateInfo, SerializedError } from './types.ts';

export class BenchError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BenchError';
    this.code = code;
  }
}

/** Invalid configuration; `issues` lists every problem, each naming its path. */
export class ConfigError extends BenchError {
  readonly issues: readonly string[];
  constructor(issues: readonly string[], options?: { cause?: unknown; file?: string }) {
    const prefix = options?.file ? `${options.file}: ` : '';
    // Several problems: one per line, so a long list stays readable (and greppable) in a terminal or CI log.
    super(
      'E_CONFIG',
      issues.length === 1
        ? `${prefix}${issues[0]}`
        : `${prefix}${issues.length} problems:\n${issues.map((issue) => `  ${issue}`).join('\n')}`,
      options,
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** A dataset problem, with the file, line and column where it was found. */
export class DatasetError extends BenchError {
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  constructor(file: string, line: number | undefined, column: number | undefined, detail: string, options?: { cause?: unknown }) {
    const where = line === undefined ? file : column === undefined ? `${file}:${line}` : `${file}:${line}:${column}`;
    super('E_DATASET', `${where}: ${detail}`, options);
    this.name = 'DatasetError';
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

/** Bad command-line usage. */
export class UsageError extends BenchError {
  constructor(message: string) {
    super('E_USAGE', message);
    this.name = 'UsageError';
  }
}

/** The journal could not be written or read. */
export class JournalError extends BenchError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_JOURNAL', message, options);
    this.name = 'JournalError';
  }
}

export interface ProviderErrorInit {
  readonly category: ErrorCategory;
  readonly message: string;
  readonly retryable: boolean;
  readonly status?: number;
  readonly code?: string;
  readonly retryAfterMs?: number;
  readonly requestId?: string;
  readonly rate?: RateInfo;
  readonly cause?: unknown;
}

/** The single error type providers throw: SDK errors are translated into it at the boundary. */
export class ProviderError extends BenchError {
  readonly category: ErrorCategory;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly errorCode: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly requestId: string | undefined;
  readonly rate: RateInfo | undefined;
  constructor(init: ProviderErrorInit) {
    super('E_PROVIDER', init.message, { cause: init.cause });
    this.name = 'ProviderError';
    this.category = init.category;
    this.retryable = init.retryable;
    this.status = init.status;
    this.errorCode = init.code;
    this.retryAfterMs = init.retryAfterMs;
    this.requestId = init.requestId;
    this.rate = init.rate;
  }
}

/** Normalises anything thrown into an Error. */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  if (typeof value === 'string') return new Error(value);
  try {
    return new Error(JSON.stringify(value));
  } catch {
    return new Error(String(value));
  }
}

/** A JSON-safe description of an error for the journal. Never includes headers or request bodies. */
export function serializeError(value: unknown): SerializedError {
  const error = toError(value);
  if (error instanceof ProviderError) {
    return {
      name: error.name,
      code: error.errorCode ?? error.category,
      message: error.message,
      category: error.category,
      ...(error.status === undefined ? {} : { status: error.status }),
      retryable: error.retryable,
      ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
    };
  }
  const code = error instanceof BenchError ? error.code : 'E_INTERNAL';
  return { name: error.name, code, message: error.message, retryable: false };
}
