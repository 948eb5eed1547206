/**
 * The goodput search against a known latency model. With jitter off the emulator's e2e for a request
 * admitted with k requests in flight is exactly
 *   e(k) = s·(overhead + prefill) + s·(out − 1)·(1000 / decode)·(1 + α·max(0, k − knee) / knee),
 * and under an open loop at R req/s, k ≈ R·e (Little's law). The SLO e ≤ E therefore holds up to
 *   R* = knee·(1 + ((E − A)/B − 1)/α) / E   with A = s·(overhead + prefill), B = s·(out − 1)·1000/decode.
 * The search, on a grid of 2.5 req/s, must land within one grid step of R*. Latencies of about a second
 * (and the SLO on p95) keep a few milliseconds of client stall on a busy machine from moving the answer.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { configSource, tempProject } from '../support/cli-harness.ts';

// gpt-4.1-mini profile (src/emulator/profiles.ts, azure-v1-behaviour.md §10.3): 400 ms overhead,
// 13 000 tok/s prefill, 105 tok/s decode.
const PROFILE = { overheadMs: 400, prefillTokPerSec: 13_000, decodeTokPerSec: 105 };
const SCALE = 1;
const KNEE = 4;
const ALPHA = 1;
const OUTPUT_TOKENS = 20;
const SLO_E2E_MS = 1200;
const GRID_STEP = 2.5;

describe('goodput search on a known latency model', () => {
  test('lands within one grid step of the analytic answer', async () => {
    const project = await tempProject('bb-goodput-');
    await project.write(
      'eval.config.ts',
      configSource(`{
      emulator: { seed: 5, latencyScale: ${SCALE}, deployments: [{ name: 'mini', model: 'gpt-4.1-mini', capacity: 1000000, jitter: false, heavyTail: false, concurrencyKnee: ${KNEE}, slowdownAlpha: ${ALPHA} }] },
      targets: [{ name: 'mini', api: 'chat', deployments: [{ baseURL: 'emulator', deployment: 'mini' }] }],
    }`),
    );
    const result = await project.run([
      'load',
      '--profile',
      'goodput',
      '--slo',
      `e2e=${SLO_E2E_MS}ms,p=95`,
      '--rate-range',
      '0:25',
      '--steps',
      String(25 / GRID_STEP),
      '--duration',
      '5s',
      '--input-tokens',
      '100',
      '--output-tokens',
      String(OUTPUT_TOKENS),
      '--out',
      'run',
      '--quiet',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    const report = JSON.parse(await readFile(join(project.dir, 'run', 'report.json'), 'utf8'));
    const target = report.targets[0];
    const requests = (await readFile(join(project.dir, 'run', 'journal.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((r) => r.kind === 'load-request' && r.outcome === 'ok');
    expect(requests.every((r) => r.outputTokens === OUTPUT_TOKENS)).toBe(true); // max_tokens pinned the output
    const promptTokens = requests[0].promptTokens as number; // the emulator's own count, for the prefill term

    const A = SCALE * (PROFILE.overheadMs + (promptTokens / PROFILE.prefillTokPerSec) * 1000);
    const B = SCALE * (OUTPUT_TOKENS - 1) * (1000 / PROFILE.decodeTokPerSec);
    const analytic = (KNEE * (1 + ((SLO_E2E_MS - A) / B - 1) / ALPHA)) / (SLO_E2E_MS / 1000);
    expect(analytic).toBeGreaterThan(10); // the scenario is inside the searched range
    expect(analytic).toBeLessThan(20);

    expect(target.goodput).not.toBeNull();
    expect(Math.abs(target.goodput.rate - analytic)).toBeLessThanOrEqual(GRID_STEP);
    // Every probe is a search step, and bisection needs at most ⌈log2(11)⌉ = 4 of them.
    const probes = target.steps.filter((s: { role: string }) => s.role === 'search');
    expect(probes.length).toBeGreaterThanOrEqual(3);
    expect(probes.length).toBeLessThanOrEqual(4);
    expect(target.goodput.tokensPerMin).toBeGreaterThan(0);
  });
});
