/**
 * The benchmark scenarios S1–S9 (scheduler-design.md §6.3) on the batchbench emulator, plus the
 * throughput and memory scenarios. Time is compressed with the emulator's `timeScale` (the scheduler
 * runs on a matching scaled clock), so every duration below is *emulated* time: 60 s token windows and
 * second-scale latencies stay realistic while a scenario takes under a minute of wall time.
 *
 * Quotas are scaled down from the design's simulation so that 700 rows give every group ≥ 10 windows of
 * its binding limiter (pool 10.7, mini 11.2, other 12.8); the pool keeps the simulation's member ratios.
 * The compression is kept moderate (12×): the client spends a few ms of CPU per request in the SDK, and
 * every real millisecond is 12 emulated ones, so stronger compression turns client overhead into
 * seconds of apparent network delay that no real deployment would see.
 */
import type { DeploymentConfig, FaultSpec } from '../../src/emulator/server.ts';
import type { WorkloadSpec } from './workload.ts';

export type ScenarioId = 'S1' | 'S2' | 'S3' | 'S4' | 'S5' | 'S6' | 'S7' | 'S8' | 'S9' | 'S11' | 'S12T' | 'S12R' | 'S13';
export const scenarioIds: readonly ScenarioId[] = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8', 'S9', 'S11', 'S12T', 'S12R', 'S13'];
/** `--scenario S12` runs both OpenAI-style variants. */
export const scenarioAliases: Readonly<Record<string, readonly ScenarioId[]>> = { S12: ['S12T', 'S12R'] };

/** How the server limits one deployment (for the bound). Budgets per window. */
export interface ServerLimits {
  readonly tokenBudget: number;
  readonly tokenWindowMs: number;
  readonly requestWindows: readonly { readonly ms: number; readonly limit: number }[];
  /** Share of the token budget taken by another tenant. */
  readonly foreignShare?: number;
  /** Budget factor over time (limit reductions, outages): max factor within [from, to). */
  readonly factorMax?: (fromMs: number, toMs: number) => number;
  /** Sliding windows (Azure, default) or per-minute buckets that start full (OpenAI dialect). */
  readonly shape?: 'sliding' | 'bucket';
  /**
   * The server charges its own estimate (realism noise, the OpenAI dialect's JSON charge): the bound
   * takes Σ charges from the emulator's admission log instead of the client's estimate.
   */
  readonly chargedByServer?: boolean;
  /** Bare dialect: no quota, a hard in-flight cap; the bound is Σ server service time ÷ cap. */
  readonly inFlightCap?: number;
}

export interface Member {
  readonly name: string;
  /** TPM and RPM the user would configure. */
  readonly tpm: number;
  readonly rpm: number;
  readonly model: string;
  /** Whether the user configures tpm/rpm hints (false: endpoints whose limits nobody states, S12/S13). */
  readonly hints: boolean;
  readonly server: ServerLimits;
  readonly emulator: DeploymentConfig;
}

export interface Scenario {
  readonly id: ScenarioId | 'throughput';
  readonly title: string;
  readonly targets: readonly { readonly name: string; readonly members: readonly Member[] }[];
  readonly workload: WorkloadSpec;
  readonly maxOutputTokens: number;
  readonly timeScale: number;
  readonly faults: readonly FaultSpec[];
  /** Unseen tenants: deployment → share of its TPM they use. */
  readonly foreign: readonly { readonly deployment: string; readonly share: number }[];
  /** Baselines are compared on these scenarios only (the targets of issue #4 name them). */
  readonly baselines: boolean;
  readonly zeroLatency?: boolean;
}

const MINUTE = 60_000;

interface MemberOptions {
  readonly shortWindows?: boolean;
  readonly knee?: number;
  readonly foreignShare?: number;
  readonly factorMax?: ServerLimits['factorMax'];
}

