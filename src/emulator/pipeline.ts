/**
 * One chat/responses request through the §12.2 order: deployment faults → admission (429) → semantic
 * validation (400, cost kept) → prompt filter → post-admission faults → generation → paced output.
 */
import { createRng, hashString } from '../internal/rng.ts';
import { azureErrors } from './azure-errors.ts';
import { chatCompletionJson, streamChat } from './chat-completions.ts';
import type { DeploymentRuntime, EmulatorCore } from './emulator-core.ts';
import type { Generated } from './generate.ts';
import { generate } from './generate.ts';
import { reasoningText } from './answers.ts';
import { drawReasoningTokens, planLatency } from './latency.ts';
import { admitByDialect } from './endpoint-dialect.ts';
import { flexRefusal } from './flex.ts';
import type { Api, GenRequest } from './request-parse.ts';
import { parseGenRequest } from './request-parse.ts';
import { responseBody, responseStatus, streamResponse } from './responses.ts';
import { SseWriter } from './stream.ts';
import { countPromptTokens } from './tokens.ts';
import type { Exchange } from './exchange.ts';

const PRE_ADMISSION = ['deploymentNotFound', 'unavailable503', 'capacity429', 'overload429'] as const;
const POST_ADMISSION = ['server500', 'timeout408', 'connectionReset', 'hang', 'malformedJson'] as const;

/** Request identity within a deployment: API + 64 bits of body hash + length. */
function fingerprintOf(api: Api, raw: string): string {
  return `${api}:${hashString(raw).toString(36)}${hashString(raw, 0x9e3779b9).toString(36)}:${raw.length}`;
}

