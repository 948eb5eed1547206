/**
 * Measures the client's own overhead during a step, so a saturated client is never passed off as a slow
 * server: event-loop delay (perf_hooks histogram, 1 ms resolution) and this thread's CPU time.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface ClientOverhead {
  /** Event-loop delay percentiles. @unit milliseconds */
  readonly lagP50Ms: number;
  readonly lagP99Ms: number;
  readonly lagMaxMs: number;
  /** CPU time this thread used during the window. @unit milliseconds */
  readonly cpuMs: number;
  /** Wall time of the window. @unit milliseconds */
  readonly wallMs: number;
}

/** Starts measuring; `stop` returns the window's overhead. */
export function startClientMonitor(): { stop(): ClientOverhead } {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const cpu0 = threadCpuMs();
  const wall0 = performance.now();
  return {
    stop() {
      histogram.disable();
      const ms = (ns: number) => (Number.isFinite(ns) ? ns / 1e6 : 0);
      const overhead = {
        lagP50Ms: ms(histogram.percentile(50)),
        lagP99Ms: ms(histogram.percentile(99)),
        lagMaxMs: ms(histogram.max),
        cpuMs: threadCpuMs() - cpu0,
        wallMs: performance.now() - wall0,
      };
      histogram.reset();
      return overhead;
    },
  };
}

/** CPU of the calling thread only (not an emulator or transport worker sharing the process). */
function threadCpuMs(): number {
  const usage = typeof process.threadCpuUsage === 'function' ? process.threadCpuUsage() : process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}
