/**
 * Model profiles: data only. Values come from azure-v1-behaviour.md §2 (RPM ratio), §8 (PTU), §10.3
 * (latency) and §12.3 (completion reservation). Anything not in those tables is marked as an assumption.
 */

export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';

export interface LatencyProfile {
  /** Median gateway + filter + scheduling overhead (ms) and its log-space sigma. */
  overheadMedianMs: number;
  overheadSigma: number;
  prefillTokPerSec: number;
  decodeTokPerSecMean: number;
  decodeTokPerSecSd: number;
}

export interface ModelProfile {
  name: string;
  /** Returned as `model` in bodies (the model version name, not the deployment name). */
  modelVersion: string;
  rpmPerThousandTpm: number;
  defaultCompletionReservation: number;
  contextWindow: number;
  latency: LatencyProfile;
  /** Hidden/visible reasoning: median reasoning tokens at effort "medium"; 0 for non-reasoning models. */
  reasoningTokensMedian: number;
  reasoning: boolean;
  /** o-series style: rejects max_tokens, temperature, top_p, penalties, logprobs, logit_bias with 400. */
  rejectsSamplingParams: boolean;
  /** How reasoning shows up in chat completions: hidden (usage only), `<think>` tags or `reasoning_content`. */
  reasoningDisplay: 'hidden' | 'think-tags';
  inputTpmPerPtu: number;
  /** PTU weight of one output token in input-token equivalents (§8). */
  outputTokenWeight: number;
}

/** Multiplier of the medium-effort reasoning median per effort level (§10.3: low × 0.3, high × 3). */
export const reasoningEffortFactor: Record<ReasoningEffort, number> = {
  none: 0,
  minimal: 0.05,
  low: 0.3,
  medium: 1,
  high: 3,
  xhigh: 5,
};

function chat(
  name: string,
  modelVersion: string,
  rpm: number,
  contextWindow: number,
  latency: LatencyProfile,
  inputTpmPerPtu: number,
  outputTokenWeight = 4,
): ModelProfile {
  return {
    name,
    modelVersion,
    rpmPerThousandTpm: rpm,
    defaultCompletionReservation: 640,
    contextWindow,
    latency,
    reasoningTokensMedian: 0,
    reasoning: false,
    rejectsSamplingParams: false,
    reasoningDisplay: 'hidden',
    inputTpmPerPtu,
    outputTokenWeight,
  };
}

function reasoner(base: ModelProfile, reasoningTokensMedian: number, extra: Partial<ModelProfile> = {}): ModelProfile {
  return {
    ...base,
    defaultCompletionReservation: 4096, // assumption (§12.3)
    reasoningTokensMedian,
    reasoning: true,
    rejectsSamplingParams: true,
    ...extra,
  };
}

const lat = (overheadMedianMs: number, overheadSigma: number, prefill: number, mean: number, sd: number): LatencyProfile => ({
  overheadMedianMs,
  overheadSigma,
  prefillTokPerSec: prefill,
  decodeTokPerSecMean: mean,
  decodeTokPerSecSd: sd,
});

const list: ModelProfile[] = [
  chat('gpt-4o', 'gpt-4o-2024-11-20', 6, 128_000, lat(450, 0.4, 8_000, 90, 20), 2_500),
  chat('gpt-4o-mini', 'gpt-4o-mini-2024-07-18', 6, 128_000, lat(350, 0.4, 15_000, 95, 20), 37_000),
  chat('gpt-4.1', 'gpt-4.1-2025-04-14', 1, 1_047_576, lat(450, 0.4, 8_000, 85, 20), 3_000),
  chat('gpt-4.1-mini', 'gpt-4.1-mini-2025-04-14', 1, 1_047_576, lat(400, 0.4, 13_000, 105, 20), 14_900),
  // gpt-4.1-nano latency split is an assumption (faster than mini).
  chat('gpt-4.1-nano', 'gpt-4.1-nano-2025-04-14', 1, 1_047_576, lat(300, 0.4, 20_000, 140, 25), 59_400),
  reasoner(chat('o3-mini', 'o3-mini-2025-01-31', 0.1, 200_000, lat(600, 0.5, 8_000, 140, 25), 2_500), 1_500),
  reasoner(chat('o4-mini', 'o4-mini-2025-04-16', 1, 200_000, lat(600, 0.5, 8_000, 140, 25), 5_400), 1_500),
  reasoner(chat('o3', 'o3-2025-04-16', 1, 200_000, lat(800, 0.5, 5_000, 80, 15), 3_000), 2_500),
  // gpt-5-mini: RPM ratio, PTU rate and reasoning median are assumptions; output weight 8 is documented (§8).
  reasoner(chat('gpt-5-mini', 'gpt-5-mini-2025-08-07', 1, 400_000, lat(1_200, 0.4, 10_000, 150, 25), 23_750, 8), 1_000),
  // Partner models: accept max_tokens/temperature; DeepSeek-R1 shows its reasoning (assumption-level numbers).
  reasoner(chat('DeepSeek-R1', 'DeepSeek-R1', 1, 128_000, lat(1_000, 0.5, 5_000, 60, 15), 3_000), 400, {
    rejectsSamplingParams: false,
    reasoningDisplay: 'think-tags',
  }),
  reasoner(chat('grok-3-mini', 'grok-3-mini', 1, 131_072, lat(700, 0.5, 8_000, 120, 25), 3_000), 600, {
    rejectsSamplingParams: false,
  }),
];

export const modelProfiles: ReadonlyMap<string, ModelProfile> = new Map(list.map((p) => [p.name, p]));

export const knownProfileNames: readonly string[] = list.map((p) => p.name);
