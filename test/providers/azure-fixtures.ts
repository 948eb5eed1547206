/**
 * Azure-shaped test data: SSE scripts and JSON bodies as azure-v1-behaviour.md §7 and §11 describe them
 * (annotation-first chat streams, usage chunk before [DONE], Responses events with sequence numbers),
 * plus target/deployment builders and a clock whose every reading is one millisecond later than the last,
 * so timing order is asserted without wall-clock timing.
 */
import type { Clock } from '../../src/internal/clock.ts';
import type { ModelParams, ResolvedDeployment, ResolvedTarget } from '../../src/types.ts';
import type { SseStep } from '../support/loopback-server.ts';

export const TEST_KEY_ENV = 'BATCHBENCH_TEST_KEY';
export const TEST_KEY = 'loopback-test-key';

export function deploymentFor(baseURL: string, overrides: Partial<ResolvedDeployment> = {}): ResolvedDeployment {
  return {
    id: 'target/dep1',
    baseURL,
    deployment: 'dep1',
    auth: { kind: 'api-key', apiKeyEnv: TEST_KEY_ENV },
    limits: {},
    maxConcurrency: 4,
    timeoutMs: 10_000,
    ...overrides,
  };
}

export function targetFor(api: 'chat' | 'responses', deployment: ResolvedDeployment, params: Partial<ModelParams> = {}): ResolvedTarget {
  return {
    name: 'target',
    api,
    params: {
      tokenLimitField: api === 'chat' ? 'max_completion_tokens' : 'max_output_tokens',
      stream: true,
      maxOutputTokens: 100,
      ...params,
    },
    deployments: [deployment],
  };
}

/** Each reading is 1 ms after the previous one; timers are real. */
export function tickClock(): Clock {
  let now = 1_000_000;
  return {
    now: () => ++now,
    setTimer(fn, delayMs) {
      const timer = setTimeout(fn, Math.max(0, delayMs));
      return { cancel: () => clearTimeout(timer) };
    },
  };
}

/** A clock that reads whatever the test last set; timers are real. */
export function settableClock(start = 0): Clock & { set(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    set: (ms: number) => {
      now = ms;
    },
    setTimer(fn, delayMs) {
      const timer = setTimeout(fn, Math.max(0, delayMs));
      return { cancel: () => clearTimeout(timer) };
    },
  };
}

export const AZURE_HEADERS: Readonly<Record<string, string>> = {
  'x-ratelimit-limit-requests': '100',
  'x-ratelimit-limit-tokens': '100000',
  'x-ratelimit-remaining-requests': '99',
  'x-ratelimit-remaining-tokens': '99000',
  'x-request-id': 'req-123',
  'apim-request-id': 'apim-456',
  'x-ms-region': 'Sweden Central',
};

const SAFE = { filtered: false, severity: 'safe' };
const FILTER_RESULTS = { hate: SAFE, self_harm: SAFE, sexual: SAFE, violence: SAFE };

function chunk(delta: Record<string, unknown>, finishReason: string | null = null, extra: Record<string, unknown> = {}) {
  return {
    id: 'chatcmpl-abc',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'gpt-4.1-mini-2025-04-14',
    system_fingerprint: 'fp_x',
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null, content_filter_results: FILTER_RESULTS }],
    usage: null,
    obfuscation: 'pad',
    ...extra,
  };
}

export interface ChatStreamOptions {
  readonly content?: readonly string[];
  readonly reasoning?: readonly string[];
  readonly finishReason?: string;
  readonly usage?: Record<string, unknown> | null;
  /** Pause after the annotation event. @unit milliseconds */
  readonly pauseMs?: number;
}

/** A chat stream in Azure's default filter mode: annotation, role, content, finish, a late filter chunk, usage, [DONE]. */
export function azureChatStream(options: ChatStreamOptions = {}): SseStep[] {
  const usage = options.usage === undefined ? chatUsageJson() : options.usage;
  return [
    {
      data: {
        id: '',
        object: '',
        created: 0,
        model: '',
        choices: [],
        prompt_filter_results: [{ prompt_index: 0, content_filter_results: FILTER_RESULTS }],
      },
    },
    { pauseMs: options.pauseMs ?? 0 },
    { data: chunk({ role: 'assistant', content: '' }) },
    ...(options.reasoning ?? []).map((text) => ({ data: chunk({ reasoning_content: text }) })),
    ...(options.content ?? ['Hel', 'lo']).map((text) => ({ data: chunk({ content: text }) })),
    { data: chunk({}, options.finishReason ?? 'stop') },
    {
      data: {
        id: '',
        object: '',
        created: 0,
        model: '',
        choices: [
          { index: 0, finish_reason: null, delta: {}, content_filter_offsets: { check_offset: 5, start_offset: 0, end_offset: 5 } },
        ],
      },
    },
    ...(usage ? [{ data: { ...chunk({}), choices: [], usage } }] : []),
    { data: '[DONE]' },
  ];
}

