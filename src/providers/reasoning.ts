/**
 * Separates a model's reasoning from its answer. DeepSeek-R1-style deployments put reasoning inline as
 * `<think>…</think>` (in streams the opening tag may be missing, so text before a lone `</think>` is
 * reasoning); newer ones send `reasoning_content` fields; the Responses API sends reasoning items or
 * summaries. The answer is what scorers see, so it must never contain the reasoning.
 */

const OPEN = '<think>';
const CLOSE = '</think>';

export interface SplitText {
  /** The answer with every reasoning block removed, trimmed. */
  readonly answer: string;
  /** The reasoning blocks joined by blank lines, or undefined when there were none. */
  readonly reasoning: string | undefined;
}

/** Splits inline `<think>` blocks out of `text`. An unclosed `<think>` (a truncated answer) is all reasoning. */
export function splitThinkTags(text: string): SplitText {
  const answer: string[] = [];
  const reasoning: string[] = [];
  let rest = text;
  const firstOpen = rest.indexOf(OPEN);
  const firstClose = rest.indexOf(CLOSE);
  if (firstClose !== -1 && (firstOpen === -1 || firstClose < firstOpen)) {
    reasoning.push(rest.slice(0, firstClose));
    rest = rest.slice(firstClose + CLOSE.length);
  }
  for (;;) {
    const open = rest.indexOf(OPEN);
    if (open === -1) {
      answer.push(rest);
      break;
    }
    answer.push(rest.slice(0, open));
    rest = rest.slice(open + OPEN.length);
    const close = rest.indexOf(CLOSE);
    if (close === -1) {
      reasoning.push(rest);
      break;
    }
    reasoning.push(rest.slice(0, close));
    rest = rest.slice(close + CLOSE.length);
  }
  return { answer: answer.join('').trim(), reasoning: joinReasoning(reasoning) };
}

/**
 * The final answer and reasoning of one completion.
 * @param content the raw answer text (may hold `<think>` blocks)
 * @param reasoningParts reasoning from dedicated fields or events, in arrival order
 */
export function separateReasoning(content: string, reasoningParts: readonly string[]): SplitText {
  const inline = splitThinkTags(content);
  return { answer: inline.answer, reasoning: joinReasoning([...reasoningParts, inline.reasoning ?? '']) };
}

function joinReasoning(parts: readonly string[]): string | undefined {
  const kept = parts.map((part) => part.trim()).filter((part) => part.length > 0);
  return kept.length > 0 ? kept.join('\n\n') : undefined;
}

/** What one streamed content delta contributed, once inline `<think>` tags are accounted for. */
export interface DeltaKinds {
  readonly reasoning: boolean;
  readonly content: boolean;
  /** A lone `</think>` just showed that the content streamed so far was reasoning. */
  readonly reclassified: boolean;
}

/** A delta that carried no output of either kind. */
export const NO_OUTPUT: DeltaKinds = Object.freeze({ reasoning: false, content: false, reclassified: false });

/**
 * Classifies streamed content deltas while `<think>` blocks arrive, so TTFT means the first answer
 * token for think-tag models too. Only timing depends on it: the final text is split by
 * `splitThinkTags`, which sees the whole answer. Blocks after the first closing tag count as answer.
 */
export class InlineThinkTracker {
  #seen = '';
  #closed = false;
  #answerStarted = false;
  /** Whether the content opened with `<think>`; undecided while it is blank or a prefix of the tag. */
  #openedWithTag: boolean | undefined;

  push(delta: string): DeltaKinds {
    const before = this.#seen.length;
    if (this.#closed) {
      // The answer is trimmed, so the blank lines after `</think>` are not its first token.
      const content = this.#answerStarted ? delta.length > 0 : delta.trim().length > 0;
      this.#answerStarted ||= content;
      return { reasoning: false, content, reclassified: false };
    }
    this.#seen += delta;
    this.#openedWithTag ??= decideOpening(this.#seen);
    // Only the tail can hold a new closing tag: scanning from there keeps long reasoning linear.
    const close = this.#seen.indexOf(CLOSE, Math.max(0, before - CLOSE.length + 1));
    if (close === -1) {
      // Leading blank deltas are neither kind until the content shows whether it opens with the tag.
      if (this.#openedWithTag === undefined && delta.trim().length === 0) return NO_OUTPUT;
      const thinking = this.#openedWithTag !== false;
      return { reasoning: thinking && delta.length > 0, content: !thinking && delta.length > 0, reclassified: false };
    }
    this.#closed = true;
    const reasoningPart = this.#seen.slice(before, Math.max(before, close));
    const answerPart = this.#seen.slice(Math.max(before, close + CLOSE.length));
    this.#answerStarted = answerPart.trim().length > 0;
    this.#seen = ''; // no longer needed
    return { reasoning: reasoningPart.trim().length > 0, content: this.#answerStarted, reclassified: this.#openedWithTag !== true };
  }
}

function decideOpening(seen: string): boolean | undefined {
  const lead = seen.trimStart();
  if (lead.startsWith(OPEN)) return true;
  return OPEN.startsWith(lead) ? undefined : false;
}
