/**
 * The simulated model's knowledge: finds which answer-key question a prompt contains and decides, from a
 * seeded draw, whether to answer correctly (probability = deployment accuracy) or plausibly wrong.
 * Unknown prompts get a deterministic generic sentence.
 */
import type { Random } from '../internal/rng.ts';
import { createRng, hashString, logNormal } from '../internal/rng.ts';

export interface AnswerEntry {
  question: string;
  answer: string;
}

const normalize = (s: string): string => s.toLowerCase().replace(/\s+/g, ' ').trim();
const NUMBER = /^-?\d+(\.\d+)?$/;
const ANCHOR = 12;

/** FNV-1a over ANCHOR chars at `pos`: a numeric Map key, so the scan allocates no substrings. */
function anchorHash(s: string, pos: number): number {
  let h = 0x811c9dc5;
  for (let i = pos; i < pos + ANCHOR; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const WORDS = (
  'the model considers several factors before reaching a conclusion about this topic and notes that ' +
  'context matters because different assumptions lead to different results in practice while careful ' +
  'analysis of available evidence suggests a balanced view with some uncertainty remaining overall'
).split(' ');

export class AnswerBook {
  readonly #entries: AnswerEntry[];
  readonly #exact = new Map<string, number>();
  /**
   * Substring index: questions keyed by their first ANCHOR characters. A prompt is scanned once, looking
   * up the ANCHOR characters at each word start, so the cost is O(prompt words), not O(questions).
   * Questions shorter than ANCHOR are few and scanned directly.
   */
  readonly #byAnchor = new Map<number, Array<{ q: string; index: number }>>();
  readonly #short: Array<{ q: string; index: number }> = [];
  readonly #lookupCache = new Map<string, number>();
  readonly #numeric: number[] = [];
  readonly #textual: number[] = [];

  constructor(entries: readonly AnswerEntry[] = []) {
    this.#entries = entries.map((e) => ({ question: e.question, answer: e.answer }));
    this.#entries.forEach((e, i) => {
      const q = normalize(e.question);
      if (!this.#exact.has(q)) this.#exact.set(q, i);
      (NUMBER.test(e.answer.trim()) ? this.#numeric : this.#textual).push(i);
    });
    for (const [q, index] of this.#exact) {
      if (q.length < ANCHOR) this.#short.push({ q, index });
      else {
        const anchor = anchorHash(q, 0);
        const list = this.#byAnchor.get(anchor);
        if (list) list.push({ q, index });
        else this.#byAnchor.set(anchor, [{ q, index }]);
      }
    }
  }

  get size(): number {
    return this.#entries.length;
  }

  /** Index of the known question the prompt contains, or -1. */
  find(prompt: string): number {
    if (this.#entries.length === 0) return -1;
    const cached = this.#lookupCache.get(prompt);
    if (cached !== undefined) return cached;
    const found = this.#search(prompt);
    if (this.#lookupCache.size > 50_000) this.#lookupCache.clear();
    this.#lookupCache.set(prompt, found);
    return found;
  }

  #search(prompt: string): number {
    const whole = normalize(prompt);
    const direct = this.#exact.get(whole);
    if (direct !== undefined) return direct;
    // Templates usually put the question on its own line or after a "label:" prefix: try those first.
    const lines = prompt
      .split('\n')
      .map(normalize)
      .filter(Boolean)
      .sort((a, b) => b.length - a.length);
    for (const line of lines) {
      const hit = this.#exact.get(line) ?? this.#exact.get(line.replace(/^[^:]{1,40}:\s*/, ''));
      if (hit !== undefined) return hit;
    }
    // Substring fallback: the longest known question contained in the prompt wins (most specific).
    let best = -1;
    let bestLength = 0;
    for (let pos = 0; pos + ANCHOR <= whole.length; pos = whole.indexOf(' ', pos) + 1 || whole.length) {
      const candidates = this.#byAnchor.get(anchorHash(whole, pos));
      if (!candidates) continue;
      for (const { q, index } of candidates) {
        if (q.length > bestLength && whole.startsWith(q, pos)) {
          best = index;
          bestLength = q.length;
        }
      }
    }
    if (best >= 0) return best;
    // Small keys: also catch questions not starting at a word boundary (e.g. after a quote).
    const scan = this.#exact.size <= 500 ? [...this.#short, ...[...this.#byAnchor.values()].flat()] : this.#short;
    for (const { q, index } of scan) {
      if (q.length > bestLength && whole.includes(q)) {
        best = index;
        bestLength = q.length;
      }
    }
    return best;
  }

  entry(index: number): AnswerEntry | undefined {
    return this.#entries[index];
  }

  /** A plausible wrong answer: a nearby different number, or another answer of the same kind. */
  wrongAnswer(index: number, random: Random): string {
    const right = (this.#entries[index]?.answer ?? '').trim();
    if (NUMBER.test(right)) {
      const value = Number(right);
      const decimals = right.includes('.') ? (right.split('.')[1]?.length ?? 0) : 0;
      const spread = Math.max(1, Math.abs(value) * 0.1);
      let delta = Math.max(10 ** -decimals, Math.round(random() * spread * 10 ** decimals) / 10 ** decimals);
      if (random() < 0.5) delta = -delta;
      return (value + delta).toFixed(decimals);
    }
    const pool = this.#textual.filter((i) => i !== index && normalize(this.#entries[i]?.answer ?? '') !== normalize(right));
    if (pool.length === 0) return right === '' ? 'I do not know.' : `not ${right}`;
    // Prefer answers of similar length (same "kind": a name vs a sentence).
    const similar = pool.filter((i) => {
      const len = this.#entries[i]?.answer.length ?? 0;
      return len <= right.length * 2 + 5 && len * 2 + 5 >= right.length;
    });
    const from = similar.length > 0 ? similar : pool;
    return this.#entries[from[Math.floor(random() * from.length)] as number]?.answer ?? 'I do not know.';
  }
}

/** Deterministic filler text of about `tokens` tokens (≈ 1.3 tokens per word is not needed: words are common). */
export function genericText(seed: string, median: number, sigma: number): string {
  const random = createRng(hashString(seed));
  const target = Math.max(1, Math.round(logNormal(random, median, sigma)));
  const words: string[] = [];
  for (let i = 0; i < target; i++) words.push(WORDS[Math.floor(random() * WORDS.length)] as string);
  const first = words[0] ?? 'ok';
  words[0] = first.charAt(0).toUpperCase() + first.slice(1);
  return `${words.join(' ')}.`;
}

/** Visible reasoning text for `<think>`/`reasoning_content` models, deterministic per seed. */
export function reasoningText(seed: string, words: number): string {
  const random = createRng(hashString(seed, 7));
  const out: string[] = ['Let me think about this.'];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(random() * WORDS.length)] as string);
  return out.join(' ');
}
