/**
 * S10: 3 targets × (10k | 100k) rows through the scheduler with in-process zero-latency deployments, each
 * in a fresh child process (memory-child.ts); peak RSS, heap and CPU per request. In-process handles
 * because the openai SDK path costs ≈ 2–4 ms of CPU per request on the 2-core benchmark machine: 300k
 * HTTP requests would take ~15 min, and the HTTP stack's native buffers would hide the scheduler's own
 * memory. What grows with the dataset is the scheduler's state, and that is what this measures.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { round } from './report.ts';

export interface MemoryPoint {
  readonly rows: number;
  readonly requests: number;
  readonly peak_rss_mb: number;
  readonly rss_above_baseline_mb: number;
  readonly peak_heap_used_mb: number;
  readonly heap_used_after_gc_mb: number;
  readonly cpu_us_per_request: number;
  readonly requests_per_s: number;
}

const run = promisify(execFile);

async function point(rows: number): Promise<MemoryPoint> {
  const child = new URL('./memory-child.ts', import.meta.url).pathname;
  const { stdout } = await run(process.execPath, ['--expose-gc', child, String(rows)], { maxBuffer: 1 << 20 });
  const r = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, number>;
  const n = (key: string, digits = 1) => round(r[key] ?? 0, digits);
  return {
    rows,
    requests: n('requests', 0),
    peak_rss_mb: n('peak_rss_mb'),
    rss_above_baseline_mb: round((r['peak_rss_mb'] ?? 0) - (r['baseline_rss_mb'] ?? 0), 1),
    peak_heap_used_mb: n('peak_heap_used_mb'),
    heap_used_after_gc_mb: n('heap_used_after_gc_mb'),
    cpu_us_per_request: n('cpu_us_per_request', 2),
    requests_per_s: n('requests_per_s', 0),
  };
}

export async function memoryScenario(options: {
  quick: boolean;
  log: (line: string) => void;
}): Promise<{ small: MemoryPoint; large: MemoryPoint; flat: boolean }> {
  const small = await point(options.quick ? 2_000 : 10_000);
  const large = await point(options.quick ? 20_000 : 100_000);
  options.log(`S10 memory: ${small.rows} rows → peak RSS ${small.peak_rss_mb} MB, ${large.rows} rows → ${large.peak_rss_mb} MB`);
  // "flat": ten times the rows costs less than 10 % (+ 5 MB of GC noise) more peak RSS
  return { small, large, flat: large.peak_rss_mb <= small.peak_rss_mb * 1.1 + 5 };
}
