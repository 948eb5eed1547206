/**
 * report.html: one self-contained file (inline CSS, JS, data and Chart.js) that works offline from
 * file://. Loaded lazily by the registry: only runs that ask for HTML read the 200 KB chart bundle.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Reporter } from '../types.ts';
import { renderReportHtmlParts } from './html/template.ts';
import { createReportExtras } from './html/report-extras.ts';
import { buildViewModel } from './html/view-model.ts';
import { writeFileAtomic } from './output-files.ts';
import type { ReporterOptions } from './reporter-options.ts';
import type { SharedSummary } from './shared-summary.ts';

export const HTML_FILE = 'report.html';

export function createHtmlReporter(options: ReporterOptions, summary: SharedSummary): Reporter {
  const extras = createReportExtras((result) => summary.cellNumber(result));
  return {
    name: 'html',
    onRunStart: (record) => extras.addStart(record),
    onResult: (record) => extras.addResult(record),
    async onRunEnd() {
      const model = buildViewModel(summary.finish(), summary.rows(), summary.cellsSeen(), options.baseline, extras.finish());
      await writeFileAtomic(join(options.outDir, HTML_FILE), renderReportHtmlParts(model, await loadChartJs()));
    },
  };
}

/** Chart.js's UMD bundle (the package's exports map does not expose it, so resolve via the main entry). */
export async function loadChartJs(): Promise<string> {
  const main = createRequire(import.meta.url).resolve('chart.js');
  return readFile(join(dirname(main), 'chart.umd.min.js'), 'utf8');
}
