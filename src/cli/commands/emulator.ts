/**
 * `batchbench emulator`: start the embedded Azure OpenAI v1 emulator on 127.0.0.1 from a config file
 * (JSON, or a .ts/.js module default-exporting an EmulatorConfig) or a demo config, print how to reach
 * it, and run until the signal aborts.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EmulatorConfig } from '../../emulator/server.ts';

// The emulator (its tokenizer alone is ~70 MB of RSS) is imported only when this command runs, so
// `batchbench eval` against a real endpoint never loads it.
const emulatorServer = () => import('../../emulator/server.ts');

export interface EmulatorCommandOptions {
  config?: string;
  port?: number;
  print: (line: string) => void;
  signal: AbortSignal;
}

export function demoEmulatorConfig(): EmulatorConfig {
  return {
    apiKeys: [randomBytes(16).toString('hex')],
    seed: 1,
    latencyScale: 1,
    deployments: [
      { name: 'gpt-4o-mini', model: 'gpt-4o-mini', capacity: 100, accuracy: 0.85 },
      { name: 'gpt-4.1-mini', model: 'gpt-4.1-mini', capacity: 200, accuracy: 0.9 },
      { name: 'o4-mini', model: 'o4-mini', capacity: 100, accuracy: 0.95 },
      { name: 'gpt-4o-ptu', model: 'gpt-4o', sku: 'provisioned', capacity: 15, accuracy: 0.9 },
    ],
    answerKey: [
      { question: 'What is the capital of France?', answer: 'Paris' },
      { question: 'What is 12 times 12?', answer: '144' },
    ],
  };
}

async function loadConfig(file: string): Promise<EmulatorConfig> {
  const path = resolve(file);
  let raw: unknown;
  if (/\.(json)$/i.test(path)) {
    const text = await readFile(path, 'utf8');
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new Error(`${file}: invalid JSON (${(err as Error).message})`);
    }
  } else {
    const mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
    raw = mod.default ?? mod;
  }
  return (await emulatorServer()).validateEmulatorConfig(raw);
}

export async function runEmulatorCommand(options: EmulatorCommandOptions): Promise<void> {
  const config = options.config ? await loadConfig(options.config) : demoEmulatorConfig();
  const { startEmulator } = await emulatorServer();
  const handle = await startEmulator(config, options.port === undefined ? {} : { port: options.port });
  const first = config.deployments[0]?.name ?? 'DEPLOYMENT';
  options.print(`Azure OpenAI v1 emulator listening on ${handle.url}`);
  options.print(`base URL:    ${handle.baseURL}`);
  options.print(`api key:     ${handle.apiKey}`);
  options.print(`deployments: ${config.deployments.map((d) => `${d.name} (${d.model}, ${d.sku ?? 'standard'}, capacity ${d.capacity})`).join(', ')}`);
  options.print(`admin:       ${handle.url}/_emulator/stats (same key)`);
  options.print('try:');
  options.print(`  curl -s ${handle.baseURL}chat/completions -H "api-key: ${handle.apiKey}" -H "content-type: application/json" -d '{"model":"${first}","messages":[{"role":"user","content":"What is the capital of France?"}],"max_completion_tokens":50}'`);
  if (!options.signal.aborted) {
    await new Promise<void>((done) => options.signal.addEventListener('abort', () => done(), { once: true }));
  }
  await handle.close();
  options.print('emulator stopped');
}
