/**
 * The simulated grader: a prompt that fences a response and a reference answer in tags and asks for a
 * "SCORE: n" verdict (the shape LLM-as-judge scorers send) gets a verdict instead of an answer. It
 * compares the two normalised texts and, like any simulated model, is right with the deployment's
 * accuracy, so offline runs exercise the whole judge path with plausible, deterministic scores.
 */
import type { Random } from '../internal/rng.ts';

/** A verdict text for a grading prompt, or undefined when the prompt is not one. */
export function gradeIfGraderPrompt(prompt: string, accuracy: number, random: Random): string | undefined {
  if (!/SCORE:/i.test(prompt)) return undefined;
  const response = lastBlock(prompt, 'response');
  const reference = lastBlock(prompt, 'reference_answer');
  if (response === undefined || reference === undefined) return undefined;
  // Whole-word containment: "Paris, France" matches "Paris", but "12" does not match "2".
  const matches = ` ${normalise(response)} `.includes(` ${normalise(reference)} `);
  const judgedRight = random() < accuracy;
  const pass = judgedRight ? matches : !matches;
  const score = pass ? 8 + Math.floor(random() * 3) : Math.floor(random() * 3);
  return pass
    ? `The response agrees with the reference answer.\nSCORE: ${score}`
    : `The response does not match the reference answer.\nSCORE: ${score}`;
}

function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\b(a|an|the)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The content of the last `<tag>…</tag>` block (instructions may mention the tag before the block). */
function lastBlock(text: string, tag: string): string | undefined {
  const end = text.lastIndexOf(`</${tag}>`);
  if (end < 0) return undefined;
  const start = text.lastIndexOf(`<${tag}>`, end);
  return start < 0 ? undefined : text.slice(start + tag.length + 2, end).trim();
}
