/**
 * The bench scenarios S1, S2, S3 and S11 on the virtual clock: the emulator's own sliding-window limiter
 * behind an in-process handle (15–45 ms each way, gpt-4o-like latency), the real scheduler, the bench's
 * workload and bound (scripts/bench). S11's members answer through the emulator's own rate headers and
 * `realistic` variations and are read by the provider's parser and error mapping. No HTTP, no CPU noise
 * and no time compression, so what is left between the bound and the makespan is the scheduler's (and
 * the lumpiness of request costs against short windows, which the fluid bound does not see).
 * Deterministic: seeded.
 */
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.ts';
import { VirtualClock } from '../../src/internal/clock.ts';
import { createRng, hashString } from '../../src/internal/rng.ts';
import { SlidingWindowLimiter } from '../../src/emulator/admission.ts';
import { APIError } from 'openai';
import type { Decision } from '../../src/emulator/admission.ts';
import type { AzureError } from '../../src/emulator/azure-errors.ts';
import { azureErrors } from '../../src/emulator/azure-errors.ts';
import type { ResolvedDeployment } from '../../src/emulator/config.ts';
import { rateLimitHeaders } from '../../src/emulator/rate-headers.ts';
import type { RealismSettings } from '../../src/emulator/realism.ts';
import { RemainingLag, realisticCharge, resolveRealism, varyAzureHeaders } from '../../src/emulator/realism.ts';
import { mapError } from '../../src/providers/map-error.ts';
import { parseRateHeaders } from '../../src/providers/rate-headers.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import { estimateAdmissionCost } from '../../src/providers/estimate-cost.ts';
import type { Completion, DeploymentHandle, RateInfo, TargetLane, WorkItem } from '../../src/types.ts';
import { buildScenario } from '../../scripts/bench/scenarios.ts';
import type { Member, ScenarioId } from '../../scripts/bench/scenarios.ts';
import { targetItems } from '../../scripts/bench/workload.ts';
import { scenarioBound } from '../../scripts/bench/bound-for.ts';
import { completion } from './support/fake-deployment.ts';
import { drive, recorder } from './support/harness.ts';

