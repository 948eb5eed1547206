/**
 * What the server really did in a run, read from the emulator right after our strategy finished: Σ of
 * the charges it admitted per deployment (its own estimate under `realism` or the OpenAI dialect's JSON
 * charge: `tokensEstimated`) and, per deployment, the service time of every answered request
 * (`/_emulator/sends`: receivedAt → endAt of 200s). The bounds of S11–S13 are built from these, never
 * from the client's estimate, so they stay lower bounds when the client's view is wrong.
 */
import type { EmulatorProcess } from './emulator-process.ts';

export interface ServerTruth {
  /** Σ admitted charges per deployment. @unit tokens */
  readonly charged: Readonly<Record<string, number>>;
  /** Answered (200) requests per deployment: Σ and max of receivedAt → endAt. @unit milliseconds (emulated) */
  readonly service: Readonly<Record<string, { readonly sumMs: number; readonly maxMs: number; readonly count: number }>>;
}

export async function serverTruth(emulator: EmulatorProcess, deployments: readonly string[]): Promise<ServerTruth> {
  const stats = await emulator.stats();
  const charged: Record<string, number> = {};
  const service: Record<string, { sumMs: number; maxMs: number; count: number }> = {};
  const origin = new URL(emulator.baseURL).origin;
  for (const name of deployments) {
    charged[name] = stats.deployments[name]?.tokensEstimated ?? 0;
    const response = await fetch(`${origin}/_emulator/sends?deployment=${encodeURIComponent(name)}`, {
      headers: { 'api-key': emulator.apiKey },
    });
    const sends = (await response.json()) as { status: number; receivedAt: number; endAt: number }[];
    const s = { sumMs: 0, maxMs: 0, count: 0 };
    for (const r of sends) {
      if (r.status !== 200) continue;
      const ms = r.endAt - r.receivedAt;
      s.sumMs += ms;
      s.maxMs = Math.max(s.maxMs, ms);
      s.count++;
    }
    service[name] = s;
  }
  return { charged, service };
}
