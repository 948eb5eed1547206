/** Hooks that feed every record to the shared summary (for reporters that render at run end). */
import type { Reporter } from '../types.ts';
import type { SharedSummary } from './shared-summary.ts';

export function forwardRecords(summary: SharedSummary): Required<Pick<Reporter, 'onRunStart' | 'onAttempt' | 'onResult'>> {
  return {
    onRunStart: (record) => summary.add(record),
    onAttempt: (record) => summary.add(record),
    onResult: (record) => summary.add(record),
  };
}