async function sim(id: ScenarioId, seed: number, tune: Record<string, unknown> = {}, delayMs = 30) {
  const scenario = buildScenario(id, { quick: false, seed });
  const clock = new VirtualClock();
  const rnd = createRng(seed * 7 + 1);
  const minLat = new Map<string, number>();
  const perMinute: Record<string, number[]> = {};
  const servers = new Map<string, { lim: SlidingWindowLimiter; settings: Parameters<SlidingWindowLimiter['decide']>[2] }>();
  // under `realism` (S11) the server charges its own estimate per request body (realism.ts), drawn once so a
  // retry is charged the same; `charged` sums what it admitted, the demand of the bound
  const charges = new WeakMap<WorkItem, number>();
  const charged: Record<string, number> = {};
  const lanes: TargetLane[] = scenario.targets.map((t) => {
    const params = { maxOutputTokens: scenario.maxOutputTokens, tokenLimitField: 'max_tokens', stream: false, temperature: 0 } as const;
    const deployments: DeploymentHandle[] = t.members.map((m) => {
      const lim = new SlidingWindowLimiter();
      const settings = {
        tokenWindowMs: m.server.tokenWindowMs,
        tokenLimit: m.server.tokenBudget,
        requestWindows: m.server.requestWindows.map((w) => ({ ms: w.ms, limit: w.limit })),
        countRejected: false,
      };
      servers.set(m.name, { lim, settings });
      const realism = resolveRealism(m.emulator.realism);
      const lag = new RemainingLag();
      const chargeOf = (item: WorkItem): number => {
        if (realism === undefined) return item.cost;
        const known = charges.get(item);
        if (known !== undefined) return known;
        const c = realisticCharge(item.cost, realism, createRng(hashString(`${seed}|charge|${item.key}`)));
        charges.set(item, c);
        return c;
      };
      return {
        id: `${t.name}/${m.name}`,
        limits: { tpm: m.tpm, rpm: m.rpm },
        maxConcurrency: 256,
        execute: (item: WorkItem): Promise<Completion> =>
          new Promise((resolve, reject) => {
            const d = delayMs * (0.5 + rnd());
            clock.setTimer(() => {
              const now = clock.now();
              if (realism !== undefined && rnd() < realism.capacity429) {
                const error = asClientSeesIt(azureErrors.capacity(1_000 + Math.floor(rnd() * 4_000)), now);
                clock.setTimer(() => reject(error), d);
                return;
              }
              const cost = chargeOf(item);
              const dec = lim.decide(now, cost, settings);
              const answer =
                realism === undefined ? exactAnswer(m, dec) : realisticAnswer(m, dec, { settings: realism, lag, random: rnd }, now);
              const rate = answer.rate;
              if (dec.admitted) charged[m.name] = (charged[m.name] ?? 0) + cost;
              if (dec.admitted && process.env['SIM_MINUTES']) {
                const row = perMinute[m.name] ?? [];
                perMinute[m.name] = row;
                const k = Math.floor(now / 60_000);
                row[k] = (row[k] ?? 0) + cost;
              }
              if (answer.error !== undefined) {
                const error = answer.error;
                clock.setTimer(() => reject(error), d);
                return;
              }
              const lat = 300 + 2_700 * (0.5 + rnd()); // ≈ 3 s, as the bench's gpt-4o profile
              clock.setTimer(() => {
                minLat.set(t.name, Math.min(minLat.get(t.name) ?? Infinity, lat + 2 * d));
                resolve(completion(now, lat, rate));
              }, lat + d);
            }, d);
          }),
      };
    });
    return { target: t.name, deployments, items: targetItems(scenario.workload, t.name, (input) => estimateAdmissionCost(input, params)) };
  });
  const rec = recorder(clock);
  const expected = scenario.workload.rows * scenario.targets.length;
  const tenants = scenario.foreign.map((f) => {
    const server = servers.get(f.deployment);
    const member = scenario.targets.flatMap((t) => t.members).find((m) => m.name === f.deployment);
    if (server === undefined || member === undefined) throw new Error(`no deployment ${f.deployment}`);
    return startTenant(clock, server, (member.tpm * f.share) / 60_000, () => rec.settled.size >= expected, rnd);
  });
  return drive(clock, createScheduler({ clock, random: createRng(seed), priorLatencyMs: 3_000, ...tune }), lanes, rec.hooks).then(
    (stats) => {
      const groups = scenario.targets.map((t) => ({
        name: t.name,
        makespanMs: Math.max(...[...rec.settledAt.entries()].filter(([k]) => k.includes(`|${t.name}|`)).map(([, v]) => v)),
        minLatencyMs: minLat.get(t.name) ?? 0,
        completed: 0,
      }));
      const foreign = scenario.foreign.map((f, i) => ({ deployment: f.deployment, admissions: tenants[i] ?? [] }));
      const b = scenarioBound(scenario, groups as never, foreign, { charged, service: {} });
      const perGroup = b.groups.map((g) => g.boundMs / (groups.find((x) => x.name === g.name)?.makespanMs ?? 1));
      if (process.env['SIM_PRINT'])
        console.log(
          `SIM ${id} seed ${seed} ${JSON.stringify(tune)} ratio ${(b.boundMs / clock.now()).toFixed(3)} [${perGroup.map((r) => r.toFixed(3)).join('; ')}] q429 ${((100 * stats.quota429) / stats.attempts).toFixed(2)}%`,
        );
      if (process.env['SIM_MINUTES']) {
        for (const [name, row] of Object.entries(perMinute))
          console.log(`${name}: ${[...row].map((v) => Math.round((v ?? 0) / 1000)).join(' ')}`);
        for (const f of foreign) {
          const row: number[] = [];
          for (const a of f.admissions) row[Math.floor(a.atMs / 60_000)] = (row[Math.floor(a.atMs / 60_000)] ?? 0) + a.tokens;
          console.log(`tenant ${f.deployment}: ${[...row].map((v) => Math.round((v ?? 0) / 1000)).join(' ')}`);
        }
        console.log(
          b.groups.map((g) => `${g.name} bound ${(g.boundMs / 1000).toFixed(0)} s`).join(', '),
          `makespan ${(clock.now() / 1000).toFixed(0)} s`,
        );
      }
      return {
        ratio: b.boundMs / clock.now(),
        perGroup,
        pool: perGroup[0] as number,
        quota429: stats.quota429,
        attempts: stats.attempts,
        settled: rec.settled.size,
        expected,
      };
    },
  );
}

