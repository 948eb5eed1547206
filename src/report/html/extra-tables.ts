/**
 * The report's own tables (not in the terminal or summary.md): target settings and accuracy by the
 * dataset's label or description column. Same cell shape as view-tables.ts, so the client renders them alike.
 */
import { formatPercent, MISSING } from '../format.ts';
import type { RunSummary } from '../summary-types.ts';
import type { ViewCell, ViewTable } from '../view-tables.ts';
import type { TargetInfo } from '../../types.ts';
import type { LabelTally } from './report-extras.ts';

/** Longest system prompt shown in the settings table; the rest is elided with its length. */
const SYSTEM_CHARS = 600;

export function settingsTable(summary: RunSummary, infos: readonly TargetInfo[]): ViewTable {
  const byName = new Map(infos.map((t) => [t.name, t]));
  const columns = [
    ['target', 'Target'],
    ['api', 'API'],
    ['deployments', 'Deployment(s)'],
    ['system', 'System prompt'],
    ['temperature', 'Temperature'],
    ['topP', 'Top p'],
    ['tokens', 'Token limit'],
    ['effort', 'Reasoning effort'],
    ['stream', 'Streaming'],
    ['price', 'Price in / out per 1M'],
  ] as const;
  return {
    id: 'settings',
    title: 'Target settings',
    columns: columns.map(([key, label]) => ({ key, label, numeric: key === 'temperature' || key === 'topP' })),
    rows: summary.targets.map((t) => {
      const info = byName.get(t.target);
      const s = info?.settings;
      const system = s?.system;
      const deployments = info?.deployments.map((d) => `${d.deployment} (${d.id}) at ${d.baseURL}`) ?? t.deployments;
      return [
        text(t.target),
        text(info?.api ?? t.api ?? MISSING),
        text(deployments.join('\n') || MISSING),
        text(
          system === undefined
            ? 'none'
            : system.length > SYSTEM_CHARS
              ? `${system.slice(0, SYSTEM_CHARS)}… (${system.length} characters)`
              : system,
        ),
        num(s?.temperature),
        num(s?.topP),
        text(
          info?.maxOutputTokens === undefined ? 'not set' : `${info.maxOutputTokens}${s?.tokenLimitField ? ` (${s.tokenLimitField})` : ''}`,
        ),
        text(s?.reasoningEffort ?? 'default'),
        text(s?.stream === undefined ? MISSING : s.stream ? 'yes' : 'no'),
        text(info?.price ? `$${info.price.input} / $${info.price.output}` : 'no price'),
      ];
    }),
  };
}

/** Pass rate per label or description, one column per target: "80.0% (4/5)" over scored cells, with errors counted apart. */
export function labelsTable(
  labels: readonly LabelTally[],
  targets: readonly string[],
  source: 'label' | 'description' = 'description',
): ViewTable {
  const name = source === 'label' ? 'Label' : 'Description';
  return {
    id: 'labels',
    title: `Accuracy by ${name.toLowerCase()} (answered cells)`,
    columns: [{ key: 'label', label: name, numeric: false }, ...targets.map((t) => ({ key: t, label: t, numeric: true }))],
    rows: labels.map((l) => [
      text(l.label),
      ...targets.map((t): ViewCell => {
        const tally = l.byTarget[t];
        if (!tally || tally[2] === 0) return { text: tally ? `${MISSING} (0/${tally[0]} answered)` : MISSING, sort: null };
        const [results, passed, scored] = tally;
        const unanswered = results - scored;
        return {
          text: `${formatPercent(passed / scored)} (${passed}/${scored})${unanswered ? ` +${unanswered} unanswered` : ''}`,
          sort: passed / scored,
        };
      }),
    ]),
  };
}

// --- internal ---

function text(value: string): ViewCell {
  return { text: value, sort: null };
}

function num(value: number | undefined): ViewCell {
  return value === undefined ? { text: 'default', sort: null } : { text: String(value), sort: value };
}
