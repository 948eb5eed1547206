/** Worker-thread entry for startEmulatorInWorker: runs the emulator on its own event loop (and core). */
import { parentPort, workerData } from 'node:worker_threads';
import type { EmulatorConfig } from './config.ts';
import { startEmulator } from './server.ts';

const { config, port } = workerData as { config: EmulatorConfig; port?: number };
try {
  const handle = await startEmulator(config, port === undefined ? {} : { port });
  parentPort?.postMessage({ type: 'ready', url: handle.url, baseURL: handle.baseURL, apiKey: handle.apiKey, port: handle.port });
  parentPort?.on('message', (message: { type?: string }) => {
    if (message.type === 'close') {
      void handle.close().then(() => {
        parentPort?.postMessage({ type: 'closed' });
        parentPort?.close();
      });
    }
  });
} catch (err) {
  parentPort?.postMessage({ type: 'error', message: (err as Error).message });
}
