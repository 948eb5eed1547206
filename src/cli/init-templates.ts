/**
 * The files `batchbench init` writes: a starter config that runs offline against the embedded emulator
 * until an endpoint is set, and a small dataset the emulator's simulated models "know".
 */

/** The starter config: one API-key target and one Entra ID target. */
export const STARTER_CONFIG = `/**
 * batchbench configuration (written by \`batchbench init\`).
 *
 * Without AZURE_OPENAI_ENDPOINT or OPENAI_BASE_URL in the environment, both targets run against the
 * embedded Azure OpenAI v1 emulator on 127.0.0.1, so this works offline:
 *
 *   npx batchbench eval --dataset datasets/example.csv
 *
 * With an endpoint set, the same targets call your deployments:
 *
 *   export AZURE_OPENAI_ENDPOINT=https://my-resource.openai.azure.com/openai/v1/
 *   export AZURE_OPENAI_API_KEY=...   # for the key target; the Entra target uses DefaultAzureCredential (az login)
 *
 * Every option is typed: hover over defineConfig in your editor, or see the batchbench README.
 */
import { defineConfig, type DeploymentAuthSpec, type DeploymentSpec } from 'batchbench';

const endpoint = process.env.AZURE_OPENAI_ENDPOINT ?? process.env.OPENAI_BASE_URL;

/** A deployment on your endpoint, or in the embedded emulator when no endpoint is set. */
function deployment(name: string, auth: DeploymentAuthSpec): DeploymentSpec {
  if (!endpoint) return { baseURL: 'emulator', deployment: name };
  return { baseURL: endpoint, deployment: name, auth };
}

export default defineConfig({
  system: 'Answer with only the answer: a word, a name or a number. No explanation.',
  // Builtin scorers compare each answer with the dataset's "answer" (or "expected") column.
  scorers: ['exact-match', 'token-f1'],
  thresholds: { maxErrorRate: 0.05 },
  targets: [
    {
      // Key authentication: the key is read from an environment variable, never written here.
      name: 'gpt-4.1-mini',
      api: 'responses',
      maxOutputTokens: 64,
      price: { input: 0.4, output: 1.6 }, // USD per 1M tokens, for the cost columns
      deployments: [deployment('gpt-4.1-mini', { apiKeyEnv: process.env.AZURE_OPENAI_ENDPOINT ? 'AZURE_OPENAI_API_KEY' : 'OPENAI_API_KEY' })],
    },
    {
      // Microsoft Entra ID: DefaultAzureCredential (environment, managed identity, az login). The
      // identity needs the "Cognitive Services OpenAI User" role on the resource.
      name: 'gpt-4.1-nano',
      api: 'responses',
      maxOutputTokens: 64,
      price: { input: 0.1, output: 0.4 },
      deployments: [deployment('gpt-4.1-nano', { entra: {} })],
    },
  ],
  // The embedded emulator, only when no endpoint is set. Its simulated models learn the dataset's
  // answers and get each one right with the probability given as \`accuracy\`.
  ...(endpoint
    ? {}
    : {
        emulator: {
          seed: 1,
          latencyScale: 0.05,
          deployments: [
            { name: 'gpt-4.1-mini', model: 'gpt-4.1-mini', capacity: 100, accuracy: 0.9 },
            { name: 'gpt-4.1-nano', model: 'gpt-4.1-nano', capacity: 100, accuracy: 0.7 },
          ],
        },
      }),
});
`;

/** Ten questions with short reference answers. */
export const EXAMPLE_DATASET = `id,question,answer
q01,What is the capital of France?,Paris
q02,What is the capital of Japan?,Tokyo
q03,How many continents are there?,7
q04,What is 12 times 12?,144
q05,Which planet is known as the Red Planet?,Mars
q06,What is the chemical symbol for gold?,Au
q07,Who wrote Romeo and Juliet?,William Shakespeare
q08,What is the largest ocean on Earth?,Pacific
q09,How many sides does a hexagon have?,6
q10,What is the boiling point of water in degrees Celsius at sea level?,100
`;
