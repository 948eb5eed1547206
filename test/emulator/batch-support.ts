/** Shared setup for the emulator's Files/Batches tests: a virtual clock, an SDK client, JSONL builders. */
import OpenAI, { toFile } from 'openai';
import { VirtualClock } from '../../src/internal/clock.ts';
import type { EmulatorConfig, EmulatorHandle } from '../../src/emulator/server.ts';
import { startEmulator } from '../../src/emulator/server.ts';

export const QA = [
  { question: 'What is the capital of France?', answer: 'Paris' },
  { question: 'What is 6 times 7?', answer: '42' },
];

export async function startBatchEmulator(
  over: Partial<EmulatorConfig> = {},
): Promise<{ h: EmulatorHandle; client: OpenAI; clock: VirtualClock }> {
  const clock = new VirtualClock(1_800_000_000_000);
  const h = await startEmulator(
    {
      apiKeys: ['k'],
      seed: 7,
      zeroLatency: true,
      answerKey: QA,
      deployments: [
        { name: 'mini-batch', model: 'gpt-4o-mini', capacity: 100, sku: 'globalBatch' },
        { name: 'mini', model: 'gpt-4o-mini', capacity: 100, sku: 'globalStandard' },
      ],
      ...over,
    },
    { clock },
  );
  return { h, client: new OpenAI({ baseURL: h.baseURL, apiKey: 'k', maxRetries: 0 }), clock };
}

export const chatLine = (id: string, content: string, model = 'mini-batch', url = '/v1/chat/completions') =>
  JSON.stringify({ custom_id: id, method: 'POST', url, body: { model, messages: [{ role: 'user', content }], max_tokens: 20 } });

export const lines = (n: number, model = 'mini-batch') =>
  `${Array.from({ length: n }, (_, i) => chatLine(`c${i}`, QA[i % 2]?.question ?? '', model)).join('\n')}\n`;

export async function upload(client: OpenAI, text: string | Buffer, purpose: 'batch' | 'user_data' = 'batch') {
  return client.files.create({
    file: await toFile(typeof text === 'string' ? Buffer.from(text) : text, 'in.jsonl'),
    purpose,
    expires_after: { anchor: 'created_at', seconds: 1_209_600 },
  });
}

export async function submit(client: OpenAI, text: string | Buffer) {
  const f = await upload(client, text);
  // Azure samples pass '/chat/completions'; the SDK types the '/v1/…' spelling.
  return client.batches.create({ input_file_id: f.id, endpoint: '/chat/completions' as '/v1/chat/completions', completion_window: '24h' });
}

export async function content(client: OpenAI, id: string | null | undefined): Promise<Array<Record<string, any>>> {
  if (!id) return [];
  const text = await (await client.files.content(id)).text();
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}