export function chatUsageJson(): Record<string, unknown> {
  return {
    prompt_tokens: 12,
    completion_tokens: 7,
    total_tokens: 19,
    prompt_tokens_details: { cached_tokens: 4 },
    completion_tokens_details: { reasoning_tokens: 3 },
  };
}

export function chatCompletionJson(
  content: string | null,
  finishReason = 'stop',
  message: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: 'chatcmpl-abc',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'gpt-4.1-mini-2025-04-14',
    choices: [
      {
        index: 0,
        finish_reason: finishReason,
        logprobs: null,
        message: { role: 'assistant', content, refusal: null, ...message },
        content_filter_results: FILTER_RESULTS,
      },
    ],
    usage: chatUsageJson(),
    prompt_filter_results: [{ prompt_index: 0, content_filter_results: FILTER_RESULTS }],
  };
}

export function responsesUsageJson(): Record<string, unknown> {
  return {
    input_tokens: 20,
    input_tokens_details: { cached_tokens: 5 },
    output_tokens: 9,
    output_tokens_details: { reasoning_tokens: 6 },
    total_tokens: 29,
  };
}

export function responseJson(status: string, output: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'resp_1',
    object: 'response',
    created_at: 1_700_000_000,
    status,
    model: 'o4-mini-2025-04-16',
    output,
    usage: responsesUsageJson(),
    incomplete_details: null,
    error: null,
    ...extra,
  };
}

export function messageItem(text: string): Record<string, unknown> {
  return {
    type: 'message',
    id: 'msg_1',
    role: 'assistant',
    status: 'completed',
    content: [{ type: 'output_text', text, annotations: [] }],
  };
}

export function reasoningItem(summary: string): Record<string, unknown> {
  return { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: summary }] };
}

export interface ResponsesStreamOptions {
  readonly deltas?: readonly string[];
  readonly summary?: readonly string[];
  /** The terminal event; default `response.completed`. */
  readonly terminal?: { readonly type: string; readonly response: Record<string, unknown> } | null;
}

/** Responses events in the documented order, with sequence numbers and one unknown event kind. */
export function responsesStream(options: ResponsesStreamOptions = {}): SseStep[] {
  const deltas = options.deltas ?? ['Hel', 'lo'];
  const text = deltas.join('');
  const events: Record<string, unknown>[] = [
    { type: 'response.created', response: responseJson('in_progress', [], { usage: null }) },
    { type: 'response.in_progress', response: responseJson('in_progress', [], { usage: null }) },
    { type: 'response.future_event_kind', payload: { anything: true } },
  ];
  if (options.summary) {
    events.push({ type: 'response.output_item.added', output_index: 0, item: { type: 'reasoning', id: 'rs_1', summary: [] } });
    for (const delta of options.summary)
      events.push({ type: 'response.reasoning_summary_text.delta', item_id: 'rs_1', output_index: 0, summary_index: 0, delta });
    events.push({ type: 'response.output_item.done', output_index: 0, item: reasoningItem(options.summary.join('')) });
  }
  events.push(
    {
      type: 'response.output_item.added',
      output_index: 1,
      item: { type: 'message', id: 'msg_1', role: 'assistant', status: 'in_progress', content: [] },
    },
    {
      type: 'response.content_part.added',
      item_id: 'msg_1',
      output_index: 1,
      content_index: 0,
      part: { type: 'output_text', text: '', annotations: [] },
    },
    ...deltas.map((delta) => ({
      type: 'response.output_text.delta',
      item_id: 'msg_1',
      output_index: 1,
      content_index: 0,
      delta,
      logprobs: [],
      obfuscation: 'x',
    })),
    { type: 'response.output_text.done', item_id: 'msg_1', output_index: 1, content_index: 0, text },
    { type: 'response.output_item.done', output_index: 1, item: messageItem(text) },
  );
  const terminal =
    options.terminal === undefined
      ? { type: 'response.completed', response: responseJson('completed', [messageItem(text)]) }
      : options.terminal;
  if (terminal) events.push(terminal);
  return events.map((event, index) => ({ event: String(event['type']), data: { ...event, sequence_number: index } }));
}
