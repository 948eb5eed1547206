/**
 * Planning a batch target: each cell becomes one JSONL line (custom_id = the cell key, the same request
 * body the online path sends, non-streaming), and lines are packed into files that stay within Azure's
 * 100,000 lines and 200 MB per file and within the deployment's enqueued-token budget (a file larger
 * than the budget could never be admitted). Tokens use the online admission estimate (chars/4 + cap).
 */
import { buildChatBody, buildResponsesBody } from '../../providers/request-body.ts';
import type { ResolvedTarget, WorkItem } from '../../types.ts';

/** Azure's per-file limits (§9.1, §9.3), with room for framing. */
export const MAX_FILE_BYTES = 200 * 1024 * 1024 - 64 * 1024;
export const MAX_FILE_LINES = 100_000;

export interface PlannedLine {
  readonly key: string;
  readonly json: string;
  readonly bytes: number;
  readonly tokens: number;
}

export interface PlannedFile {
  readonly keys: string[];
  readonly jsonl: string;
  readonly bytes: number;
  readonly tokens: number;
}

export interface FileLimits {
  readonly maxLines: number;
  readonly maxBytes: number;
  readonly maxTokens: number;
}

export function batchUrl(target: ResolvedTarget): '/v1/chat/completions' | '/v1/responses' {
  return target.api === 'chat' ? '/v1/chat/completions' : '/v1/responses';
}

/** The line of one cell: the online body with streaming off (batch answers are whole JSON bodies). */
export function planLine(item: WorkItem, target: ResolvedTarget, deployment: string): PlannedLine {
  const params = { ...target.params, stream: false };
  const body = target.api === 'chat' ? buildChatBody(deployment, params, item.input) : buildResponsesBody(deployment, params, item.input);
  delete body['stream'];
  const json = JSON.stringify({ custom_id: item.key, method: 'POST', url: batchUrl(target), body });
  return { key: item.key, json, bytes: Buffer.byteLength(json) + 1, tokens: item.cost };
}

/** Packs lines into files in arrival order; `add` returns a full file when the next line would not fit. */
export class FilePacker {
  readonly #limits: FileLimits;
  #lines: PlannedLine[] = [];
  #bytes = 0;
  #tokens = 0;

  constructor(limits: FileLimits) {
    this.#limits = limits;
  }

  add(line: PlannedLine): PlannedFile | undefined {
    const l = this.#limits;
    const full =
      this.#lines.length > 0 &&
      (this.#lines.length + 1 > l.maxLines || this.#bytes + line.bytes > l.maxBytes || this.#tokens + line.tokens > l.maxTokens);
    const done = full ? this.flush() : undefined;
    this.#lines.push(line);
    this.#bytes += line.bytes;
    this.#tokens += line.tokens;
    return done;
  }

  flush(): PlannedFile | undefined {
    if (this.#lines.length === 0) return undefined;
    const file: PlannedFile = {
      keys: this.#lines.map((x) => x.key),
      jsonl: `${this.#lines.map((x) => x.json).join('\n')}\n`,
      bytes: this.#bytes,
      tokens: this.#tokens,
    };
    this.#lines = [];
    this.#bytes = 0;
    this.#tokens = 0;
    return file;
  }
}

/** 5, 10, 20 … s, capped at 5 minutes: the backoff after `token_limit_exceeded` (§9.5). */
export function tokenLimitBackoffMs(attempt: number, baseMs = 5_000): number {
  return Math.min(300_000, baseMs * 2 ** Math.max(0, attempt));
}
