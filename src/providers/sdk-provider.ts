/**
 * The frame every SDK-backed adapter shares: one client per deployment, the admission estimate, and per
 * attempt a timer, a watchdog and the translation of every failure into a ProviderError.
 */
import type OpenAI from 'openai';
import { ProviderError } from '../errors.ts';
import { systemClock } from '../internal/clock.ts';
import type { Clock } from '../internal/clock.ts';
import type { Completion, PromptInput, ResolvedDeployment, ResolvedTarget, TokenUsage } from '../types.ts';
import { AttemptTimer } from './attempt-timer.ts';
import { estimateAdmissionCost } from './estimate-cost.ts';
import { mapError, StreamTruncatedError } from './map-error.ts';
import { requestHeaders } from './request-body.ts';
import { createOpenAIClient } from './openai-client.ts';
import type { Provider, ProviderDeps } from './provider.ts';
import { parseRateHeaders } from './rate-headers.ts';
import { separateReasoning } from './reasoning.ts';
import { readResponseMeta } from './response-meta.ts';
import { startWatchdog } from './watchdog.ts';
import type { Watchdog } from './watchdog.ts';

const MAX_IDLE_MS = 60_000;
/** A model list answers in milliseconds; a check that takes longer tells nothing the first attempt will not. */
const LIST_CHECK_TIMEOUT_MS = 10_000;

/** What an adapter gets for one attempt. */
export interface AttemptContext {
  readonly client: OpenAI;
  readonly target: ResolvedTarget;
  readonly deployment: ResolvedDeployment;
  readonly input: PromptInput;
  readonly timer: AttemptTimer;
  /** Pass `watchdog.signal` to the SDK; call `touch` per event and `startIdle` once output flows. */
  readonly watchdog: Watchdog;
  readonly clock: Clock;
}

/** One attempt of one API. Throws anything; the frame maps it. */
export type AttemptRunner = (context: AttemptContext) => Promise<Completion>;

/** Wraps an adapter's attempt function into a Provider for one deployment. */
export function createSdkProvider(
  target: ResolvedTarget,
  deployment: ResolvedDeployment,
  deps: ProviderDeps,
  run: AttemptRunner,
): Provider {
  const clock = deps.clock ?? systemClock;
  const idleMs = deps.streamIdleTimeoutMs ?? Math.min(deployment.timeoutMs, MAX_IDLE_MS);
  // A missing key is reported by every attempt (as a non-retryable auth failure) rather than thrown
  // here, so one misconfigured deployment becomes records in the journal instead of a crashed run.
  let client: OpenAI | undefined;
  let setupError: ProviderError | undefined;
  try {
    client = createOpenAIClient(deployment, deps);
  } catch (error) {
    setupError =
      error instanceof ProviderError
        ? error
        : new ProviderError({
            category: 'bad_request',
            retryable: false,
            message: `deployment ${deployment.id}: cannot create the client: ${error instanceof Error ? error.message : String(error)}`,
            cause: error,
          });
  }

  return {
    deploymentId: deployment.id,
    estimateCost: (input) => estimateAdmissionCost(input, target.params),
    async complete(input, signal) {
      if (!client) throw setupError;
      if (signal.aborted) throw mapError(signal.reason, { signal, now: clock.now() });
      const timer = new AttemptTimer(clock);
      const watchdog = startWatchdog({ signal, clock, totalMs: deployment.timeoutMs, idleMs });
      try {
        return await run({ client, target, deployment, input, timer, watchdog, clock });
      } catch (error) {
        const detail = watchdog.firedDetail;
        throw mapError(error, {
          signal,
          watchdogFired: watchdog.fired !== undefined,
          ...(detail ? { watchdogDetail: detail } : {}),
          now: clock.now(),
        });
      } finally {
        watchdog.dispose();
      }
    },
    async checkListed(signal) {
      if (!client || signal.aborted) return false;
      try {
        const page = await client.models.list({ signal, timeout: Math.min(deployment.timeoutMs, LIST_CHECK_TIMEOUT_MS) });
        // Only a list that names the deployment proves it exists: a missing one must still cost one request.
        return page.data.some((model) => model.id === deployment.deployment);
      } catch {
        return false; // refused, missing or unreachable: the first attempt decides, as without the check
      }
    },
  };
}

/** The parts of a finished attempt that every API reports the same way. */
export interface CompletionParts {
  readonly content: string;
  readonly reasoningParts: readonly string[];
  readonly finishReason: string | null;
  readonly usage: TokenUsage;
  readonly model: string | null;
  readonly response: Response;
  readonly streamed: boolean;
}

/** Assembles the Completion: answer and reasoning split, headers read, timing frozen. */
export function buildCompletion(context: AttemptContext, parts: CompletionParts): Completion {
  const { answer, reasoning } = separateReasoning(parts.content, parts.reasoningParts);
  const meta = readResponseMeta(parts.response.headers);
  return {
    text: answer,
    ...(reasoning === undefined ? {} : { reasoning }),
    finishReason: parts.finishReason,
    usage: parts.usage,
    timing: context.timer.finish(parts.streamed),
    rate: parseRateHeaders(parts.response.headers, context.clock.now()),
    status: parts.response.status,
    requestId: meta.requestId,
    region: meta.region,
    model: parts.model || null,
  };
}

/**
 * Starts a request and waits for its headers, recording `headersMs` the moment they arrive (for
 * non-streaming calls `withResponse` resolves only after the body is parsed).
 */
export async function awaitWithResponse<T>(
  context: AttemptContext,
  request: {
    asResponse(): Promise<Response>;
    withResponse(): Promise<{ data: T; response: Response }>;
  },
): Promise<{ data: T; response: Response }> {
  request.asResponse().then(
    () => context.timer.markHeaders(),
    () => undefined,
  );
  const result = await request.withResponse();
  context.timer.markHeaders();
  return result;
}

/**
 * A stream that ended without its terminal event: either the watchdog or caller cut it (the SDK ends
 * the iterator quietly on abort) or the server closed early.
 */
export function streamEndedEarly(context: AttemptContext, what: string): unknown {
  const signal = context.watchdog.signal;
  return signal.aborted ? signal.reason : new StreamTruncatedError(`stream ended before ${what}`);
}

/** Per-request SDK options: the watchdog's signal and the target's extra headers. */
export function sdkRequestOptions(context: AttemptContext): { signal: AbortSignal; headers?: Record<string, string> } {
  const headers = requestHeaders(context.target.params);
  return { signal: context.watchdog.signal, ...(headers ? { headers } : {}) };
}
