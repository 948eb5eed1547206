/**
 * The Files and Batches calls of one Global Batch deployment through the OpenAI SDK, with the answers
 * parsed tolerantly: statuses in any case, timestamps as seconds or ISO strings, `""` file ids and
 * `request_counts: null` (all seen in Microsoft's REST samples). `token_limit_exceeded` at create
 * (fail-fast regions) comes back as a value, not an exception, so the caller can back off and resubmit.
 */
import OpenAI, { toFile } from 'openai';
import type { ResolvedDeployment } from '../types.ts';
import { createOpenAIClient } from './openai-client.ts';
import type { ProviderDeps } from './provider.ts';

export type JobStatus = 'validating' | 'failed' | 'in_progress' | 'finalizing' | 'completed' | 'expired' | 'cancelling' | 'cancelled';
const STATUSES: readonly JobStatus[] = [
  'validating',
  'failed',
  'in_progress',
  'finalizing',
  'completed',
  'expired',
  'cancelling',
  'cancelled',
];
export const TERMINAL_STATUSES: ReadonlySet<JobStatus> = new Set(['failed', 'completed', 'expired', 'cancelled']);

export interface JobView {
  readonly id: string;
  readonly status: JobStatus;
  readonly outputFileId: string | null;
  readonly errorFileId: string | null;
  readonly counts: { readonly total: number; readonly completed: number; readonly failed: number } | null;
  readonly errors: readonly { readonly code: string; readonly message: string; readonly line: number | null }[];
  /** Epoch ms of each transition the service reported. */
  readonly times: Readonly<Record<string, number>>;
}

export type CreateResult =
  | { readonly ok: true; readonly job: JobView }
  | { readonly ok: false; readonly tokenLimit: true; readonly message: string };

export interface BatchClient {
  upload(filename: string, jsonl: string, expiresAfterSeconds: number): Promise<string>;
  create(inputFileId: string, metadata: Record<string, string>): Promise<CreateResult>;
  retrieve(id: string): Promise<JobView>;
  cancel(id: string): Promise<JobView>;
  /**
   * The file's lines as they download (none for a missing id): a 100,000-line output file is never one
   * string in memory. A dropped connection rejects the iteration part way.
   */
  lines(fileId: string | null): AsyncIterable<string>;
}

export function createBatchClient(deployment: ResolvedDeployment, deps: ProviderDeps): BatchClient {
  const client = createOpenAIClient(deployment, deps);
  return {
    async upload(filename, jsonl, expiresAfterSeconds) {
      const file = await client.files.create({
        file: await toFile(Buffer.from(jsonl, 'utf8'), filename),
        purpose: 'batch',
        expires_after: { anchor: 'created_at', seconds: expiresAfterSeconds },
      });
      return file.id;
    },
    async create(inputFileId, metadata) {
      try {
        // Azure's samples pass '/chat/completions' for every batch: the service reads each line's url.
        const job = await client.batches.create({
          input_file_id: inputFileId,
          endpoint: '/chat/completions' as '/v1/chat/completions',
          completion_window: '24h',
          metadata,
        });
        return { ok: true, job: parseJob(job) };
      } catch (error) {
        if (error instanceof OpenAI.APIError && /token_limit_exceeded/.test(`${error.code ?? ''} ${error.message}`))
          return { ok: false, tokenLimit: true, message: error.message };
        throw error;
      }
    },
    retrieve: async (id) => parseJob(await client.batches.retrieve(id)),
    cancel: async (id) => parseJob(await client.batches.cancel(id)),
    async *lines(fileId) {
      if (!fileId) return;
      const response = await client.files.content(fileId);
      if (!response.body) return yield* splitLines([await response.text()]);
      yield* byteLines(response.body as unknown as AsyncIterable<Uint8Array>);
    },
  };
}

/** UTF-8 byte chunks → lines; a character split between two chunks is decoded whole. */
export function byteLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  return splitLines(
    (async function* () {
      const decoder = new TextDecoder();
      for await (const chunk of chunks) yield decoder.decode(chunk, { stream: true });
      yield decoder.decode();
    })(),
  );
}

/** Text pieces → lines (without their `\n`); only the unfinished last line is carried between pieces. */
export async function* splitLines(pieces: AsyncIterable<string> | Iterable<string>): AsyncGenerator<string> {
  let carry = '';
  for await (const piece of pieces) {
    const text = carry + piece;
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      yield text.slice(start, end);
      start = end + 1;
    }
    carry = text.slice(start);
  }
  if (carry) yield carry;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Seconds (number or numeric string) or an ISO date → epoch ms. */
export function parseTime(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v * 1000;
  if (typeof v === 'string' && v.trim() !== '') {
    if (/^\d+(\.\d+)?$/.test(v.trim())) return Number(v) * 1000;
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

const fileId = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export function parseJob(raw: unknown): JobView {
  const o = isRecord(raw) ? raw : {};
  const statusText =
    typeof o['status'] === 'string' ? o['status'].toLowerCase().replace('canceled', 'cancelled').replace('inprogress', 'in_progress') : '';
  const status = (STATUSES as readonly string[]).includes(statusText) ? (statusText as JobStatus) : 'validating';
  const rc = o['request_counts'];
  const times: Record<string, number> = {};
  for (const k of [
    'created_at',
    'in_progress_at',
    'finalizing_at',
    'completed_at',
    'failed_at',
    'expired_at',
    'cancelling_at',
    'cancelled_at',
    'expires_at',
  ]) {
    const t = parseTime(o[k]);
    if (t !== undefined) times[k.replace(/_at$/, '')] = t;
  }
  const errs = isRecord(o['errors']) && Array.isArray(o['errors']['data']) ? o['errors']['data'] : [];
  return {
    id: typeof o['id'] === 'string' ? o['id'] : '',
    status,
    outputFileId: fileId(o['output_file_id']),
    errorFileId: fileId(o['error_file_id']),
    counts: isRecord(rc) ? { total: count(rc['total']), completed: count(rc['completed']), failed: count(rc['failed']) } : null,
    errors: errs.filter(isRecord).map((e) => ({
      code: String(e['code'] ?? 'unknown'),
      message: String(e['message'] ?? ''),
      line: typeof e['line'] === 'number' ? e['line'] : null,
    })),
    times,
  };
}
