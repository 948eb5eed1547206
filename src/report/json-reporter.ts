/** report.json: the RunSummary (see summary-types.ts), for other tools and baselines. */
import { join } from 'node:path';
import type { Reporter } from '../types.ts';
import { writeFileAtomic } from './output-files.ts';
import type { ReporterOptions } from './reporter-options.ts';
import type { SharedSummary } from './shared-summary.ts';

export const JSON_FILE = 'report.json';

export function createJsonReporter(options: ReporterOptions, summary: SharedSummary): Reporter {
  return {
    name: 'json',
    async onRunEnd() {
      await writeFileAtomic(join(options.outDir, JSON_FILE), `${JSON.stringify(summary.finish(), null, 2)}\n`);
    },
  };
}