/** One emulator deployment with TPM/RPM as on Azure (RPM = 6 per 1K TPM). */
export function member(name: string, tpm: number, model = 'gpt-4o', options: MemberOptions = {}): Member {
  const rpm = (tpm / 1000) * 6;
  const outputTokens = { median: 220, sigma: 0.6 };
  const common = { name, model, outputTokens, ...(options.knee === undefined ? {} : { concurrencyKnee: options.knee, slowdownAlpha: 1 }) };
  if (options.shortWindows) {
    // The documentation's "1 or 10 s" model: TPM/6 per 10 s, RPM/6 per 10 s and RPM/60 per 1 s.
    const requestWindows = [
      { ms: 10_000, limit: Math.ceil(rpm / 6) },
      { ms: 1_000, limit: Math.ceil(rpm / 60) },
    ];
    return {
      name,
      tpm,
      rpm,
      model,
      hints: true,
      server: { tokenBudget: tpm / 6, tokenWindowMs: 10_000, requestWindows },
      emulator: { ...common, capacity: tpm / 6 / 1000, tokenWindowMs: 10_000, requestWindows },
    };
  }
  const requestWindows = [{ ms: 10_000, limit: Math.ceil(rpm / 6) }];
  return {
    name,
    tpm,
    rpm,
    model,
    hints: true,
    server: {
      tokenBudget: tpm,
      tokenWindowMs: MINUTE,
      requestWindows,
      ...(options.foreignShare ? { foreignShare: options.foreignShare } : {}),
      ...(options.factorMax ? { factorMax: options.factorMax } : {}),
    },
    emulator: { ...common, capacity: tpm / 1000 },
  };
}

/** S11: an Azure deployment as S1, with the emulator's `realistic` profile (its own charge, late and varying headers, capacity 429s). */
export function realisticMember(name: string, tpm: number, model = 'gpt-4o'): Member {
  const m = member(name, tpm, model);
  return { ...m, server: { ...m.server, chargedByServer: true }, emulator: { ...m.emulator, realism: 'realistic' } };
}

/**
 * S12: an OpenAI-style endpoint (per-minute buckets that start full, the JSON of the messages charged,
 * duration resets, whole-second retry-after) under `realistic` (charge noise, lagging remaining-*).
 * No hints: nobody configures an OpenAI org's limits.
 */
export function openAiMember(name: string, tpm: number, rpm: number, model = 'gpt-4o'): Member {
  return {
    name,
    tpm,
    rpm,
    model,
    hints: false,
    server: {
      tokenBudget: tpm,
      tokenWindowMs: MINUTE,
      requestWindows: [{ ms: MINUTE, limit: rpm }],
      shape: 'bucket',
      chargedByServer: true,
    },
    emulator: {
      name,
      model,
      outputTokens: { median: 220, sigma: 0.6 },
      capacity: tpm / 1000,
      rpmPerThousandTpm: rpm / (tpm / 1000),
      dialect: 'openai',
      realism: 'realistic',
    },
  };
}

/** S13: a bare endpoint (no rate headers, no quota, `cap` in flight answered with a plain 429); no hints. */
export function bareMember(name: string, model = 'gpt-4o', cap = 8): Member {
  return {
    name,
    tpm: 0,
    rpm: 0,
    model,
    hints: false,
    server: { tokenBudget: Number.POSITIVE_INFINITY, tokenWindowMs: MINUTE, requestWindows: [], inFlightCap: cap },
    emulator: { name, model, outputTokens: { median: 220, sigma: 0.6 }, capacity: 1_000, dialect: 'bare', maxInFlight: cap },
  };
}

/** A step factor: `factor` inside [from, to), 1 elsewhere; max over an interval. */
export function stepFactor(from: number, to: number, factor: number): (a: number, b: number) => number {
  return (a, b) => (b <= from || a >= to ? 1 : a >= from && b <= to ? factor : Math.max(1, factor));
}

export interface ScenarioOptions {
  readonly quick: boolean;
  readonly seed: number;
}

