/**
 * Starts the embedded emulator for a config that asks for one (the offline demo), with a fresh random
 * key handed over through an environment variable, so no key ever appears in the config or a report.
 * After the dataset is checked, the emulator learns its answer key: the simulated models "know" the
 * reference answers and answer correctly with each deployment's configured accuracy.
 */
import { randomBytes } from 'node:crypto';
import type { EmulatorConfig, EmulatorHandle } from '../emulator/server.ts';
import type { PreparedRun } from '../run/prepare-run.ts';
import { promptText } from '../run/prompt-text.ts';

/** Environment variable through which emulator deployments receive their key. */
export const EMULATOR_KEY_ENV = 'BATCHBENCH_EMULATOR_KEY';

/** The answer key is capped so a huge dataset cannot balloon the emulator's memory. */
const MAX_ANSWER_KEY = 200_000;

export interface EmbeddedEmulator {
  readonly baseURL: string;
  readonly origin: string;
  readonly env: Readonly<Record<string, string>>;
  learnAnswers(prepared: PreparedRun): Promise<void>;
  close(): Promise<void>;
}

export async function startEmbeddedEmulator(
  settings: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
): Promise<EmbeddedEmulator> {
  const apiKey = env[EMULATOR_KEY_ENV] || randomBytes(24).toString('base64url');
  // Imported here, not at the top: a run against real endpoints never pays for the emulator's tokenizer.
  const { startEmulator } = await import('../emulator/server.ts');
  const handle: EmulatorHandle = await startEmulator({ ...(settings as unknown as EmulatorConfig), apiKeys: [apiKey] });
  return {
    baseURL: handle.baseURL,
    origin: handle.url,
    env: { [EMULATOR_KEY_ENV]: apiKey },
    async learnAnswers(prepared) {
      const answerKey: { question: string; answer: string }[] = [];
      for await (const row of prepared.rows()) {
        if (row.expected === undefined || row.expected === '') continue;
        answerKey.push({ question: promptText(prepared.buildInput(row)), answer: row.expected });
        if (answerKey.length >= MAX_ANSWER_KEY) break;
      }
      handle.patch({ answerKey });
    },
    close: () => handle.close(),
  };
}
