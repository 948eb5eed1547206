/**
 * The simulated completion: picks the answer text (known question → right or wrong answer; otherwise a
 * generic sentence), adds reasoning, applies the output limit and the completion filter trigger, and
 * counts tokens with the real tokenizer so usage matches the text.
 */
import type { Random } from '../internal/rng.ts';
import { createRng, hashString } from '../internal/rng.ts';
import type { AnswerBook } from './answers.ts';
import { genericText, reasoningText } from './answers.ts';
import { countTokens, tokenPieces, truncateToTokens } from './tokens.ts';
import { gradeIfGraderPrompt } from './grader.ts';

export type FinishReason = 'stop' | 'length' | 'content_filter';

export interface Generated {
  /** Visible content (includes `<think>…</think>` for think-tag models); null when filtered. */
  content: string;
  /** DeepSeek `reasoning_content` style reasoning text, if any. */
  reasoningContent: string | undefined;
  /** Hidden reasoning tokens (o-series) or tokens of the visible reasoning text. */
  reasoningTokens: number;
  /** Hidden reasoning tokens only: they delay the first visible token. */
  hiddenReasoningTokens: number;
  completionTokens: number;
  finish: FinishReason;
  /** Index in the answer key, or -1 for unknown prompts. */
  questionIndex: number;
  correct: boolean | undefined;
}

export interface GenerateInput {
  seed: string;
  deployment: string;
  questionText: string;
  fullPrompt: string;
  accuracy: number;
  /** Re-draw per attempt instead of per (deployment, prompt). */
  noiseSalt: string;
  limit: number | undefined;
  reasoning: 'none' | 'hidden' | 'think-tags' | 'reasoning_content';
  reasoningTokensDraw: number;
  outputMedian: number;
  outputSigma: number;
  completionTriggers: readonly string[];
  choiceIndex: number;
}

export function generate(book: AnswerBook, x: GenerateInput): Generated {
  const base = `${x.seed}|${x.deployment}|${x.fullPrompt}|${x.noiseSalt}|${x.choiceIndex}`;
  const random: Random = createRng(hashString(base));
  // The last user message usually holds the question; fall back to the whole prompt (system + all turns).
  let questionIndex = book.find(x.questionText);
  if (questionIndex < 0 && x.fullPrompt !== x.questionText) questionIndex = book.find(x.fullPrompt);
  let answer: string;
  let correct: boolean | undefined;
  const verdict = gradeIfGraderPrompt(x.fullPrompt, x.accuracy, random);
  if (verdict !== undefined) {
    answer = verdict;
    questionIndex = -1;
  } else if (questionIndex >= 0) {
    correct = random() < x.accuracy;
    answer = correct ? (book.entry(questionIndex)?.answer ?? '') : book.wrongAnswer(questionIndex, random);
  } else {
    answer = genericText(base, x.outputMedian, x.outputSigma);
  }

  let hidden = 0;
  let visibleReasoning = '';
  if (x.reasoning === 'hidden') hidden = x.reasoningTokensDraw;
  else if (x.reasoning !== 'none') visibleReasoning = reasoningText(base, Math.min(x.reasoningTokensDraw, 4000));

  let content = x.reasoning === 'think-tags' ? `<think>\n${visibleReasoning}\n</think>\n\n${answer}` : answer;
  let reasoningContent = x.reasoning === 'reasoning_content' ? visibleReasoning : undefined;
  let finish: FinishReason = 'stop';

  const limit = x.limit;
  if (limit !== undefined) {
    if (hidden >= limit) {
      hidden = limit;
      content = '';
      finish = 'length';
    } else {
      let budget = limit - hidden;
      if (reasoningContent !== undefined) {
        const rt = countTokens(reasoningContent);
        if (rt >= budget) {
          reasoningContent = truncateToTokens(reasoningContent, budget);
          budget = 0;
        } else budget -= rt;
      }
      if (countTokens(content) > budget) {
        content = truncateToTokens(content, budget);
        finish = 'length';
      }
    }
  }
  if (x.completionTriggers.some((t) => t !== '' && (x.fullPrompt.includes(t) || content.includes(t)))) {
    // The filter stops output at the offending segment: keep the first half (streams stop there too).
    const pieces = tokenPieces(content);
    content = pieces.slice(0, Math.floor(pieces.length / 2)).join('');
    finish = 'content_filter';
  }
  const reasoningVisibleTokens = visibleReasoning ? countTokens(visibleReasoning) : 0;
  const completionTokens = hidden + countTokens(content) + (reasoningContent ? countTokens(reasoningContent) : 0);
  return {
    content,
    reasoningContent,
    // Visible <think> text may have been cut by the limit: never report more reasoning than was generated.
    reasoningTokens: Math.min(
      completionTokens,
      hidden + (reasoningContent !== undefined ? countTokens(reasoningContent) : reasoningVisibleTokens),
    ),
    hiddenReasoningTokens: hidden,
    completionTokens,
    finish,
    questionIndex,
    correct,
  };
}
