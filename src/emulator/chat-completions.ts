/** Chat completions output (§11.1, §11.2): the JSON body and the paced SSE sequence with filter modes. */
import type { FilterMode } from './config.ts';
import { filteredChoiceResults, promptFilterResultsJson, safeChoiceResultsJson } from './filter-results.ts';
import type { Generated } from './generate.ts';
import type { LatencyPlan } from './latency.ts';
import type { SseWriter } from './stream.ts';
import { tokenPieces } from './tokens.ts';

export interface ChatMeta {
  id: string;
  created: number;
  model: string;
  systemFingerprint: string;
  promptTokens: number;
  cachedTokens: number;
  filterMode: FilterMode;
}

export function chatUsage(promptTokens: number, gens: readonly Generated[], cachedTokens = 0) {
  let completion = 0;
  let reasoning = 0;
  for (const g of gens) {
    completion += g.completionTokens;
    reasoning += g.reasoningTokens;
  }
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completion,
    total_tokens: promptTokens + completion,
    prompt_tokens_details: { cached_tokens: cachedTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: reasoning,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

const filteredChoiceResultsJson = JSON.stringify(filteredChoiceResults);

function usageJson(promptTokens: number, gens: readonly Generated[], cachedTokens: number): string {
  const u = chatUsage(promptTokens, gens, cachedTokens);
  return `{"prompt_tokens":${u.prompt_tokens},"completion_tokens":${u.completion_tokens},"total_tokens":${u.total_tokens},"prompt_tokens_details":{"cached_tokens":${cachedTokens},"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":${u.completion_tokens_details.reasoning_tokens},"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}`;
}

/**
 * The non-streaming body, serialised by hand: the constant filter annotations are most of the bytes, and
 * splicing their pre-serialised JSON is several times faster than JSON.stringify on the hot path.
 */
export function chatCompletionJson(m: ChatMeta, gens: readonly Generated[]): string {
  const filtered = m.filterMode !== 'off';
  const choices = gens.map((g, index) => {
    const reasoning = g.reasoningContent !== undefined ? `,"reasoning_content":${JSON.stringify(g.reasoningContent)}` : '';
    const results = filtered
      ? `,"content_filter_results":${g.finish === 'content_filter' ? filteredChoiceResultsJson : safeChoiceResultsJson}`
      : '';
    return `{"index":${index},"finish_reason":"${g.finish}","logprobs":null,"message":{"role":"assistant","content":${JSON.stringify(g.content)},"refusal":null,"annotations":[]${reasoning}}${results}}`;
  });
  const prompt = filtered ? `"prompt_filter_results":${promptFilterResultsJson},` : '';
  return `{"id":"${m.id}","object":"chat.completion","created":${m.created},"model":${JSON.stringify(m.model)},"system_fingerprint":"${m.systemFingerprint}",${prompt}"choices":[${choices.join(',')}],"usage":${usageJson(m.promptTokens, gens, m.cachedTokens)}}`;
}

/** Writes the whole chat SSE sequence; returns false if the stream died (client gone or fault). */
export async function streamChat(
  w: SseWriter,
  m: ChatMeta,
  gens: readonly Generated[],
  plan: LatencyPlan,
  opts: { includeUsage: boolean; bufferTokens: number },
): Promise<boolean> {
  // Shared prefix of every chunk, serialised once.
  const head = `{"id":"${m.id}","object":"chat.completion.chunk","created":${m.created},"model":${JSON.stringify(m.model)},"system_fingerprint":"${m.systemFingerprint}",`;
  const tail = opts.includeUsage ? ',"usage":null}' : '}';
  const filterField = m.filterMode === 'default' ? `,"content_filter_results":${safeChoiceResultsJson}` : '';
  const chunk = (index: number, delta: string, finish: string | null, extra = '') =>
    `${head}"choices":[{"index":${index},"delta":${delta},"finish_reason":${finish === null ? 'null' : `"${finish}"`},"logprobs":null${extra}}]${tail}`;

  if (m.filterMode !== 'off') {
    w.event(`{"id":"","object":"","created":0,"model":"","prompt_filter_results":${promptFilterResultsJson},"choices":[]}`);
  }
  for (let i = 0; i < gens.length; i++) w.event(chunk(i, '{"role":"assistant","content":""}', null));
  if (!(await w.pace(plan.firstTokenMs))) return false;

  for (let i = 0; i < gens.length; i++) {
    const g = gens[i] as Generated;
    const parts: Array<{ field: 'content' | 'reasoning_content'; text: string }> = [];
    if (g.reasoningContent) for (const p of tokenPieces(g.reasoningContent)) parts.push({ field: 'reasoning_content', text: p });
    for (const p of tokenPieces(g.content)) parts.push({ field: 'content', text: p });
    let pending: typeof parts = [];
    let owed = 0;
    let chars = 0;
    let lastAnnotated = 0;
    for (let k = 0; k < parts.length; k++) {
      const part = parts[k] as (typeof parts)[number];
      owed += plan.perTokenMs;
      if (m.filterMode === 'default') {
        // Buffered release: tokens are produced at the decode rate but leave in bursts (§7.4).
        pending.push(part);
        if (pending.length < opts.bufferTokens && k < parts.length - 1) continue;
        if (!(await w.pace(owed))) return false;
        owed = 0;
        for (const p of pending) w.event(chunk(i, `{"${p.field}":${JSON.stringify(p.text)}}`, null, filterField));
        pending = [];
      } else {
        if (!(await w.pace(owed))) return false;
        owed = 0;
        if (!w.event(chunk(i, `{"${part.field}":${JSON.stringify(part.text)}}`, null))) return false;
        chars += part.text.length;
        if (m.filterMode === 'async' && chars - lastAnnotated >= 1000) {
          w.event(
            `{"id":"","object":"","created":0,"model":"","choices":[{"index":${i},"finish_reason":null,"content_filter_results":${safeChoiceResultsJson},"content_filter_offsets":{"check_offset":${lastAnnotated},"start_offset":${lastAnnotated},"end_offset":${chars}}}]}`,
          );
          lastAnnotated = chars;
        }
      }
    }
    if (!w.event(chunk(i, '{}', g.finish))) return false;
  }
  if (opts.includeUsage) {
    w.event(`${head}"choices":[],"usage":${usageJson(m.promptTokens, gens, m.cachedTokens)}}`);
  }
  w.event('[DONE]');
  return w.alive;
}