/** An emulator error response as the provider maps it (the openai SDK's error, then mapError). */
function asClientSeesIt(e: AzureError, now: number): ProviderError {
  return mapError(APIError.generate(e.status, e.body as object, undefined, new Headers(e.headers)), { now });
}

/** An exact member: the limiter's decision as the client's RateInfo, a quota 429 with its exact wait. */
function exactAnswer(m: Member, dec: Decision): { rate: RateInfo; error?: ProviderError } {
  const rate = {
    limitTokens: m.server.tokenBudget,
    limitRequests: m.server.requestWindows[0]?.limit,
    remainingTokens: dec.remainingTokens,
    remainingRequests: dec.remainingRequests,
    resetTokensMs: dec.resetTokensMs,
    resetRequestsMs: dec.resetRequestsMs,
    resetFormat: 'seconds' as const,
  };
  if (dec.admitted) return { rate };
  const error = new ProviderError({
    category: 'quota',
    retryable: true,
    status: 429,
    message: 'quota',
    retryAfterMs: Math.ceil(dec.waitMs),
    rate,
  });
  return { rate, error };
}

/**
 * A member under `realism`, answered as the emulator answers and read as the client reads it: the
 * emulator's rate headers (rate-headers.ts) varied by its realism (lagging remaining-*, limit-* left
 * out, retry hints rounded, missing or in the 2023 spelling), its quota 429 body, then the provider's
 * parseRateHeaders and mapError.
 */
function realisticAnswer(
  m: Member,
  dec: Decision,
  realism: { settings: RealismSettings; lag: RemainingLag; random: () => number },
  now: number,
): { rate: RateInfo; error?: ProviderError } {
  const deployment = { quirks: {}, requestWindows: m.server.requestWindows, rpm: m.rpm } as unknown as ResolvedDeployment;
  const headers = rateLimitHeaders(deployment, dec, m.server.tokenBudget, 'chat');
  varyAzureHeaders(headers, realism.settings, realism.lag, dec.admitted ? undefined : dec, realism.random);
  if (dec.admitted) return { rate: parseRateHeaders(headers, now) };
  const seconds = Math.max(1, Math.ceil(dec.waitMs / 1_000));
  const context = {
    operation: 'ChatCompletions_Create',
    apiVersion: 'v1',
    model: m.model,
    deployment: m.name,
    region: 'sim',
    style: 'classic',
  } as const;
  const error = asClientSeesIt({ ...azureErrors.quota(dec.reason, seconds, context), headers }, now);
  return { rate: error.rate ?? {}, error };
}

/**
 * The bench's unseen tenant (scripts/bench/foreign-tenant.ts) on the virtual clock: 2,001-token requests
 * paced to `tokensPerMs`, straight into the shared limiter; a rejection waits its hint. Stops once `done`.
 */
function startTenant(
  clock: VirtualClock,
  server: { lim: SlidingWindowLimiter; settings: Parameters<SlidingWindowLimiter['decide']>[2] },
  tokensPerMs: number,
  done: () => boolean,
  rnd: () => number,
): { atMs: number; tokens: number }[] {
  const cost = 2_001;
  const admissions: { atMs: number; tokens: number }[] = [];
  const tick = () => {
    if (done()) return;
    const d = 30 * (0.5 + rnd());
    clock.setTimer(() => {
      const now = clock.now();
      const dec = server.lim.decide(now, cost, server.settings);
      if (dec.admitted) admissions.push({ atMs: now, tokens: cost });
      clock.setTimer(tick, Math.max(0, (dec.admitted ? cost / tokensPerMs : dec.waitMs > 0 ? dec.waitMs : 1_000) - d));
    }, d);
  };
  tick();
  return admissions;
}

