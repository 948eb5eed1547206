/**
 * One batch line through the same steps and answer generator as an online request (pipeline.ts), minus
 * admission and latency: parse, semantic validation, prompt filter, per-line failure injection, generation.
 * Also the §12.3 estimate a line holds against the enqueued-token quota.
 */
import { randomUUID } from 'node:crypto';
import { createRng, hashString } from '../internal/rng.ts';
import { azureErrors } from './azure-errors.ts';
import type { AzureError } from './azure-errors.ts';
import { chatCompletionJson } from './chat-completions.ts';
import type { DeploymentRuntime, EmulatorCore } from './emulator-core.ts';
import type { Generated } from './generate.ts';
import { generate } from './generate.ts';
import { drawReasoningTokens } from './latency.ts';
import type { Api } from './request-parse.ts';
import { parseGenRequest } from './request-parse.ts';
import { responseBody, responseStatus } from './responses.ts';
import { countPromptTokens } from './tokens.ts';

export interface LineOutcome {
  ok: boolean;
  /** The serialised output line `{id, custom_id, response, error}`. */
  json: string;
  /** Tokens this line used of the batch tokens/minute (its estimate). */
  cost: number;
}

/** §12.3: ceil(prompt chars / charsPerToken) + limit (or the reservation) × max(n, best_of). */
export function estimateLine(rt: DeploymentRuntime, api: Api, body: unknown): number {
  const p = parseGenRequest(api, body);
  if ('status' in p) return 0;
  const d = rt.resolved;
  return Math.ceil(p.promptChars / d.charsPerToken) + (p.limit ?? d.completionReservation) * Math.max(p.n, p.bestOf);
}

const lineJson = (
  customId: string,
  response: { status_code: number; request_id: string; body: string } | null,
  error: { code: string; message: string } | null,
): string =>
  `{"id":"batch_req_${randomUUID().replaceAll('-', '')}","custom_id":${JSON.stringify(customId)},"response":${response === null ? 'null' : `{"status_code":${response.status_code},"request_id":"${response.request_id}","body":${response.body}}`},"error":${error === null ? 'null' : JSON.stringify(error)}}`;

/** A line that never ran: `batch_expired`, `batch_cancelled` or `request_timeout` (§9.4). */
export function unrunLine(customId: string, code: 'batch_expired' | 'batch_cancelled', message: string): string {
  return lineJson(customId, null, { code, message });
}

function httpFailure(customId: string, e: AzureError, requestId: string): LineOutcome {
  return {
    ok: false,
    json: lineJson(customId, { status_code: e.status, request_id: requestId, body: JSON.stringify(e.body) }, null),
    cost: 0,
  };
}

export function runBatchLine(
  core: EmulatorCore,
  rt: DeploymentRuntime,
  api: Api,
  customId: string,
  body: Record<string, unknown>,
  batchId: string,
): LineOutcome {
  const requestId = randomUUID();
  const parsed = parseGenRequest(api, body);
  if ('status' in parsed) return httpFailure(customId, parsed, requestId);
  const d = rt.resolved;
  const name = d.config.name;
  const cost = estimateLine(rt, api, body);
  const random = createRng(hashString(`${core.seed}|${name}|batch|${batchId}|${customId}`));
  if (d.profile.rejectsSamplingParams && parsed.samplingParams.length > 0)
    return httpFailure(customId, azureErrors.unsupportedParameter(parsed.samplingParams[0] as string), requestId);
  const promptEst = Math.ceil(parsed.promptChars / d.charsPerToken);
  if (promptEst + (parsed.limit ?? 0) > d.profile.contextWindow) {
    return httpFailure(
      customId,
      azureErrors.contextLength(d.profile.contextWindow, promptEst, parsed.limit, api === 'chat' ? 'messages' : 'input'),
      requestId,
    );
  }
  const filter = core.config.contentFilter;
  if (filter?.promptTriggers?.some((t) => t !== '' && parsed.fullPrompt.includes(t)))
    return httpFailure(customId, azureErrors.promptFiltered(), requestId);
  if (random() < (d.config.batchLineFailureRate ?? 0))
    return { ...httpFailure(customId, azureErrors.serverError(requestId), requestId), cost };

  const reasoning = !d.profile.reasoning
    ? 'none'
    : d.profile.reasoningDisplay === 'hidden'
      ? 'hidden'
      : (d.config.reasoningStyle ?? 'think-tags');
  const gens: Generated[] = [];
  const reasoningTokensDraw = drawReasoningTokens(d.profile, parsed.effort, random);
  for (let i = 0; i < (api === 'chat' ? parsed.n : 1); i++) {
    gens.push(
      generate(core.book, {
        seed: core.seed,
        deployment: name,
        questionText: parsed.questionText,
        fullPrompt: parsed.fullPrompt,
        accuracy: d.accuracy,
        noiseSalt: d.config.temperatureNoise ? `batch|${batchId}|${customId}` : '',
        limit: parsed.limit,
        reasoning,
        reasoningTokensDraw,
        outputMedian: d.config.outputTokens?.median ?? 60,
        outputSigma: d.config.outputTokens?.sigma ?? 0.5,
        completionTriggers: filter?.completionTriggers ?? [],
        choiceIndex: i,
      }),
    );
  }
  const promptTokens = countPromptTokens(parsed.promptTexts, parsed.messageCount);
  const created = Math.floor(core.clock.now() / 1000);
  const g0 = gens[0] as Generated;
  rt.counters.promptTokensUsed += promptTokens;
  for (const g of gens) rt.counters.completionTokensUsed += g.completionTokens;
  const hex = requestId.replaceAll('-', '');
  const out =
    api === 'chat'
      ? chatCompletionJson(
          {
            id: `chatcmpl-${hex.slice(0, 29)}`,
            created,
            model: d.modelVersion,
            systemFingerprint: 'fp_emulator',
            promptTokens,
            cachedTokens: 0,
            filterMode: d.filterMode,
          },
          gens,
        )
      : // In Responses batch output `model` is the deployment name, not the model (§9.4 / issue notes).
        JSON.stringify(
          responseBody(
            {
              id: `resp_${hex}`,
              createdAt: created,
              model: name,
              promptTokens,
              cachedTokens: 0,
              limit: parsed.limit,
              instructions: typeof body.instructions === 'string' ? body.instructions : null,
              effort: parsed.effort ?? null,
              reasoningModel: d.profile.reasoning && d.profile.reasoningDisplay === 'hidden',
              itemSuffix: hex,
              summary: undefined,
            },
            g0,
            responseStatus(g0),
          ),
        );
  return { ok: true, json: lineJson(customId, { status_code: 200, request_id: requestId, body: out }, null), cost };
}
