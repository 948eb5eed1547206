/**
 * batchbench configuration. Out of the box (no AZURE_OPENAI_ENDPOINT / OPENAI_BASE_URL in the
 * environment) it compares three simulated deployments served by the embedded Azure OpenAI v1
 * emulator, so `npm run eval -- --dataset qa.csv` works offline. With an endpoint set, the same three
 * targets point at your real deployments; deployment names come from the environment too.
 *
 *   AZURE_OPENAI_ENDPOINT=https://my-resource.openai.azure.com/openai/v1/
 *   AZURE_OPENAI_API_KEY=...            (or BATCHBENCH_AUTH=entra to use DefaultAzureCredential)
 *   BATCHBENCH_MINI=gpt-4.1-mini  BATCHBENCH_NANO=gpt-4.1-nano  BATCHBENCH_REASONER=DeepSeek-R1
 */
import { defineConfig, type DeploymentSpec } from './src/index.ts';

const endpoint = process.env.AZURE_OPENAI_ENDPOINT ?? process.env.OPENAI_BASE_URL;
const demo = !endpoint;

/** Where a deployment lives: the emulator in the demo, otherwise the configured endpoint. */
function deployment(name: string, envName: string, quota: { tpm?: number; rpm?: number } = {}): DeploymentSpec {
  if (demo) return { baseURL: 'emulator', deployment: name, auth: { apiKeyEnv: 'BATCHBENCH_EMULATOR_KEY' } };
  return {
    baseURL: endpoint!,
    deployment: process.env[envName] ?? name,
    auth:
      process.env.BATCHBENCH_AUTH === 'entra'
        ? { entra: {} }
        : { apiKeyEnv: process.env.AZURE_OPENAI_ENDPOINT ? 'AZURE_OPENAI_API_KEY' : 'OPENAI_API_KEY' },
    ...quota,
  };
}

export default defineConfig({
  system: 'Answer with only the answer: a word, a name or a number. No explanation.',
  scorers: ['exact-match', 'token-f1'],
  repeats: 1,
  timeoutMs: 60_000,
  thresholds: { maxErrorRate: 0.02 },
  slo: { ttftMs: 2_000, e2eMs: 5_000 },
  targets: [
    {
      name: 'gpt-4.1-mini',
      api: 'responses',
      maxOutputTokens: 64,
      temperature: 0,
      price: { input: 0.4, output: 1.6, cachedInput: 0.1 },
      deployments: [deployment('gpt-4.1-mini', 'BATCHBENCH_MINI', { tpm: 100_000, rpm: 100 })],
    },
    {
      // Global Batch: the same model through the Files and Batches APIs at half the price. Left out of a
      // plain run; compare with: npm run eval -- --dataset qa.csv --targets gpt-4.1-mini,gpt-4.1-mini-batch
      // Needs a Global Batch deployment (BATCHBENCH_MINI_BATCH); reports show turnaround, not latency.
      name: 'gpt-4.1-mini-batch',
      api: 'responses',
      maxOutputTokens: 64,
      temperature: 0,
      price: { input: 0.4, output: 1.6, cachedInput: 0.1, batch: 0.5 },
      mode: 'batch',
      optIn: true,
      deployments: [deployment('gpt-4.1-mini-batch', 'BATCHBENCH_MINI_BATCH')],
    },
    {
      // A pool: two regional deployments serving the same model; the scheduler spreads work across both.
      name: 'gpt-4.1-nano',
      api: 'responses',
      maxOutputTokens: 64,
      temperature: 0,
      price: { input: 0.1, output: 0.4, cachedInput: 0.025 },
      deployments: demo
        ? [deployment('gpt-4.1-nano-eastus', 'BATCHBENCH_NANO'), deployment('gpt-4.1-nano-swedencentral', 'BATCHBENCH_NANO')]
        : [deployment('gpt-4.1-nano', 'BATCHBENCH_NANO', { tpm: 200_000, rpm: 200 })],
    },
    {
      // Partner reasoning model on chat completions; its <think> text is split from the answer.
      name: 'DeepSeek-R1',
      api: 'chat',
      maxOutputTokens: 1_024,
      tokenLimitField: 'max_tokens',
      price: { input: 1.35, output: 5.4 },
      deployments: [deployment('DeepSeek-R1', 'BATCHBENCH_REASONER', { tpm: 100_000, rpm: 100 })],
    },
  ],
  // The embedded emulator (demo only). Quotas are deliberately small, so the run meets real 429s and
  // the scheduler has to pace; accuracy and latency differ per model so the comparison is visible.
  ...(demo
    ? {
        emulator: {
          seed: 42,
          latencyScale: 0.08,
          deployments: [
            // 1.2M TPM / 1,200 RPM, plus the undocumented 1 s burst check (RPM/60) seen on real Azure:
            // headers do not reveal it, so the scheduler meets 429s and must pace around them.
            { name: 'gpt-4.1-mini', model: 'gpt-4.1-mini', capacity: 1_200, accuracy: 0.9, quirks: { oneSecondRequestWindow: true } },
            { name: 'gpt-4.1-nano-eastus', model: 'gpt-4.1-nano', capacity: 500, accuracy: 0.72 },
            { name: 'gpt-4.1-nano-swedencentral', model: 'gpt-4.1-nano', capacity: 1_000, accuracy: 0.72 },
            { name: 'DeepSeek-R1', model: 'DeepSeek-R1', capacity: 1_500, accuracy: 0.84 },
            // Global Batch deployment: its own enqueued-token quota, never the online TPM.
            { name: 'gpt-4.1-mini-batch', model: 'gpt-4.1-mini', capacity: 1_200, accuracy: 0.9, sku: 'globalBatch' },
          ],
          // Batch lifecycle compressed for the demo (Azure: minutes to hours).
          batch: { validationMs: 2_000, finalizingMs: 1_000 },
        },
      }
    : {}),
});
