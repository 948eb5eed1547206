/** Prints the terminal summary through the `write` option (never to process.stdout directly). */
import type { Reporter } from '../types.ts';
import { renderConsole } from './render-console.ts';
import type { ReporterOptions } from './reporter-options.ts';
import type { SharedSummary } from './shared-summary.ts';

export function createConsoleReporter(options: ReporterOptions, summary: SharedSummary): Reporter {
  return {
    name: 'console',
    onRunEnd() {
      const write = options.write;
      if (!write) return;
      for (const line of renderConsole(summary.finish(), { color: options.color ?? false, columns: options.columns ?? 120 })) write(line);
    },
  };
}