export function buildScenario(id: ScenarioId, options: ScenarioOptions): Scenario {
  const rows = options.quick ? 100 : id === 'S5' ? 150 : 700;
  const workload: WorkloadSpec = { rows, promptMedian: 700, promptSigma: 0.5, promptMax: 4_000, seed: options.seed };
  const base = {
    id,
    workload,
    maxOutputTokens: 1_024,
    timeScale: options.quick ? 24 : Number(process.env['BATCHBENCH_TIME_SCALE'] ?? 12),
    faults: [] as FaultSpec[],
    foreign: [] as Scenario['foreign'],
    baselines: false,
  };
  const pool = (o: (name: string) => MemberOptions = () => ({})) => [
    member('gpt4o-a', 34_000, 'gpt-4o', o('gpt4o-a')),
    member('gpt4o-b', 18_000, 'gpt-4o', o('gpt4o-b')),
    member('gpt4o-c', 68_000, 'gpt-4o', o('gpt4o-c')),
  ];
  const azureTargets = (o?: (name: string) => MemberOptions) => [
    { name: 'gpt-4o', members: pool(o) },
    { name: 'mini', members: [member('mini', 115_000, 'gpt-4o-mini', o?.('mini'))] },
    { name: 'other', members: [member('other', 100_000, 'gpt-4o', o?.('other'))] },
  ];
  const minutes = (m: number) => m * MINUTE * (options.quick ? 0.2 : 1);
  switch (id) {
    case 'S1':
      return { ...base, title: 'Azure-like: tokens sliding 60 s, requests RPM/6 per 10 s', targets: azureTargets(), baselines: true };
    case 'S2':
      return {
        ...base,
        title: 'short windows: TPM/6 per 10 s, RPM/6 per 10 s and RPM/60 per 1 s (learned from headers)',
        targets: azureTargets(() => ({ shortWindows: true })),
        baselines: true,
      };
    case 'S3': {
      const shared = new Set(['gpt4o-a', 'gpt4o-c']);
      return {
        ...base,
        title: 'S1 with 30 % of two pool members’ TPM used by an unseen tenant',
        targets: azureTargets((name) => (shared.has(name) ? { foreignShare: 0.3 } : {})),
        foreign: [...shared].map((deployment) => ({ deployment, share: 0.3 })),
        baselines: true,
      };
    }
    case 'S4':
      return { ...base, title: 'S1 with max_tokens 512 (admission inflation)', targets: azureTargets(), maxOutputTokens: 512 };
    case 'S5':
      return { ...base, title: 'S1 with 150 rows: start-up burst and tail (report only)', targets: azureTargets() };
    case 'S6': {
      const from = minutes(2);
      const to = minutes(7);
      return {
        ...base,
        title: 'temporary limit reduction: gpt4o-c and other at 60 % for 5 min',
        targets: azureTargets((name) => (name === 'gpt4o-c' || name === 'other' ? { factorMax: stepFactor(from, to, 0.6) } : {})),
        faults: ['gpt4o-c', 'other'].map((deployment) => ({ kind: 'limitReduction', deployment, factor: 0.6, fromMs: from, toMs: to })),
      };
    }
    case 'S7':
      return {
        ...base,
        title: 'capacity 429s (EngineOverloaded, no hint) on 5 % of requests',
        targets: azureTargets(),
        faults: [{ kind: 'overload429', probability: 0.05 }],
      };
    case 'S8': {
      const to = minutes(10);
      return {
        ...base,
        title: 'pool member gpt4o-b answers 404 DeploymentNotFound, recovers after 10 min',
        targets: azureTargets((name) => (name === 'gpt4o-b' ? { factorMax: stepFactor(0, to, 0) } : {})),
        faults: [{ kind: 'deploymentNotFound', deployment: 'gpt4o-b', fromMs: 0, toMs: to }],
      };
    }
    case 'S9':
      return {
        ...base,
        title: 'latency knee at 4 in flight on pool member gpt4o-c (PTU / self-hosted style)',
        targets: azureTargets((name) => (name === 'gpt4o-c' ? { knee: 4 } : {})),
      };
    case 'S11':
      return {
        ...base,
        title:
          'realistic Azure: S1 with the server’s own charge (+3 % ± 10 %), remaining-* 0–2 late, varying header spellings and retry-after-ms, 1 % capacity 429s',
        targets: [
          {
            name: 'gpt-4o',
            members: [realisticMember('gpt4o-a', 34_000), realisticMember('gpt4o-b', 18_000), realisticMember('gpt4o-c', 68_000)],
          },
          { name: 'mini', members: [realisticMember('mini', 115_000, 'gpt-4o-mini')] },
          { name: 'other', members: [realisticMember('other', 100_000)] },
        ],
      };
    case 'S12T':
      // RPM = 6 per 1K TPM as on Azure: tokens bind (≈ 1,800 tokens per request).
      return {
        ...base,
        title:
          'OpenAI-style endpoint, tokens binding: per-minute buckets starting full, JSON charge, duration resets, whole-second retry-after; no hints',
        targets: [
          {
            name: 'gpt-4o',
            members: [openAiMember('gpt4o-a', 34_000, 204), openAiMember('gpt4o-b', 18_000, 108), openAiMember('gpt4o-c', 68_000, 408)],
          },
          { name: 'mini', members: [openAiMember('mini', 115_000, 690, 'gpt-4o-mini')] },
          { name: 'other', members: [openAiMember('other', 100_000, 600)] },
        ],
      };
    case 'S12R':
      // TPM 10× S1's, RPM low: requests bind; a minute's burst then RPM per minute (≈ 10 minutes of refill).
      return {
        ...base,
        title: 'OpenAI-style endpoint, requests binding: as S12T with 10× the TPM and RPM 64 per group; no hints',
        targets: [
          {
            name: 'gpt-4o',
            members: [openAiMember('gpt4o-a', 340_000, 18), openAiMember('gpt4o-b', 180_000, 10), openAiMember('gpt4o-c', 680_000, 36)],
          },
          { name: 'mini', members: [openAiMember('mini', 1_150_000, 64, 'gpt-4o-mini')] },
          { name: 'other', members: [openAiMember('other', 1_000_000, 64)] },
        ],
      };
    case 'S13':
      return {
        ...base,
        title: 'bare endpoint: no rate headers, no quota, a hard cap of 8 in flight per deployment answered with a plain 429; no hints',
        targets: [
          { name: 'gpt-4o', members: [bareMember('gpt4o-a'), bareMember('gpt4o-b'), bareMember('gpt4o-c')] },
          { name: 'mini', members: [bareMember('mini', 'gpt-4o-mini')] },
          { name: 'other', members: [bareMember('other')] },
        ],
      };
  }
}

/** Zero latency, no quota: what the client path (scheduler + SDK + HTTP) can push. */
export function throughputScenario(options: ScenarioOptions): Scenario {
  const unlimited = (name: string): Member => ({
    name,
    tpm: 1e12,
    rpm: 1e12,
    model: 'gpt-4o-mini',
    hints: true,
    server: { tokenBudget: 1e12, tokenWindowMs: MINUTE, requestWindows: [] },
    emulator: {
      name,
      model: 'gpt-4o-mini',
      capacity: 1e9,
      rpmPerThousandTpm: 1_000,
      outputTokens: { median: 3, sigma: 0.1 },
      heavyTail: false,
    },
  });
  return {
    id: 'throughput',
    title: 'zero-latency, unlimited-quota emulator: completed requests per second',
    targets: [{ name: 'fast', members: [unlimited('fast-a'), unlimited('fast-b')] }],
    workload: { rows: options.quick ? 1_000 : 6_000, promptMedian: 10, promptSigma: 0.1, promptMax: 20, seed: options.seed },
    maxOutputTokens: 8,
    timeScale: 1,
    faults: [],
    foreign: [],
    baselines: false,
    zeroLatency: true,
  };
}
