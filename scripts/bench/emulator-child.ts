/**
 * Runs the batchbench emulator in its own process for the benchmark, so its CPU (HTTP parsing, the
 * tokenizer that counts every answer) never competes with the measured scheduler process and the
 * scheduler's RSS is measured alone. Controlled over the IPC channel by emulator-process.ts.
 */
import type { EmulatorConfig, EmulatorHandle, FaultSpec } from '../../src/emulator/server.ts';
import { startEmulator } from '../../src/emulator/server.ts';

type Command =
  | { id: number; op: 'start'; config: EmulatorConfig }
  | { id: number; op: 'stats' }
  | { id: number; op: 'reset'; faults: FaultSpec[] }
  | { id: number; op: 'cpu' }
  | { id: number; op: 'close' };

let emulator: EmulatorHandle | undefined;

async function handle(command: Command): Promise<unknown> {
  switch (command.op) {
    case 'start':
      emulator = await startEmulator(command.config);
      return { baseURL: emulator.baseURL, apiKey: emulator.apiKey };
    case 'stats':
      return emulator?.stats();
    case 'reset':
      emulator?.reset();
      emulator?.setFaults(command.faults);
      return emulator?.clock.now();
    case 'cpu':
      return process.cpuUsage();
    case 'close':
      await emulator?.close();
      setImmediate(() => process.exit(0));
      return true;
  }
}

process.on('message', (message: Command) => {
  handle(message).then(
    (result) => process.send?.({ id: message.id, result }),
    (error: unknown) => process.send?.({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));

// Stalls of this process show up as network delay to the client: report them when asked to debug.
if (process.env['BATCHBENCH_DEBUG'] === '1') {
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  setInterval(() => {
    if (delay.max > 50e6) console.error(`emulator event-loop delay max ${(delay.max / 1e6).toFixed(0)} ms (real) in the last 5 s`);
    delay.reset();
  }, 5_000).unref();
}
