/**
 * CPU that other processes used while a measurement ran, in cores: the machine's busy time over all
 * cores (os.cpus()) minus this process's own (process.cpuUsage(), every thread of it, the emulator's
 * worker included), per wall millisecond. A wall-clock bound holds only when it is small. The 1-minute
 * load average cannot say so: it lags by a minute, and one other busy process (a parallel test file)
 * kept it under 2 on this 2-core machine while it pushed the client-vs-server gap from 1.15–2.27 ms
 * (alone) to 2.7.
 */
import { cpus } from 'node:os';

export interface CpuShare {
  /** Cores other processes kept busy on average. */
  readonly foreignCores: number;
  /** Cores this process used on average. */
  readonly ownCores: number;
  /** @unit milliseconds */
  readonly wallMs: number;
}

function machineBusyMs(): number {
  return cpus().reduce((sum, core) => sum + core.times.user + core.times.nice + core.times.sys + core.times.irq, 0);
}

/** Starts watching; `stop()` returns the shares since then. */
export function watchCpu(): { stop(): CpuShare } {
  const busyAtStart = machineBusyMs();
  const ownAtStart = process.cpuUsage();
  const wallAtStart = performance.now();
  return {
    stop() {
      const wallMs = Math.max(1, performance.now() - wallAtStart);
      const own = process.cpuUsage(ownAtStart);
      const ownMs = (own.user + own.system) / 1000;
      const foreignMs = Math.max(0, machineBusyMs() - busyAtStart - ownMs);
      return { foreignCores: foreignMs / wallMs, ownCores: ownMs / wallMs, wallMs };
    },
  };
}
