/** Responses API output (§11.3, §11.4): the response object and the paced event sequence. */
import type { Generated } from './generate.ts';
import type { LatencyPlan } from './latency.ts';
import type { SseWriter } from './stream.ts';
import { tokenPieces } from './tokens.ts';

export interface ResponsesMeta {
  id: string;
  createdAt: number;
  model: string;
  promptTokens: number;
  cachedTokens: number;
  limit: number | undefined;
  instructions: string | null;
  effort: string | null;
  reasoningModel: boolean;
  /** Suffix shared by the item ids of this response. */
  itemSuffix: string;
  /** Reasoning summary text, when `reasoning.summary` was requested on a reasoning model. */
  summary: string | undefined;
}

type Status = 'in_progress' | 'completed' | 'incomplete';

function usage(m: ResponsesMeta, g: Generated) {
  return {
    input_tokens: m.promptTokens,
    input_tokens_details: { cached_tokens: m.cachedTokens, cache_write_tokens: 0 },
    output_tokens: g.completionTokens,
    output_tokens_details: { reasoning_tokens: g.reasoningTokens },
    total_tokens: m.promptTokens + g.completionTokens,
  };
}

const reasoningItem = (m: ResponsesMeta, withSummary = true) => ({
  id: `rs_${m.itemSuffix}`,
  type: 'reasoning',
  summary: withSummary && m.summary !== undefined ? [{ type: 'summary_text', text: m.summary }] : ([] as unknown[]),
});

function messageItem(m: ResponsesMeta, text: string | undefined, status: Status) {
  return {
    id: `msg_${m.itemSuffix}`,
    type: 'message',
    role: 'assistant',
    status,
    content: text === undefined ? [] : [textPart(text)],
  };
}

const textPart = (text: string) => ({ type: 'output_text', text, annotations: [] as unknown[], logprobs: [] as unknown[] });

export function responseStatus(g: Generated): 'completed' | 'incomplete' {
  return g.finish === 'stop' ? 'completed' : 'incomplete';
}

export function responseBody(m: ResponsesMeta, g: Generated | undefined, status: Status) {
  const done = g !== undefined && status !== 'in_progress';
  const output: unknown[] = [];
  if (done) {
    if (m.reasoningModel) output.push(reasoningItem(m));
    output.push(messageItem(m, g.content, status === 'completed' ? 'completed' : 'incomplete'));
  }
  return {
    id: m.id,
    object: 'response',
    created_at: m.createdAt,
    status,
    background: false,
    ...(done ? { completed_at: Math.floor(Date.now() / 1000) } : {}),
    error: null,
    incomplete_details:
      done && status === 'incomplete' ? { reason: g.finish === 'content_filter' ? 'content_filter' : 'max_output_tokens' } : null,
    instructions: m.instructions,
    max_output_tokens: m.limit ?? null,
    model: m.model,
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: m.reasoningModel ? (m.effort ?? 'medium') : null, summary: m.summary !== undefined ? 'detailed' : null },
    store: true,
    temperature: 1,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [] as unknown[],
    top_p: 1,
    truncation: 'disabled',
    // The spec's Response.usage is not nullable: omit it until there is one.
    ...(done ? { usage: usage(m, g) } : {}),
    metadata: {},
  };
}

/** Writes the Responses event sequence (no [DONE]); returns false if the stream died. */
export async function streamResponse(w: SseWriter, m: ResponsesMeta, g: Generated, plan: LatencyPlan): Promise<boolean> {
  let seq = 0;
  const send = (type: string, payload: Record<string, unknown>): boolean =>
    w.event(JSON.stringify({ type, ...payload, sequence_number: seq++ }), type);
  const itemId = `msg_${m.itemSuffix}`;
  let outputIndex = 0;
  send('response.created', { response: responseBody(m, undefined, 'in_progress') });
  send('response.in_progress', { response: responseBody(m, undefined, 'in_progress') });
  if (m.reasoningModel && m.summary !== undefined) {
    // Summaries stream while the model reasons: overhead first, then the summary spread over the reasoning time.
    if (!(await w.pace(plan.firstTokenMs - plan.reasoningMs))) return false;
    const rsId = `rs_${m.itemSuffix}`;
    const at = { item_id: rsId, output_index: outputIndex, summary_index: 0 };
    send('response.output_item.added', { output_index: outputIndex, item: reasoningItem(m, false) });
    send('response.reasoning_summary_part.added', { ...at, part: { type: 'summary_text', text: '' } });
    const pieces = tokenPieces(m.summary);
    for (const piece of pieces) {
      if (!(await w.pace(plan.reasoningMs / Math.max(1, pieces.length)))) return false;
      if (!send('response.reasoning_summary_text.delta', { ...at, delta: piece })) return false;
    }
    send('response.reasoning_summary_text.done', { ...at, text: m.summary });
    send('response.reasoning_summary_part.done', { ...at, part: { type: 'summary_text', text: m.summary } });
    send('response.output_item.done', { output_index: outputIndex, item: reasoningItem(m) });
    outputIndex++;
  } else {
    if (!(await w.pace(plan.firstTokenMs))) return false;
    if (m.reasoningModel) {
      send('response.output_item.added', { output_index: outputIndex, item: reasoningItem(m) });
      send('response.output_item.done', { output_index: outputIndex, item: reasoningItem(m) });
      outputIndex++;
    }
  }
  const finalStatus = responseStatus(g);
  send('response.output_item.added', { output_index: outputIndex, item: messageItem(m, undefined, 'in_progress') });
  send('response.content_part.added', { item_id: itemId, output_index: outputIndex, content_index: 0, part: textPart('') });
  for (const piece of tokenPieces(g.content)) {
    if (!(await w.pace(plan.perTokenMs))) return false;
    if (!send('response.output_text.delta', { item_id: itemId, output_index: outputIndex, content_index: 0, delta: piece, logprobs: [] }))
      return false;
  }
  send('response.output_text.done', { item_id: itemId, output_index: outputIndex, content_index: 0, text: g.content, logprobs: [] });
  send('response.content_part.done', { item_id: itemId, output_index: outputIndex, content_index: 0, part: textPart(g.content) });
  send('response.output_item.done', {
    output_index: outputIndex,
    item: messageItem(m, g.content, finalStatus === 'completed' ? 'completed' : 'incomplete'),
  });
  send(finalStatus === 'completed' ? 'response.completed' : 'response.incomplete', { response: responseBody(m, g, finalStatus) });
  return w.alive;
}
