import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { AnswerBook } from '../../src/emulator/answers.ts';
import { startEmulator } from '../../src/emulator/server.ts';
import { countTokens } from '../../src/emulator/tokens.ts';

const key = Array.from({ length: 200 }, (_, i) =>
  i % 2 === 0
    ? { question: `What is ${i} plus ${i + 7}?`, answer: String(2 * i + 7) }
    : { question: `Which city hosts landmark number ${i}?`, answer: ['Paris', 'Rome', 'Tokyo', 'Lima', 'Oslo', 'Cairo'][i % 6] as string },
);

async function runAll(accuracy: number, seed: number) {
  const h = await startEmulator({
    apiKeys: ['k'],
    seed,
    zeroLatency: true,
    answerKey: key,
    deployments: [{ name: 'd', model: 'gpt-4.1-mini', capacity: 100_000, accuracy }],
  });
  const client = new OpenAI({ baseURL: h.baseURL, apiKey: 'k', maxRetries: 0 });
  try {
    const out = await Promise.all(
      key.map((k) =>
        client.chat.completions.create({
          model: 'd',
          messages: [
            { role: 'system', content: 'You are terse.' },
            { role: 'user', content: `Answer briefly.\nQuestion: ${k.question}\nAnswer:` },
          ],
        }),
      ),
    );
    return out;
  } finally {
    await h.close();
  }
}

describe('simulated answers', () => {
  it('accuracy roughly matches the configured probability, deterministically per seed', async () => {
    const a = await runAll(0.7, 7);
    const correct = a.filter((r, i) => r.choices[0]?.message.content === key[i]?.answer).length / key.length;
    expect(correct).toBeGreaterThan(0.55);
    expect(correct).toBeLessThan(0.85);
    const b = await runAll(0.7, 7);
    expect(b.map((r) => r.choices[0]?.message.content)).toEqual(a.map((r) => r.choices[0]?.message.content));
    for (const r of a) expect(r.usage?.completion_tokens).toBe(countTokens(r.choices[0]?.message.content ?? ''));
  });

  it('wrong answers are plausible: nearby different numbers, other answers of the same kind', () => {
    const book = new AnswerBook(key);
    let seed = 1;
    const rnd = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (let i = 0; i < 20; i++) {
      const wrong = book.wrongAnswer(i, rnd);
      const right = key[i]?.answer as string;
      expect(wrong).not.toBe(right);
      if (/^\d+$/.test(right)) {
        expect(Math.abs(Number(wrong) - Number(right))).toBeLessThanOrEqual(Math.max(1, Number(right) * 0.1) + 1);
      } else expect(['Paris', 'Rome', 'Tokyo', 'Lima', 'Oslo', 'Cairo']).toContain(wrong);
    }
  });

  it('finds the question inside templates, and falls back to a substring scan', () => {
    const book = new AnswerBook([
      { question: 'What is the capital of France?', answer: 'Paris' },
      { question: 'What is 2+2?', answer: '4' },
    ]);
    expect(book.find('What is the capital of France?')).toBe(0);
    expect(book.find('Context: geography\nQuestion:   what is the CAPITAL of france?\nAnswer:')).toBe(0);
    expect(book.find('Please answer: What is 2+2? Thanks.')).toBe(1);
    expect(book.find('Something else entirely')).toBe(-1);
  });

  it('unknown prompts get a deterministic generic answer; accuracy 0 and 1 are exact', async () => {
    const h = await startEmulator({
      apiKeys: ['k'],
      zeroLatency: true,
      answerKey: key.slice(0, 20),
      deployments: [
        { name: 'good', model: 'gpt-4o', capacity: 1_000, accuracy: 1 },
        { name: 'bad', model: 'gpt-4o', capacity: 1_000, accuracy: 0 },
      ],
    });
    const client = new OpenAI({ baseURL: h.baseURL, apiKey: 'k', maxRetries: 0 });
    try {
      for (const k of key.slice(0, 20)) {
        const good = await client.chat.completions.create({ model: 'good', messages: [{ role: 'user', content: k.question }] });
        const bad = await client.chat.completions.create({ model: 'bad', messages: [{ role: 'user', content: k.question }] });
        expect(good.choices[0]?.message.content).toBe(k.answer);
        expect(bad.choices[0]?.message.content).not.toBe(k.answer);
      }
      const g1 = await client.chat.completions.create({ model: 'good', messages: [{ role: 'user', content: 'Describe the weather.' }] });
      const g2 = await client.chat.completions.create({ model: 'good', messages: [{ role: 'user', content: 'Describe the weather.' }] });
      expect(g1.choices[0]?.message.content).toBe(g2.choices[0]?.message.content);
      expect((g1.choices[0]?.message.content ?? '').split(' ').length).toBeGreaterThan(5);
      expect(h.stats().deployments.good?.duplicateCompletions).toBe(1); // the same request completed twice
    } finally {
      await h.close();
    }
  });
});