export async function handleGeneration(
  core: EmulatorCore,
  ex: Exchange,
  api: Api,
  raw: string,
  pathDeployment: string | undefined,
  apiVersion: string,
): Promise<void> {
  // Routing comes before parsing (§12.2): the legacy route names the deployment in the path.
  if (pathDeployment !== undefined && !core.deployments.has(pathDeployment)) return ex.error(azureErrors.deploymentNotFound());
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (err) {
    return ex.error(azureErrors.badJson((err as Error).message));
  }
  const parsed = parseGenRequest(api, body);
  const name = pathDeployment ?? (parsed as Partial<GenRequest>).model ?? (body as { model?: unknown } | null)?.model;
  if (typeof name !== 'string') return ex.error('status' in parsed ? parsed : azureErrors.missingField('model'));
  const rt = core.deployments.get(name);
  if (!rt) return ex.error(azureErrors.deploymentNotFound());
  ex.counters = rt.counters;
  const c = rt.counters;
  c.received++;
  if ('status' in parsed) return ex.error(parsed);
  const fingerprint = fingerprintOf(api, raw);
  const attempt = (rt.attempts.get(fingerprint) ?? 0) + 1;
  if (rt.attempts.size > 200_000) rt.attempts.clear(); // bounded memory; only repeats' attempt numbers reset
  rt.attempts.set(fingerprint, attempt);
  const random = createRng(hashString(`${core.seed}|${name}|${fingerprint}|${attempt}`));
  const elapsed = core.elapsedMs();
  const d = rt.resolved;

  const down = core.faults.fire(PRE_ADMISSION, name, elapsed, c.received, random);
  if (down) {
    if (down.kind === 'deploymentNotFound') return ex.error(azureErrors.deploymentNotFound());
    if (down.kind === 'unavailable503') return ex.error(azureErrors.unavailable(down.retryAfterMs ?? 2000));
    if (down.kind === 'capacity429') {
      c.rejected429.capacity++;
      return ex.error(azureErrors.capacity(down.retryAfterMs ?? 2000));
    }
    c.rejected429.overload++;
    return ex.error(azureErrors.overload());
  }
  // Flex capacity shortage (flex.ts): before admission, so a refused flex request uses no quota.
  const flexRefused = flexRefusal(d.config, body, `${core.seed}|flex|${name}|${fingerprint}|${attempt}`);
  if (flexRefused) {
    c.rejected429.capacity++;
    return ex.error(flexRefused);
  }

  // (4) admission
  if (!admitByDialect(core, rt, ex, parsed, body, name, elapsed, apiVersion, fingerprint, attempt)) return;
  ex.startInFlight();

  // (5) semantic validation: the estimate is already consumed.
  if (d.profile.rejectsSamplingParams && parsed.samplingParams.length > 0)
    return ex.error(azureErrors.unsupportedParameter(parsed.samplingParams[0] as string));
  const promptEst = Math.ceil(parsed.promptChars / d.charsPerToken);
  if (promptEst + (parsed.limit ?? 0) > d.profile.contextWindow) {
    return ex.error(azureErrors.contextLength(d.profile.contextWindow, promptEst, parsed.limit, api === 'chat' ? 'messages' : 'input'));
  }
  // (6) prompt filter
  const filter = core.config.contentFilter;
  if (filter?.promptTriggers?.some((t) => t !== '' && parsed.fullPrompt.includes(t))) return ex.error(azureErrors.promptFiltered());

  const fault = core.faults.fire(POST_ADMISSION, name, elapsed, c.received, random);
  if (fault?.kind === 'server500') return ex.error(azureErrors.serverError(ex.requestId));
  if (fault?.kind === 'timeout408') return ex.error(azureErrors.timeout());
  if (fault?.kind === 'connectionReset') return ex.reset();
  if (fault?.kind === 'hang') return ex.hang();

  // (7) generation
  const scale = core.latencyScale();
  const reasoningTokensDraw = drawReasoningTokens(d.profile, parsed.effort, random);
  const reasoning = !d.profile.reasoning
    ? 'none'
    : d.profile.reasoningDisplay === 'hidden'
      ? 'hidden'
      : (d.config.reasoningStyle ?? 'think-tags');
  const choices = api === 'chat' ? parsed.n : 1;
  const gens: Generated[] = [];
  for (let i = 0; i < choices; i++) {
    gens.push(
      generate(core.book, {
        seed: core.seed,
        deployment: name,
        questionText: parsed.questionText,
        fullPrompt: parsed.fullPrompt,
        accuracy: d.accuracy,
        noiseSalt: d.config.temperatureNoise ? `${attempt}|${c.received}` : '',
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
  const cachedTokens = d.config.promptCache ? cachedPromptTokens(rt, parsed.fullPrompt, promptTokens) : 0;
  const g0 = gens[0] as Generated;
  const plan = planLatency(
    {
      profile: d.profile,
      promptTokens,
      reasoningTokens: g0.hiddenReasoningTokens,
      inFlight: c.inFlight,
      knee: d.config.concurrencyKnee ?? 32,
      alpha: d.config.slowdownAlpha ?? 0.5,
      heavyTail: !d.provisioned && d.config.heavyTail !== false,
      jitter: d.config.jitter !== false,
      busy: core.faults.factor('busy', name, elapsed),
      scale,
    },
    random,
  );
  let completionTokens = 0;
  for (const g of gens) completionTokens += g.completionTokens;
  const onDone = () => {
    c.promptTokensUsed += promptTokens;
    c.completionTokensUsed += completionTokens;
    c.complete(fingerprint, ex.requestId);
    if (ex.ptu)
      rt.ptu.correct(
        core.clock.now(),
        promptTokens - cachedTokens + d.profile.outputTokenWeight * completionTokens - ex.ptu.estimate,
        ex.ptu.capacity,
        d.tokenWindowMs,
      );
  };
  const created = Math.floor(Date.now() / 1000);
  const chatMeta = {
    id: `chatcmpl-${ex.requestId.replaceAll('-', '').slice(0, 29)}`,
    created,
    model: d.modelVersion,
    systemFingerprint: 'fp_emulator',
    promptTokens,
    cachedTokens,
    filterMode: d.filterMode,
  };
  const respMeta = {
    id: `resp_${ex.requestId.replaceAll('-', '')}`,
    createdAt: created,
    model: d.modelVersion,
    promptTokens,
    cachedTokens,
    limit: parsed.limit,
    instructions:
      typeof (body as { instructions?: unknown }).instructions === 'string' ? (body as { instructions: string }).instructions : null,
    effort: parsed.effort ?? null,
    reasoningModel: d.profile.reasoning && d.profile.reasoningDisplay === 'hidden',
    itemSuffix: ex.requestId.replaceAll('-', ''),
    summary:
      parsed.reasoningSummary && g0.hiddenReasoningTokens > 0 ? reasoningText(`${core.seed}|${name}|${parsed.fullPrompt}`, 40) : undefined,
  };

  if (parsed.stream) {
    const mid = core.faults.fire(['midStreamClose', 'streamError'], name, elapsed, c.received, random);
    ex.startStream();
    const ctx = ex.streamContext(mid ? (mid.afterEvents ?? 3) : undefined);
    if (mid?.kind === 'streamError') ctx.errorEvent = streamErrorEvent(api);
    const w = new SseWriter(ctx);
    const ok =
      api === 'chat'
        ? await streamChat(w, chatMeta, gens, plan, { includeUsage: parsed.includeUsage, bufferTokens: d.filterBufferTokens })
        : await streamResponse(w, respMeta, g0, plan);
    if (ok) {
      w.end();
      onDone();
    }
    return;
  }
  const e2e = plan.firstTokenMs + Math.max(0, completionTokens - g0.hiddenReasoningTokens - 1) * plan.perTokenMs;
  const timeoutMs = (d.config.gatewayTimeoutMs ?? 600_000) * (scale === 0 ? 1 : scale);
  if (e2e > timeoutMs) {
    if (!(await ex.sleep(timeoutMs))) return;
    return ex.error(azureErrors.timeout());
  }
  if (e2e >= 1 && !(await ex.sleep(e2e))) return;
  if (fault?.kind === 'malformedJson') return ex.send(200, '{"id":"chatcmpl-broken","object":"chat.comple');
  ex.send(200, api === 'chat' ? chatCompletionJson(chatMeta, gens) : JSON.stringify(responseBody(respMeta, g0, responseStatus(g0))));
  onDone();
}

/** OpenAI-style prompt caching: prompts ≥ 1 024 tokens seen before on this deployment hit in 128-token steps. */
function cachedPromptTokens(rt: DeploymentRuntime, prompt: string, promptTokens: number): number {
  if (promptTokens < 1024) return 0;
  const key = hashString(prompt) ^ Math.imul(prompt.length, 0x9e3779b1);
  if (rt.promptCache.has(key)) return Math.floor(promptTokens / 128) * 128;
  if (rt.promptCache.size > 100_000) rt.promptCache.clear();
  rt.promptCache.add(key);
  return 0;
}

/** Mid-stream error payloads: Responses uses `event: error`; chat sends a chunk with an `error` field. */
function streamErrorEvent(api: Api): { data: string; event?: string } {
  const message = 'The server had an error while processing your request. Sorry about that!';
  return api === 'responses'
    ? { event: 'error', data: JSON.stringify({ type: 'error', code: 'server_error', message, param: null, sequence_number: 0 }) }
    : { data: JSON.stringify({ error: { message, type: 'server_error', param: null, code: 'server_error' } }) };
}
