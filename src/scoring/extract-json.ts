/**
 * Finds the JSON document in a model's output: the whole output, or the body of a single fenced
 * code block (```json … ```), which models add even when asked for bare JSON.
 */

export type JsonParse = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

/** Parses the output's JSON (fences allowed when `allowFence`). */
export function parseJsonOutput(output: string, allowFence = true): JsonParse {
  const fenced = allowFence ? /^\s*```[\w-]*[ \t]*\r?\n([\s\S]*?)\r?\n?```\s*$/.exec(output)?.[1] : undefined;
  const text = fenced ?? output;
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: `not valid JSON (${(error as Error).message})` };
  }
}
