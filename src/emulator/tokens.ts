/**
 * Token counting with the real o200k tokenizer, so usage matches the returned text. Results are cached
 * (bounded) because the same answers and prompts repeat a lot in benchmarks.
 */
import { decode, encode } from 'gpt-tokenizer/encoding/o200k_base';

const CACHE_LIMIT = 20_000;
const countCache = new Map<string, number>();
const pieceCache = new Map<string, string[]>();

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear(); // crude but O(1) and bounded
  cache.set(key, value);
  return value;
}

export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  const hit = countCache.get(text);
  if (hit !== undefined) return hit;
  return remember(countCache, text, encode(text).length);
}

/** The first `maxTokens` tokens of `text` (exactly that many tokens when re-encoded in the common case). */
export function truncateToTokens(text: string, maxTokens: number): string {
  if (maxTokens <= 0) return '';
  const tokens = encode(text);
  if (tokens.length <= maxTokens) return text;
  return decode(tokens.slice(0, maxTokens));
}

/** Splits text into per-token strings for streaming deltas; falls back to words if bytes split a char. */
export function tokenPieces(text: string): string[] {
  const hit = pieceCache.get(text);
  if (hit) return hit;
  const pieces = encode(text).map((t) => decode([t]));
  const ok = pieces.join('') === text;
  return remember(pieceCache, text, ok ? pieces : (text.match(/\s*\S+|\s+/g) ?? []));
}

/** Prompt tokens the OpenAI way: text tokens + 3 per message + 3 for the reply primer. */
export function countPromptTokens(texts: readonly string[], messageCount: number): number {
  let total = 0;
  for (const t of texts) total += countTokens(t);
  return total + 3 * messageCount + 3;
}
