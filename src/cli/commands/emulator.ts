/**
 * `batchbench emulator`: start the embedded Azure OpenAI v1 emulator on 127.0.0.1 from a config file
 * (JSON, or a .ts/.js module default-exporting an EmulatorConfig) or a demo config, print how to reach
 * it, and run until the signal aborts. `--answers` (or the config's `answers`) turns datasets' expected
 * columns into its answer key; `--key` (or BATCHBENCH_EMULATOR_KEY) fixes the key so scripts can reuse it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { jsonErrorColumn } from '../../dataset/json-error-position.ts';
import { EmulatorConfigError } from '../../emulator/config.ts';
import type { EmulatorConfig } from '../../emulator/server.ts';
import { ConfigError, UsageError } from '../../errors.ts';
import { EMULATOR_KEY_ENV } from '../embedded-emulator.ts';
import { answerKeyFromDatasets, answersOf } from '../emulator-settings.ts';

// The emulator (its tokenizer alone is ~70 MB of RSS) is imported only when this command runs, so
// `batchbench eval` against a real endpoint never loads it.
const emulatorServer = () => import('../../emulator/server.ts');

export interface EmulatorCommandOptions {
  config?: string;
  port?: number;
  /** Datasets whose expected-answer column becomes the answer key (added to the config's). */
  answers?: readonly string[];
  /** The one key the emulator accepts (else BATCHBENCH_EMULATOR_KEY, else the config's apiKeys, else a random one). */
  key?: string;
  /** Environment, for BATCHBENCH_EMULATOR_KEY. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Working directory for --config and --answers paths. @default process.cwd() */
  cwd?: string;
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
  if (!existsSync(path) || !statSync(path).isFile()) throw new ConfigError([`emulator config file not found: ${path}`]);
  let raw: unknown;
  if (/\.json$/i.test(path)) {
    const text = await readFile(path, 'utf8');
    try {
      raw = JSON.parse(text);
    } catch (err) {
      const column = jsonErrorColumn(text);
      const where = column === undefined ? '' : `:${lineColumn(text, column - 1)}`;
      throw new ConfigError([`${path}${where}: invalid JSON (${(err as Error).message.replace(/ in JSON at position.*$/, '')})`]);
    }
  } else {
    const mod = (await import(pathToFileURL(path).href).catch((error: unknown) => {
      throw new ConfigError([`could not be loaded: ${(error as Error).message}`], { file: path });
    })) as { default?: unknown };
    raw = mod.default ?? mod;
  }
  try {
    return (await emulatorServer()).validateEmulatorConfig(raw);
  } catch (error) {
    if (error instanceof EmulatorConfigError) throw new ConfigError(error.issues, { file: path });
    throw error;
  }
}

/** `line:column` (1-based) of a 0-based offset. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
}

export async function runEmulatorCommand(options: EmulatorCommandOptions): Promise<void> {
  const cwd = options.cwd ?? process.cwd();
  const configPath = options.config === undefined ? undefined : resolve(cwd, options.config);
  const loaded = configPath ? await loadConfig(configPath) : demoEmulatorConfig();
  const fromConfig = configPath ? answersOf(loaded, configPath) : { paths: [], base: cwd };
  const learned = [
    ...(await answerKeyFromDatasets(fromConfig.paths, fromConfig.base)),
    ...(await answerKeyFromDatasets(options.answers ?? [], cwd)),
  ];
  const key = options.key ?? (options.env?.[EMULATOR_KEY_ENV] || undefined);
  if (key !== undefined && key.trim() === '') throw new UsageError('--key: expected a non-empty key');
  const config: EmulatorConfig = {
    ...loaded,
    ...(key === undefined ? {} : { apiKeys: [key] }),
    ...(learned.length === 0 ? {} : { answerKey: [...(loaded.answerKey ?? []), ...learned] }),
  };
  const { startEmulator } = await emulatorServer();
  const handle = await startEmulator(config, options.port === undefined ? {} : { port: options.port });
  const first = config.deployments[0]?.name ?? 'DEPLOYMENT';
  options.print(`Azure OpenAI v1 emulator listening on ${handle.url}`);
  options.print(`base URL:    ${handle.baseURL}`);
  options.print(`api key:     ${handle.apiKey}`);
  if (config.answerKey?.length)
    options.print(
      `answer key:  ${config.answerKey.length} questions${learned.length ? ` (${learned.length} from ${[...fromConfig.paths, ...(options.answers ?? [])].join(', ')})` : ''}`,
    );
  options.print(
    `deployments: ${config.deployments.map((d) => `${d.name} (${d.model}, ${d.sku ?? 'standard'}, capacity ${d.capacity})`).join(', ')}`,
  );
  options.print(`admin:       ${handle.url}/_emulator/stats (same key)`);
  options.print('try:');
  options.print(
    `  curl -s ${handle.baseURL}chat/completions -H "api-key: ${handle.apiKey}" -H "content-type: application/json" -d '{"model":"${first}","messages":[{"role":"user","content":"What is the capital of France?"}],"max_completion_tokens":50}'`,
  );
  if (!options.signal.aborted) {
    await new Promise<void>((done) => options.signal.addEventListener('abort', () => done(), { once: true }));
  }
  await handle.close();
  options.print('emulator stopped');
}
