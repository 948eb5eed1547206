/** Writes summary.md and, when GITHUB_STEP_SUMMARY names a file, appends the same text to it. */
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Reporter } from '../types.ts';
import { writeFileAtomic } from './output-files.ts';
import { renderMarkdown } from './render-markdown.ts';
import type { ReporterOptions } from './reporter-options.ts';
import type { SharedSummary } from './shared-summary.ts';

export const MARKDOWN_FILE = 'summary.md';

export function createMarkdownReporter(options: ReporterOptions, summary: SharedSummary): Reporter {
  return {
    name: 'markdown',
    async onRunEnd() {
      const text = renderMarkdown(summary.finish(), options.baseline);
      await writeFileAtomic(join(options.outDir, MARKDOWN_FILE), text);
      const stepSummary = options.env?.GITHUB_STEP_SUMMARY;
      if (stepSummary) await appendFile(stepSummary, `${text}\n`);
    },
  };
}
