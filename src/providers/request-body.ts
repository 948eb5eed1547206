/**
 * Request bodies per API. A target's params are frozen at resolve time; these functions only place them
 * in the field each API and model expects. `extraBody` may add or override fields, but never the ones
 * the adapters depend on to read the answer (model, messages/input, stream, include_usage).
 */
import type { ChatMessage, ModelParams, PromptInput } from '../types.ts';

type Body = Record<string, unknown>;

/** Chat Completions body: `params.system` first, the token cap in the configured field. */
export function buildChatBody(deployment: string, params: ModelParams, input: PromptInput): Body {
  const messages: ChatMessage[] = params.system ? [{ role: 'system', content: params.system }, ...input.messages] : [...input.messages];
  const body: Body = {};
  if (params.maxOutputTokens !== undefined) {
    // `max_tokens` only when a model insists on it (some partner models); reasoning models reject it.
    body[params.tokenLimitField === 'max_tokens' ? 'max_tokens' : 'max_completion_tokens'] = params.maxOutputTokens;
  }
  setDefined(body, 'temperature', params.temperature);
  setDefined(body, 'top_p', params.topP);
  setDefined(body, 'reasoning_effort', params.reasoningEffort);
  setDefined(body, 'service_tier', params.serviceTier);
  const extra = params.extraBody ?? {};
  Object.assign(body, extra, { model: deployment, messages, stream: params.stream });
  if (params.stream) body['stream_options'] = { ...asRecord(extra['stream_options']), include_usage: true };
  else delete body['stream_options'];
  return body;
}

/**
 * Responses body. The system prompt goes to `instructions`; so does a single leading system/developer
 * message when there is no configured one. Everything else is sent as input messages, in order.
 */
export function buildResponsesBody(deployment: string, params: ModelParams, input: PromptInput): Body {
  const messages = [...input.messages];
  let instructions = params.system;
  const first = messages[0];
  const instructionRoles = messages.filter((message) => message.role === 'system' || message.role === 'developer');
  if (instructions === undefined && first && instructionRoles.length === 1 && instructionRoles[0] === first) {
    instructions = first.content;
    messages.shift();
  }
  const body: Body = {};
  setDefined(body, 'instructions', instructions);
  setDefined(body, 'max_output_tokens', params.maxOutputTokens);
  setDefined(body, 'temperature', params.temperature);
  setDefined(body, 'top_p', params.topP);
  if (params.reasoningEffort !== undefined) body['reasoning'] = { effort: params.reasoningEffort };
  setDefined(body, 'service_tier', params.serviceTier);
  const extra = params.extraBody ?? {};
  Object.assign(body, extra, {
    model: deployment,
    input: messages.map((message) => ({ type: 'message', role: message.role, content: message.content })),
    stream: params.stream,
  });
  return body;
}

/** Request headers from the params (preview feature flags and the like; never secrets). */
export function requestHeaders(params: ModelParams): Record<string, string> | undefined {
  return params.headers ? { ...params.headers } : undefined;
}

function setDefined(body: Body, key: string, value: unknown): void {
  if (value !== undefined) body[key] = value;
}

function asRecord(value: unknown): Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Body) : {};
}
