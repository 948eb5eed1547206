import { describe, expect, it } from 'vitest';
import { InlineThinkTracker, separateReasoning, splitThinkTags } from '../../src/providers/reasoning.ts';

describe('splitThinkTags', () => {
  it.each([
    ['plain answer', '  Paris ', 'Paris', undefined],
    ['a leading think block', '<think>\nIt is Paris.\n</think>\n\nParis', 'Paris', 'It is Paris.'],
    ['opening tag missing (streams)', 'It is Paris.</think>Paris', 'Paris', 'It is Paris.'],
    ['unclosed think (truncated by the cap)', '<think>still thinking', '', 'still thinking'],
    ['two think blocks', '<think>a</think>X<think>b</think>Y', 'XY', 'a\n\nb'],
    ['empty think block', '<think></think>42', '42', undefined],
    ['text before the block is answer', 'Intro <think>r</think> end', 'Intro  end', 'r'],
  ])('%s', (_name, text, answer, reasoning) => {
    expect(splitThinkTags(text)).toEqual({ answer, reasoning });
  });
});

describe('separateReasoning', () => {
  it('joins field reasoning and inline reasoning, answer trimmed', () => {
    expect(separateReasoning('<think>inline</think> 42 ', ['field'])).toEqual({ answer: '42', reasoning: 'field\n\ninline' });
  });

  it('has no reasoning when every part is blank', () => {
    expect(separateReasoning('42', ['', '  '])).toEqual({ answer: '42', reasoning: undefined });
  });
});

describe('InlineThinkTracker', () => {
  const kinds = (deltas: string[]) => {
    const tracker = new InlineThinkTracker();
    return deltas.map((delta) => {
      const k = tracker.push(delta);
      return `${k.reasoning ? 'R' : ''}${k.content ? 'C' : ''}${k.reclassified ? '!' : ''}` || '-';
    });
  };

  it.each([
    ['plain answer', ['Hel', 'lo'], ['C', 'C']],
    ['think block then answer', ['<think>', 'plan', '</think>', '\n\n', '42'], ['R', 'R', '-', '-', 'C']],
    ['opening tag split across deltas', ['<th', 'ink>', 'plan', '</think>42'], ['R', 'R', 'R', 'C']],
    ['reasoning and answer in one delta', ['<think>a', 'b</think>c'], ['R', 'RC']],
    ['opening tag missing', ['plan ', 'more', '</think>', 'Answer'], ['C', 'C', '!', 'C']],
    ['whitespace before the opening tag', ['\n', '<think>x</think>', 'y'], ['-', 'R', 'C']],
    ['a plain answer after a blank first delta', ['\n', 'Hi'], ['-', 'C']],
    ['later think blocks count as answer', ['<think>a</think>', 'b', '<think>c'], ['R', 'C', 'C']],
  ])('%s', (_name, deltas, expected) => {
    expect(kinds(deltas)).toEqual(expected);
  });
});
