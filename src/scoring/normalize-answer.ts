/**
 * SQuAD-style answer normalisation (Rajpurkar et al., the official evaluate-v1.1 script): lower case,
 * delete punctuation (so "U.S.A." is "usa"), drop the articles a / an / the, collapse whitespace.
 * Extended for model output: Unicode punctuation and symbols count as punctuation, accents are folded
 * (é → e), and a decimal point between digits is kept so "3.14" does not become "314".
 */

/** The normalised form used by exact-match, contains and token-f1. */
export function normalizeAnswer(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/(?<=\d)\.(?=\d)/g, '\u0000')
    .replace(/[\p{P}\p{S}]/gu, '')
    .replace(/\u0000/g, '.')
    .replace(/\b(a|an|the)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Tokens of the normalised answer (empty for an empty answer). */
export function answerTokens(text: string): string[] {
  const normalized = normalizeAnswer(text);
  return normalized === '' ? [] : normalized.split(' ');
}

/**
 * Candidate final answers in a model's output, most specific first: the text after the last
 * "answer:" label, the last non-empty line, and the whole output. Models often reason first and
 * answer last; the label and the last line are where the answer conventionally sits.
 */
export function finalAnswerCandidates(output: string): string[] {
  const candidates: string[] = [];
  const labelled = /(?:final answer|answer)\s*(?:is)?\s*[:：]\s*([^\n]+)\s*$/i.exec(output.trim());
  if (labelled?.[1] !== undefined) candidates.push(labelled[1]);
  const lines = output
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const last = lines.at(-1);
  if (last !== undefined && lines.length > 1) candidates.push(last);
  candidates.push(output);
  return candidates;
}

/** Shortens model output for a `reason` string. */
export function preview(text: string, maxLength = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > maxLength ? `${flat.slice(0, maxLength - 1)}…` : flat);
}
