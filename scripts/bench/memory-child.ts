/**
 * One S10 measurement in a fresh process (so nothing measured before — the SDK's native buffers, other
 * scenarios' garbage — inflates its RSS): 3 targets × `rows` through the scheduler with in-process
 * zero-latency deployments. Prints one JSON line.
 */
import { ScaledClock } from '../../src/emulator/scaled-clock.ts';
import { systemClock } from '../../src/internal/clock.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import type { TargetLane } from '../../src/types.ts';
import { zeroLatencyHandle, zeroLatencyItems } from './zero-latency.ts';

const rows = Number(process.argv[2] ?? 10_000);
const spec = { rows, promptMedian: 700, promptSigma: 0.5, promptMax: 4_000, seed: 1 };
const lanes: TargetLane[] = ['gpt-4o', 'mini', 'other'].map((t) => ({
  target: t,
  items: zeroLatencyItems(spec, t),
  deployments:
    t === 'gpt-4o'
      ? [zeroLatencyHandle(`${t}/a`), zeroLatencyHandle(`${t}/b`), zeroLatencyHandle(`${t}/c`)]
      : [zeroLatencyHandle(`${t}/a`)],
}));
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const baseline = process.memoryUsage().rss;
let peak = baseline;
let peakHeap = process.memoryUsage().heapUsed;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peak = Math.max(peak, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
}, 10);
let settled = 0;
const cpu = process.cpuUsage();
const wall = performance.now();
// Emulated time at 1,000× so the 60 s windows turn over as in a real multi-hour run: a sliding log holds
// one window of admissions, and at zero latency an unscaled window would hold the whole run.
const clock = new ScaledClock(systemClock, 1_000);
await createScheduler({ clock }).run(lanes, { onSettled: () => void settled++ }, new AbortController().signal);
const used = process.cpuUsage(cpu);
const seconds = (performance.now() - wall) / 1000;
clearInterval(sampler);
gc?.();
const after = process.memoryUsage();
console.log(
  JSON.stringify({
    rows,
    requests: settled,
    baseline_rss_mb: baseline / 1e6,
    peak_rss_mb: Math.max(peak, after.rss) / 1e6,
    peak_heap_used_mb: peakHeap / 1e6,
    heap_used_after_gc_mb: after.heapUsed / 1e6,
    cpu_us_per_request: (used.user + used.system) / settled,
    requests_per_s: settled / seconds,
  }),
);