/** `id` on seeds 1–3: every row settled, no group past its bound, at most `quota429` of attempts quota 429s. */
async function eachSeed(id: ScenarioId, quota429: number, check: (r: Awaited<ReturnType<typeof sim>>) => void): Promise<void> {
  for (const seed of [1, 2, 3]) {
    const r = await sim(id, seed);
    expect(r.settled).toBe(r.expected);
    expect(r.quota429 / r.attempts).toBeLessThanOrEqual(quota429);
    for (const g of r.perGroup) expect(g).toBeLessThanOrEqual(1);
    check(r);
  }
}

describe('bench scenarios on the virtual clock', () => {
  it('S2 (10 s token windows, 1 s request sub-window): >= 0.945 of the bound, the pool >= 0.925, no quota 429', async () => {
    // the pool was 0.907 on both seeds before best fit (lane-dispatch.ts); now 0.937 on both
    for (const seed of [1, 2]) {
      const r = await sim('S2', seed);
      expect(r.settled).toBe(r.expected);
      expect(r.quota429).toBe(0);
      expect(r.ratio).toBeGreaterThanOrEqual(0.945);
      expect(r.pool).toBeGreaterThanOrEqual(0.925);
      for (const g of r.perGroup) expect(g).toBeLessThanOrEqual(1);
    }
  }, 120_000);

  it('S2 with strict FIFO (backfillDepth 0) is ≥ 2 points lower: backfill is what closes the gap', async () => {
    const fifo = await sim('S2', 1, { backfillDepth: 0 });
    const filled = await sim('S2', 1);
    expect(filled.ratio - fifo.ratio).toBeGreaterThanOrEqual(0.02);
  }, 120_000);

  it('S3 (an unseen tenant on two pool members): the pool >= 0.95 of its bound on every seed, <= 0.5 % quota 429s', async () => {
    // 0.78-0.83 with 4.5-5.1 % quota 429s when the tenant's usage was learned as skew and cut β on every
    // 429; then 0.885-0.899 with 2.0-3.05 % (the 1 s jitter cap reopens closer to the tenant’s next request);
    // with best fit and the median charge anchor 0.890/0.957/0.888 with 1.6-1.9 %; 0.964/0.900/0.960 with
    // 1.0-1.3 % once an excess past the skew cap was booked (sliding-log.ts); 0.975/0.963/0.965 with
    // 1.1-1.3 % once a refused request's booking leaves the mirror (each 429 had held its room a window);
    // 0.980/0.977/0.979 with 0.05-0.10 % once the tenant's booking is renewed while the server shows it
    // (it had dropped out one life after it was first seen, and the next 429 re-learned it)
    await eachSeed('S3', 0.005, (r) => expect(r.pool).toBeGreaterThanOrEqual(0.95));
  }, 120_000);

  it('S1 (60 s token windows): >= 0.96 of the bound, every group <= 1', async () => {
    const r = await sim('S1', 1);
    expect(r.settled).toBe(r.expected);
    expect(r.ratio).toBeGreaterThanOrEqual(0.96);
    for (const g of r.perGroup) expect(g).toBeLessThanOrEqual(1);
  }, 120_000);

  it('S11 (S1 under the realistic profile): >= 0.90 of the bound and <= 2.5 % quota 429s on every seed, no row lost', async () => {
    // 0.909/0.984/0.912 with 2.0 % quota 429s; 0.907/0.973/0.903 with 1.1-1.5 % before a refusal's round
    // trip capped the skew (sliding-log.ts noteRefusalRoundTrip): the ±10 % charge noise had been learned as
    // up to 1.2 s of skew on a 30 ms network, each window's turn 1.2 s late. The server charges 3 % more than we estimate (inside the
    // charge learner's dead band) and ±10 % per request. Until 5 Dec that excess was hidden: compared with
    // everything our mirror still held (its guard and skew keep entries past the server's window, and
    // everything sent since), it never showed, nothing was booked, and the mirror fell 3 % short whenever
    // that extra life held nothing: 2.8-3.5 % quota 429s (3.9-4.5 % before the skew cap, see
    // sliding-log.ts). The bound counts whole windows: on seeds 1 and 3 `other` was charged 1,297k and
    // 1,295k tokens, so it ends within the bound's 13 windows of 100k only by using 99.6-99.8 % of each.
    await eachSeed('S11', 0.025, (r) => expect(r.ratio).toBeGreaterThanOrEqual(0.9));
  }, 120_000);
});
