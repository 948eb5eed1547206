/** Shared test setup: start an emulator with fast latency and an SDK client against it. */
import OpenAI from 'openai';
import type { EmulatorConfig, EmulatorHandle } from '../../src/emulator/server.ts';
import { startEmulator } from '../../src/emulator/server.ts';

export const KEY = 'test-key-123';

export const baseConfig = (over: Partial<EmulatorConfig> = {}): EmulatorConfig => ({
  apiKeys: [KEY],
  seed: 42,
  latencyScale: 0.002,
  deployments: [
    { name: 'mini', model: 'gpt-4o-mini', capacity: 1000 },
    { name: 'o4', model: 'o4-mini', capacity: 1000 },
    { name: 'r1', model: 'DeepSeek-R1', capacity: 1000 },
  ],
  answerKey: [
    { question: 'What is the capital of France?', answer: 'Paris' },
    { question: 'What is 6 times 7?', answer: '42' },
  ],
  ...over,
});

export async function start(over: Partial<EmulatorConfig> = {}): Promise<{ h: EmulatorHandle; client: OpenAI }> {
  const h = await startEmulator(baseConfig(over));
  const client = new OpenAI({ baseURL: h.baseURL, apiKey: h.apiKey, maxRetries: 0, timeout: 10_000 });
  return { h, client };
}

/** Raw HTTP helper for bodies the SDK would not send. */
export async function raw(
  h: EmulatorHandle,
  path: string,
  init: { method?: string; body?: string; key?: string | null; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(init.headers ?? {}) };
  if (init.key !== null) headers['api-key'] = init.key ?? KEY;
  const res = await fetch(`${h.url}${path}`, {
    method: init.method ?? 'POST',
    headers,
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: json as Record<string, any> };
}

/** Reads an SSE response into [{event?, data}] frames. */
export function parseSse(text: string): Array<{ event?: string; data: string }> {
  return text
    .split('\n\n')
    .filter((b) => b.trim() !== '')
    .map((block) => {
      const frame: { event?: string; data: string } = { data: '' };
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) frame.event = line.slice(7);
        else if (line.startsWith('data: ')) frame.data += line.slice(6);
      }
      return frame;
    });
}
