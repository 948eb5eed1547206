/**
 * The emulator's settings as the CLI meets them: the `emulator:` block of an eval config (checked before
 * the emulator starts, so its problems are reported with the file, the `emulator.` path prefix and every
 * other config problem) and the `answers` datasets that become its answer key.
 */
import { dirname, resolve } from 'node:path';
import { openDataset } from '../dataset/open-dataset.ts';
import { createPromptBuilder } from '../dataset/prompt-builder.ts';
import { DatasetError } from '../errors.ts';
import { EmulatorConfigError, validateEmulatorConfig } from '../emulator/config.ts';
import type { AnswerEntry } from '../emulator/answers.ts';
import { configDefaults } from '../config/defaults.ts';
import { EMULATOR_BASE_URL } from '../config/endpoint.ts';
import { EMULATOR_KEY_ENV, startEmbeddedEmulator, type EmbeddedEmulator } from './embedded-emulator.ts';

/** Answer keys are capped so a huge dataset cannot balloon the emulator's memory. */
export const MAX_ANSWER_KEY = 200_000;

/**
 * Problems of an eval config's `emulator:` block, each as `emulator.<path>: …`. A value that is not an
 * object yields no problem here: the config schema reports it (`emulator: expected an object …`).
 */
export function emulatorBlockIssues(settings: unknown): string[] {
  if (!isPlainObject(settings)) return [];
  try {
    // The CLI supplies the key; a placeholder lets the rest be checked.
    validateEmulatorConfig({ ...settings, apiKeys: ['placeholder'] });
    return [];
  } catch (error) {
    if (!(error instanceof EmulatorConfigError)) throw error;
    return error.issues.map((issue) => `emulator.${issue}`);
  }
}

/** Whether an `emulator:` value can be started (a valid settings object). */
export function isStartableEmulatorBlock(settings: unknown): settings is Record<string, unknown> {
  return isPlainObject(settings) && emulatorBlockIssues(settings).length === 0;
}

/**
 * The answer key of one or more datasets: each row's prompt text (its `prompt` or `question` column, or
 * its last user message) with its expected answer. Rows without an expected answer are skipped.
 * @param paths dataset files, resolved against `base`
 * @throws DatasetError for an unreadable file or one without an expected-answer column
 */
export async function answerKeyFromDatasets(paths: readonly string[], base: string): Promise<AnswerEntry[]> {
  const entries: AnswerEntry[] = [];
  for (const path of paths) {
    const dataset = await openDataset(resolve(base, path), { idColumn: configDefaults.idColumn });
    if (dataset.expectedColumn === undefined) {
      throw new DatasetError(
        path,
        1,
        undefined,
        `no expected-answer column for the answer key; name one of ${configDefaults.expectedColumns.join(', ')} (columns: ${dataset.columns.join(', ')})`,
      );
    }
    const prompts = createPromptBuilder(undefined, dataset);
    for await (const row of dataset.rows()) {
      if (row.expected === undefined) continue;
      const messages = prompts.build(row).messages;
      const question = [...messages].reverse().find((message) => message.role === 'user')?.content;
      if (question === undefined || question.trim() === '') continue;
      entries.push({ question, answer: row.expected });
      if (entries.length >= MAX_ANSWER_KEY) return entries;
    }
  }
  return entries;
}

/** The `answers` paths of an emulator config file, resolved against the file's directory. */
export function answersOf(config: { answers?: string | string[] | undefined }, file: string): { paths: string[]; base: string } {
  const answers = config.answers;
  return { paths: answers === undefined ? [] : Array.isArray(answers) ? answers : [answers], base: dirname(resolve(file)) };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** What a started emulator gives the run: its base URL and the environment carrying its key. */
export interface StartedEmulator {
  readonly baseURL: string;
  readonly env: Readonly<Record<string, string>>;
}

/** What `resolveConfig` needs to know about the config's emulator, plus the environment to resolve with. */
export interface ConfiguredEmulator<E extends StartedEmulator = EmbeddedEmulator> {
  readonly emulator?: E;
  /** The environment with the emulator's key variable, when one was started. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly resolveContext: { readonly emulatorBaseURL?: string; readonly emulatorIssues?: readonly string[] };
}

/**
 * Starts the embedded emulator when the loaded config has a valid `emulator:` block. An invalid block is
 * not started: its problems go to resolveConfig, which reports them with every other config problem
 * (and the `"emulator"` base URLs are not also reported as lacking an emulator). `eval` and `load` both
 * come through here, so a config's emulator settings mean the same to both; `start` says how it runs
 * (in-process for eval, a worker thread for load).
 */
export async function startConfiguredEmulator(
  config: unknown,
  env: Readonly<Record<string, string | undefined>>,
): Promise<ConfiguredEmulator>;
export async function startConfiguredEmulator<E extends StartedEmulator>(
  config: unknown,
  env: Readonly<Record<string, string | undefined>>,
  start: (settings: Record<string, unknown>, env: Readonly<Record<string, string | undefined>>) => Promise<E>,
): Promise<ConfiguredEmulator<E>>;
export async function startConfiguredEmulator(
  config: unknown,
  env: Readonly<Record<string, string | undefined>>,
  start: (
    settings: Record<string, unknown>,
    env: Readonly<Record<string, string | undefined>>,
  ) => Promise<StartedEmulator> = startEmbeddedEmulator,
): Promise<ConfiguredEmulator<StartedEmulator>> {
  const settings = isPlainObject(config) ? config['emulator'] : undefined;
  if (settings === undefined) return { env, resolveContext: {} };
  const emulatorIssues = emulatorBlockIssues(settings);
  if (!isPlainObject(settings) || emulatorIssues.length > 0) {
    return { env: { ...env, [EMULATOR_KEY_ENV]: 'not-started' }, resolveContext: { emulatorBaseURL: EMULATOR_BASE_URL, emulatorIssues } };
  }
  const emulator = await start(settings, env);
  return { emulator, env: { ...env, ...emulator.env }, resolveContext: { emulatorBaseURL: emulator.baseURL } };
}
