/**
 * One line of a batch output or error file → the same Completion an online request would give, or a
 * failure with its code. Tolerant: unknown fields are ignored, a missing body is a failure, and for
 * Responses the body's `model` is the deployment name (so it is not taken as the model).
 */
import type { ApiKind, Completion, ErrorCategory } from '../types.ts';
import { finishReasonOf, readOutput } from './responses.ts';
import { chatUsage, responsesUsage } from './usage.ts';

export type BatchLineResult =
  | { readonly customId: string; readonly ok: true; readonly completion: Completion }
  | {
      readonly customId: string;
      readonly ok: false;
      readonly code: string;
      readonly message: string;
      readonly status: number | undefined;
      readonly category: ErrorCategory;
      readonly resumable: boolean;
    };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function categoryOf(status: number | undefined, code: string): ErrorCategory {
  if (code === 'content_filter') return 'content_filter';
  if (status === 429) return 'quota';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 408 || code === 'request_timeout') return 'timeout';
  if (status !== undefined && status >= 400 && status < 500) return 'bad_request';
  return 'server';
}

/** `timing` spans submit → result: batch turnaround, not a request latency. */
export function parseBatchLine(line: string, api: ApiKind, timing: { submittedAt: number; resultAt: number }): BatchLineResult | undefined {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isRecord(o) || typeof o['custom_id'] !== 'string') return undefined;
  const customId = o['custom_id'];
  const response = isRecord(o['response']) ? o['response'] : undefined;
  const error = isRecord(o['error']) ? o['error'] : undefined;
  const status = typeof response?.['status_code'] === 'number' ? response['status_code'] : undefined;
  const body = isRecord(response?.['body']) ? response['body'] : undefined;
  if (status !== 200 || !body) {
    const bodyError = isRecord(body?.['error']) ? body['error'] : undefined;
    const code = String(error?.['code'] ?? bodyError?.['code'] ?? bodyError?.['type'] ?? `http_${status ?? 'unknown'}`);
    const message = String(error?.['message'] ?? bodyError?.['message'] ?? 'batch line failed');
    // Lines a batch never ran (expired, cancelled) are not answers: a resume sends them again.
    const resumable = code === 'batch_expired' || code === 'batch_cancelled';
    return { customId, ok: false, code, message, status, category: resumable ? 'aborted' : categoryOf(status, code), resumable };
  }
  const requestId = typeof response?.['request_id'] === 'string' ? response['request_id'] : null;
  const base = {
    timing: { startedAt: timing.submittedAt, endMs: Math.max(0, timing.resultAt - timing.submittedAt) },
    rate: {},
    status: 200,
    requestId,
    region: null,
  };
  if (api === 'chat') {
    const choice = Array.isArray(body['choices']) && isRecord(body['choices'][0]) ? body['choices'][0] : {};
    const message = isRecord(choice['message']) ? choice['message'] : {};
    const text =
      typeof message['content'] === 'string' ? message['content'] : typeof message['refusal'] === 'string' ? message['refusal'] : '';
    const reasoning = typeof message['reasoning_content'] === 'string' ? message['reasoning_content'] : undefined;
    return {
      customId,
      ok: true,
      completion: {
        text,
        ...(reasoning ? { reasoning } : {}),
        finishReason: typeof choice['finish_reason'] === 'string' ? choice['finish_reason'] : null,
        usage: chatUsage(body['usage']),
        model: typeof body['model'] === 'string' ? body['model'] : null,
        ...base,
      },
    };
  }
  const out = readOutput(body['output']);
  return {
    customId,
    ok: true,
    completion: {
      text: out.text,
      ...(out.reasoning.length ? { reasoning: out.reasoning.join('\n') } : {}),
      finishReason: finishReasonOf(body),
      usage: responsesUsage(body['usage']),
      model: null,
      ...base,
    },
  };
}
