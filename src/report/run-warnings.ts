/** Sentences every report shows above its tables: things that make a figure mean less than it seems. */
import type { TargetInfo } from '../types.ts';
import { TRUNCATION_WARN_SHARE } from './answer-flags.ts';
import { formatPercent } from './format.ts';
import type { JudgingSummary, TargetSummary } from './summary-types.ts';

export function runWarnings(
  targets: readonly TargetSummary[],
  infos: readonly TargetInfo[],
  judging: JudgingSummary | null = null,
): string[] {
  const warnings: string[] = [];
  // A judge failure a retry recovered from changes nothing; one that left cells unscored is named.
  const unscored = targets.some((t) => (t.unscored ?? 0) > 0);
  for (const j of judging?.targets ?? []) {
    if (unscored && j.failed > 0)
      warnings.push(
        `judge ${j.target}: ${j.failed} of ${j.attempts} attempts failed; a cell whose grading failed is unscored, not failed (see the journal's judge attempts for the cause).`,
      );
  }
  for (const t of targets) {
    const cut = (t.truncated ?? 0) + (t.empty ?? 0);
    if (t.ok > 0 && cut / t.ok > TRUNCATION_WARN_SHARE) {
      const limit = infos.find((i) => i.name === t.target)?.maxOutputTokens;
      warnings.push(
        `${t.target}: ${cut} of ${t.ok} answers (${formatPercent(cut / t.ok)}) were cut off by the token limit (${t.truncated ?? 0}) or empty (${t.empty ?? 0}); ` +
          `try a larger maxOutputTokens${limit === undefined ? '' : ` (now ${limit})`}.`,
      );
    }
    if ((t.unscored ?? 0) > 0) {
      warnings.push(
        `${t.target}: ${t.unscored} answer${t.unscored === 1 ? '' : 's'} unscored (a scorer or judge errored); accuracy is over the ${t.accuracy?.scored ?? 0} scored.`,
      );
    }
  }
  return warnings;
}
