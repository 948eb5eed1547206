/**
 * The embedded emulator for `batchbench load`: started in a worker thread (its own event loop and CPU
 * time, so the client's overhead and latencies are measured apart from the server's), with a fresh key
 * passed through the environment. For synthetic workloads the simulated models write long answers so
 * `max_tokens` decides the output length, as it does for a real model asked to continue a text.
 */
import { randomBytes } from 'node:crypto';
import { startEmulatorInWorker, type EmulatorConfig } from '../emulator/server.ts';
import { EMULATOR_KEY_ENV } from './embedded-emulator.ts';

export interface LoadEmulator {
  readonly baseURL: string;
  readonly origin: string;
  readonly apiKey: string;
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export async function startLoadEmulator(
  settings: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
  outputTokens: number | undefined,
): Promise<LoadEmulator> {
  const apiKey = env[EMULATOR_KEY_ENV] || randomBytes(24).toString('base64url');
  const config = settings as unknown as EmulatorConfig;
  const deployments =
    outputTokens === undefined
      ? config.deployments
      : config.deployments.map((d) => ({ ...d, outputTokens: { median: outputTokens * 4, sigma: 0 } }));
  const handle = await startEmulatorInWorker({ ...config, deployments, apiKeys: [apiKey] });
  return { baseURL: handle.baseURL, origin: handle.url, apiKey, env: { [EMULATOR_KEY_ENV]: apiKey }, close: () => handle.close() };
}
