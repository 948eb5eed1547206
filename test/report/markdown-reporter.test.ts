import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { renderMarkdown } from '../../src/report/render-markdown.ts';
import { createSummaryBuilder } from '../../src/report/summarize.ts';
import { createJournalFixture } from '../support/journal-fixture.ts';
import { ok, runEnd, runStart, target } from './records.ts';
import { renderJournal, type Rendered } from './render-journal.ts';

describe('summary.md', () => {
  let rendered: Rendered;
  let markdown: string;
  let stepSummary: string;

  beforeAll(async () => {
    const dir = (await renderJournal([], [])).dir;
    const stepFile = join(dir, 'step-summary.md');
    await writeFile(stepFile, '# earlier step\n');
    rendered = await renderJournal(createJournalFixture({ rows: 30 }), ['markdown', 'json'], {
      outDir: dir,
      env: { GITHUB_STEP_SUMMARY: stepFile },
    });
    markdown = await readFile(join(dir, 'summary.md'), 'utf8');
    stepSummary = await readFile(stepFile, 'utf8');
  });
  afterAll(() => rendered.cleanup());

  test('has the overview table with a row per target', () => {
    expect(markdown).toContain('| Target | Results | Accuracy (all) | Accuracy (answered) | 95% CI |');
    for (const name of ['gpt-4o', 'gpt-4o-mini', 'o4-mini']) expect(markdown).toMatch(new RegExp(`^\\| ${name} \\| 30 \\|`, 'm'));
  });

  test('states each pairwise verdict as a sentence', () => {
    expect(markdown).toMatch(
      /^- (gpt-4o is (better|worse) than gpt-4o-mini|No evidence of a difference between gpt-4o and gpt-4o-mini) on pass rate/m,
    );
  });

  test('says when the endpoints were the emulator', () => {
    expect(markdown).toContain('**embedded emulator**');
  });

  test('shows the same accuracy as report.json', async () => {
    const json = JSON.parse(await readFile(join(rendered.dir, 'report.json'), 'utf8'));
    const { passed, scored, rate } = json.targets[0].accuracy;
    const all = ((passed / json.targets[0].results) * 100).toFixed(1);
    // Both denominators: over all cells (a failed request is not a pass) and over answered cells.
    expect(markdown).toMatch(
      new RegExp(`^\\| gpt-4o \\| 30 \\| ${all}% \\(${passed}/30\\) \\| ${(rate * 100).toFixed(1)}% \\(${passed}/${scored}\\) \\|`, 'm'),
    );
  });

  test('is appended to the GITHUB_STEP_SUMMARY file', () => {
    expect(stepSummary.startsWith('# earlier step\n')).toBe(true);
    expect(stepSummary).toContain(markdown);
  });
});

test('escapes names that could break the table or inject markup', () => {
  const builder = createSummaryBuilder({ resamples: 50 });
  const name = 'evil|<img src=x onerror=alert(1)>[x](javascript:alert(1))';
  for (const r of [runStart([target(name)]), ok({ target: name, row: 'r1' }), runEnd()]) builder.add(r);
  const row = renderMarkdown(builder.finish())
    .split('\n')
    .find((l) => l.startsWith('| evil'))!;
  expect(row).toContain('| evil\\|&lt;img src=x onerror=alert(1)&gt;[x]\\(javascript:alert(1)) |');
});
