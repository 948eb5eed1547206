/**
 * What a load test sends: a dataset's prompts (cycled), or synthetic prompts of a set size counted with
 * the real o200k tokenizer (each starts with its own request number, so no two share a cacheable
 * prefix). `max_tokens` pins the output length for synthetic runs.
 */
import { UsageError } from '../errors.ts';
import { createRng } from '../internal/rng.ts';
import { countTokens } from '../providers/count-tokens.ts';
import type { PromptInput } from '../types.ts';

export interface LoadWorkload {
  /** Human description for the report, e.g. `synthetic` or `qa.csv (298 prompts, cycled)`. */
  readonly source: string;
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly spread?: number;
  /** The prompt of request number `seq` (deterministic). */
  next(seq: number): PromptInput;
}

/** Common words that are one o200k token each (with their leading space), so length is exact. */
const WORDS = 'the sea ship wind light stone river cloud road house tree bird field water night morning city garden window door'.split(' ');

export interface SyntheticOptions {
  readonly inputTokens: number;
  readonly outputTokens?: number;
  /** Relative spread of the input length, e.g. 0.2 = uniform in ±20 %. */
  readonly spread?: number;
  readonly seed: number | string;
}

export function syntheticWorkload(options: SyntheticOptions): LoadWorkload {
  const spread = options.spread ?? 0;
  if (!(spread >= 0 && spread < 1)) throw new UsageError(`--spread: expected a fraction in [0, 1), got ${spread}`);
  const fillers = new Map<number, string>();
  const filler = (n: number) => {
    let text = fillers.get(n);
    if (text === undefined) {
      text = Array.from({ length: n }, (_, i) => WORDS[(i * 7 + 3) % WORDS.length]).join(' ');
      if (fillers.size < 4096) fillers.set(n, text);
    }
    return text;
  };
  return {
    source: 'synthetic prompts',
    inputTokens: options.inputTokens,
    ...(options.outputTokens === undefined ? {} : { outputTokens: options.outputTokens }),
    ...(spread ? { spread } : {}),
    next(seq) {
      const random = createRng(`${options.seed}|${seq}`);
      const target = Math.max(1, Math.round(options.inputTokens * (1 + spread * (2 * random() - 1))));
      const prefix = `Request ${seq}. Continue this text at length:\n`;
      const content = `${prefix}${filler(Math.max(0, target - countTokens(prefix)))}`;
      return { messages: [{ role: 'user', content }] };
    },
  };
}

/** A dataset's prompts, cycled in file order. */
export function datasetWorkload(name: string, inputs: readonly PromptInput[]): LoadWorkload {
  if (inputs.length === 0) throw new UsageError(`${name}: the dataset has no rows to send`);
  return {
    source: `${name} (${inputs.length} prompts, cycled)`,
    next: (seq) => inputs[seq % inputs.length]!,
  };
}
