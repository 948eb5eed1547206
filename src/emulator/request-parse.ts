/**
 * Turns a chat-completions or Responses request body into the API-neutral fields the pipeline needs:
 * prompt texts (for the estimate and usage), the question text, the output limit and flags.
 */
import type { AzureError } from './azure-errors.ts';
import { azureErrors } from './azure-errors.ts';
import type { ReasoningEffort } from './profiles.ts';

export type Api = 'chat' | 'responses';

export interface GenRequest {
  api: Api;
  model: string | undefined;
  promptTexts: string[];
  promptChars: number;
  messageCount: number;
  /** Text searched for a known question: the last user message / input. */
  questionText: string;
  /** Every prompt text joined, for filter trigger checks. */
  fullPrompt: string;
  limit: number | undefined;
  limitParam: 'max_tokens' | 'max_completion_tokens' | 'max_output_tokens' | undefined;
  n: number;
  bestOf: number;
  stream: boolean;
  includeUsage: boolean;
  effort: ReasoningEffort | undefined;
  /** Responses API `reasoning.summary` was requested (auto / concise / detailed). */
  reasoningSummary: boolean;
  /** Parameters present in the body that o-series profiles reject (max_tokens and non-default sampling). */
  samplingParams: string[];
}

const SAMPLING = ['temperature', 'top_p', 'presence_penalty', 'frequency_penalty', 'logprobs', 'logit_bias'] as const;

function partText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let out = '';
  for (const part of content) {
    if (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string') {
      out += (out ? '\n' : '') + (part as { text: string }).text;
    }
  }
  return out;
}

function positiveInt(body: Record<string, unknown>, key: string): number | undefined | AzureError {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    return azureErrors.invalidRequest(
      `Invalid '${key}': integer below minimum value. Expected a value >= 1, but got ${JSON.stringify(v)} instead.`,
      key,
      'integer_below_min_value',
    );
  }
  return v;
}

const isError = (v: unknown): v is AzureError => typeof v === 'object' && v !== null && 'status' in v;

export function parseGenRequest(api: Api, body: unknown): GenRequest | AzureError {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return azureErrors.invalidRequest('The request body must be a JSON object.', null, null);
  const b = body as Record<string, unknown>;
  const texts: string[] = [];
  let messageCount = 0;
  let questionText = '';
  if (api === 'chat') {
    if (!Array.isArray(b.messages) || b.messages.length === 0) return azureErrors.missingField('messages');
    for (const m of b.messages as unknown[]) {
      const msg = (m ?? {}) as { role?: unknown; content?: unknown };
      const text = partText(msg.content);
      texts.push(text);
      messageCount++;
      if (msg.role === 'user') questionText = text;
    }
  } else {
    if (b.input === undefined || b.input === null) return azureErrors.missingField('input');
    if (typeof b.instructions === 'string') {
      texts.push(b.instructions);
      messageCount++;
    }
    if (typeof b.input === 'string') {
      texts.push(b.input);
      questionText = b.input;
      messageCount++;
    } else if (Array.isArray(b.input)) {
      for (const item of b.input as unknown[]) {
        const it = (item ?? {}) as { role?: unknown; content?: unknown };
        const text = partText(it.content);
        texts.push(text);
        messageCount++;
        if (it.role === 'user' || it.role === undefined) questionText = text;
      }
    } else return azureErrors.invalidRequest("Invalid type for 'input': expected a string or an array.", 'input', 'invalid_type');
  }
  if (!questionText) questionText = texts[texts.length - 1] ?? '';
  let promptChars = 0;
  for (const t of texts) promptChars += t.length;
  if (Array.isArray(b.tools)) promptChars += JSON.stringify(b.tools).length;

  const limitKeys = api === 'chat' ? (['max_completion_tokens', 'max_tokens'] as const) : (['max_output_tokens'] as const);
  let limit: number | undefined;
  let limitParam: GenRequest['limitParam'];
  for (const key of limitKeys) {
    const v = positiveInt(b, key);
    if (isError(v)) return v;
    if (v !== undefined && limit === undefined) {
      limit = v;
      limitParam = key;
    }
  }
  const n = positiveInt(b, 'n');
  if (isError(n)) return n;
  const bestOf = positiveInt(b, 'best_of');
  if (isError(bestOf)) return bestOf;

  const effortRaw = api === 'chat' ? b.reasoning_effort : (b.reasoning as { effort?: unknown } | undefined)?.effort;
  const effort = typeof effortRaw === 'string' ? (effortRaw as ReasoningEffort) : undefined;
  // temperature/top_p at their default of 1 are accepted by reasoning models; anything else is not.
  const samplingParams: string[] = SAMPLING.filter(
    (k) => b[k] !== undefined && b[k] !== null && !((k === 'temperature' || k === 'top_p') && b[k] === 1),
  );
  // max_tokens is reported first: it is the one o-series clients hit most.
  if (api === 'chat' && b.max_tokens !== undefined && b.max_tokens !== null) samplingParams.unshift('max_tokens');
  const streamOptions = b.stream_options as { include_usage?: unknown } | undefined;
  return {
    api,
    model: typeof b.model === 'string' ? b.model : undefined,
    promptTexts: texts,
    promptChars,
    messageCount,
    questionText,
    fullPrompt: texts.join('\n'),
    limit,
    limitParam,
    n: n ?? 1,
    bestOf: bestOf ?? 1,
    stream: b.stream === true,
    includeUsage: streamOptions?.include_usage === true,
    effort,
    reasoningSummary: api === 'responses' && typeof (b.reasoning as { summary?: unknown } | undefined)?.summary === 'string',
    samplingParams,
  };
}
