/**
 * The plain-language lines of a baseline comparison: the verdict, one line per regressed metric (the
 * accuracy line names the rows that flipped), then notes on flips, added or removed rows, missing or
 * new targets, and a changed config or dataset.
 */
import type { Comparison, ItemFlips, TargetComparison } from './baseline-types.ts';

/** Row ids shown inline in a sentence; the full (capped) lists live in the comparison. */
const INLINE_IDS = 10;

export function comparisonSentences(comparison: Omit<Comparison, 'sentences'>): string[] {
  const regressions: string[] = [];
  const notes: string[] = [];
  for (const target of comparison.targets) {
    if (target.status === 'missing') {
      notes.push(`${target.target}: in the baseline but not in this run (${target.removed.count} items not compared)`);
      continue;
    }
    if (target.status === 'new') {
      notes.push(`${target.target}: not in the baseline (${target.added.count} items, nothing to compare)`);
      continue;
    }
    let flipsSaid = false;
    for (const metric of target.metrics.filter((m) => m.regressed)) {
      const withFlips = metric.metric === 'accuracy' && target.flips.counts.passToFail > 0;
      flipsSaid ||= withFlips;
      regressions.push(
        `${target.target}: ${metric.detail}${withFlips ? `; ${flipList(target.flips.counts.passToFail, target.flips.passToFail, 'pass→fail')}` : ''}`,
      );
    }
    const flipNote = flipsNote(target.flips, flipsSaid);
    if (flipNote) notes.push(`${target.target}: ${flipNote}`);
    const rowNote = rowsNote(target);
    if (rowNote) notes.push(`${target.target}: ${rowNote}`);
  }
  const b = comparison.baseline;
  const c = comparison.current;
  if (b.configHash && c.configHash && b.configHash !== c.configHash)
    notes.push(`config changed since the baseline (hash ${b.configHash.slice(0, 12)} → ${c.configHash.slice(0, 12)})`);
  if (b.dataset && c.dataset && b.dataset !== c.dataset) notes.push(`dataset differs from the baseline's (${b.dataset} → ${c.dataset})`);
  if (b.emulator !== c.emulator)
    notes.push(b.emulator ? 'the baseline was an emulator run; this run is not' : 'this run used the emulator; the baseline did not');
  const compared = comparison.targets.filter((t) => t.status === 'ok' || t.status === 'regressed');
  const regressed = compared.filter((t) => t.status === 'regressed').map((t) => t.target);
  const against = b.runId ? ` baseline ${b.runId}` : ' the baseline';
  const verdict = regressed.length
    ? `Regression against${against}: ${regressed.join(', ')} (${regressed.length} of ${compared.length} targets).`
    : `No regression against${against} (${compared.length} target${compared.length === 1 ? '' : 's'} compared).`;
  return [verdict, ...regressions, ...notes];
}

// --- internal ---

function flipList(count: number, ids: readonly string[], label: string): string {
  const shown = ids.slice(0, INLINE_IDS);
  const more = count - shown.length;
  return `${count} row${count === 1 ? '' : 's'} flipped ${label}: ${shown.join(', ')}${more > 0 ? `, … (+${more} more)` : ''}`;
}

function flipsNote(flips: ItemFlips, passToFailSaid: boolean): string | null {
  const parts: string[] = [];
  if (flips.counts.passToFail > 0 && !passToFailSaid) parts.push(flipList(flips.counts.passToFail, flips.passToFail, 'pass→fail'));
  if (flips.counts.failToPass > 0) parts.push(flipList(flips.counts.failToPass, flips.failToPass, 'fail→pass'));
  return parts.length ? parts.join('; ') : null;
}

function rowsNote(target: TargetComparison): string | null {
  const parts: string[] = [];
  for (const [label, list] of [
    ['added since the baseline', target.added],
    ['removed since the baseline', target.removed],
  ] as const) {
    if (list.count === 0) continue;
    const shown = list.ids.slice(0, INLINE_IDS);
    const more = list.count - shown.length;
    parts.push(`${list.count} item${list.count === 1 ? '' : 's'} ${label} (${shown.join(', ')}${more > 0 ? `, … +${more} more` : ''})`);
  }
  return parts.length ? `${parts.join('; ')}; only the ${target.flips.counts.paired} shared items are paired` : null;
}
