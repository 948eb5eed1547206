import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createJournalFixture } from '../support/journal-fixture.ts';
import { renderJournal, type Rendered } from './render-journal.ts';

let rendered: Rendered;
let markdown: string;

beforeAll(async () => {
  rendered = await renderJournal(createJournalFixture({ rows: 40 }), ['console', 'markdown'], { columns: 200 });
  markdown = await readFile(join(rendered.dir, 'summary.md'), 'utf8');
});
afterAll(() => rendered.cleanup());

test('the terminal summary shows the same numbers as summary.md', () => {
  const consoleRows = rendered.lines.filter((l) => /^ {2}(gpt-4o|gpt-4o-mini|o4-mini) /.test(l));
  expect(consoleRows).toHaveLength(3);
  for (const line of consoleRows) {
    const [name, ...cells] = line.trim().split(/ {2,}/);
    const mdRow = markdown
      .split('\n')
      .find((l) => l.startsWith(`| ${name} |`))!
      .replace(/\\(.)/g, '$1'); // as rendered
    for (const cell of cells) expect(mdRow, `${name}: ${cell}`).toContain(cell);
  }
});
