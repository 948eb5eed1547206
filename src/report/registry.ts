/**
 * Built-in reporters by name and their construction. The fan-out that feeds journal records to them is
 * report-feed.ts: the live run and `batchbench report <run-dir>` both go through it, so a re-render
 * writes exactly what the run wrote. The HTML reporter (Chart.js inlined) is loaded only when asked for.
 */
import type { Reporter } from '../types.ts';
import { createConsoleReporter } from './console-reporter.ts';
import { createCsvReporter } from './csv-reporter.ts';
import { createJsonReporter } from './json-reporter.ts';
import { createJunitReporter } from './junit-reporter.ts';
import { createMarkdownReporter } from './markdown-reporter.ts';
import type { ReporterOptions } from './reporter-options.ts';
import { createSharedSummary, linkSummary, type SharedSummary } from './shared-summary.ts';

export { replayJournal, runReporters, type ReplayOptions, type ReporterFailure } from './report-feed.ts';

export type { ReporterOptions } from './reporter-options.ts';

export type ReporterFactory = (options: ReporterOptions, summary: SharedSummary) => Reporter | Promise<Reporter>;

export const reporterFactories = {
  console: createConsoleReporter,
  csv: createCsvReporter,
  json: createJsonReporter,
  markdown: createMarkdownReporter,
  junit: createJunitReporter,
  html: async (options, summary) => (await import('./html-reporter.ts')).createHtmlReporter(options, summary),
} as const satisfies Record<string, ReporterFactory>;

export type BuiltinReporterName = keyof typeof reporterFactories;

/** Every built-in reporter name, in the order outputs are written. */
export const builtinReporterNames = Object.keys(reporterFactories) as BuiltinReporterName[];

/**
 * Builds reporters by name (config entries may also be ready-made Reporter instances, e.g. from
 * `defineReporter`). All built-ins of one call share one summary, so numbers agree across outputs.
 * @throws Error naming the unknown reporter and the known ones
 */
export async function createReporters(entries: readonly (string | Reporter)[], options: ReporterOptions): Promise<Reporter[]> {
  const summary = createSharedSummary(options.summary);
  const reporters: Reporter[] = [];
  for (const entry of entries) {
    if (typeof entry !== 'string') {
      reporters.push(entry);
      continue;
    }
    const factory = (reporterFactories as Record<string, ReporterFactory>)[entry];
    if (!factory) throw new Error(`unknown reporter "${entry}"; known reporters: ${builtinReporterNames.join(', ')}`);
    reporters.push(linkSummary(await factory(options, summary), summary));
  }
  return reporters;
}
