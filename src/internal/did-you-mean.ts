/**
 * "Did you mean …?" suggestions for user-typed names (columns, targets, scorers). Pure, no domain knowledge.
 */

/**
 * Edit distance between two strings (case-sensitive): insertions, deletions, substitutions and swaps
 * of two adjacent characters each cost 1, so the common typo `quite` for `quiet` is one edit away.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (beforePrevious[j - 2] ?? 0) + 1);
      current.push(best);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The candidate closest to `input`, or undefined when nothing is plausibly what was meant: a small edit
 * distance (at most a third of the input's length, 1 to 3), else a candidate that starts with the input
 * or is contained in it (`exact` → `exact-match`). Case is ignored.
 */
export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
  const needle = input.toLowerCase();
  const maxDistance = Math.min(3, Math.max(1, Math.floor(needle.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(needle, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (bestDistance <= maxDistance) return best;
  if (needle.length < 3) return undefined;
  return candidates.find(
    (candidate) => candidate.toLowerCase().startsWith(needle) || (candidate.length >= 3 && needle.includes(candidate.toLowerCase())),
  );
}
