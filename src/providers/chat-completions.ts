/**
 * Provider over `chat.completions.create`, streaming (default, so TTFT can be measured) or not.
 * A 200 whose finish reason is `content_filter` is a Completion, not an error: the filtered answer is a
 * result to score and count.
 */
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions';
import type { Completion } from '../types.ts';
import { ChatStreamAccumulator, firstChoice, isRecord, reasoningDelta } from './chat-stream.ts';
import type { ProviderFactory } from './provider.ts';
import { buildChatBody } from './request-body.ts';
import { awaitWithResponse, buildCompletion, createSdkProvider, sdkRequestOptions, streamEndedEarly } from './sdk-provider.ts';
import type { AttemptContext } from './sdk-provider.ts';
import { chatUsage } from './usage.ts';

/** Chat Completions provider for one deployment of a target. */
export const createChatCompletionsProvider: ProviderFactory = (target, deployment, deps) =>
  createSdkProvider(target, deployment, deps, (context) => (target.params.stream ? streamChat(context) : completeChat(context)));

async function completeChat(context: AttemptContext): Promise<Completion> {
  const body = buildChatBody(context.deployment.deployment, context.target.params, context.input);
  const request = context.client.chat.completions.create(
    body as unknown as ChatCompletionCreateParamsNonStreaming,
    sdkRequestOptions(context),
  );
  const { data, response } = await awaitWithResponse<ChatCompletion>(context, request);
  const result: Record<string, unknown> = isRecord(data) ? (data as unknown as Record<string, unknown>) : {};
  const choice = firstChoice(result['choices']);
  const message = choice && isRecord(choice['message']) ? choice['message'] : {};
  const content =
    typeof message['content'] === 'string' ? message['content'] : typeof message['refusal'] === 'string' ? message['refusal'] : '';
  return buildCompletion(context, {
    content,
    reasoningParts: [reasoningDelta(message)],
    finishReason: typeof choice?.['finish_reason'] === 'string' ? choice['finish_reason'] : null,
    usage: chatUsage(result['usage']),
    model: typeof result['model'] === 'string' ? result['model'] : null,
    response,
    streamed: false,
  });
}

async function streamChat(context: AttemptContext): Promise<Completion> {
  const body = buildChatBody(context.deployment.deployment, context.target.params, context.input);
  const request = context.client.chat.completions.create(
    body as unknown as ChatCompletionCreateParamsStreaming,
    sdkRequestOptions(context),
  );
  const { data: stream, response } = await awaitWithResponse(context, request);
  const chunks = new ChatStreamAccumulator(context.timer);
  try {
    for await (const chunk of stream as AsyncIterable<ChatCompletionChunk>) {
      context.watchdog.touch();
      chunks.add(chunk);
      if (context.timer.outputChunks > 0) context.watchdog.startIdle();
    }
  } catch (error) {
    // After the finish reason only the usage chunk is missing: keep the answer (usage reads as 0).
    if (!chunks.finished) throw error;
  }
  if (!chunks.finished) throw streamEndedEarly(context, 'a finish reason');
  return buildCompletion(context, {
    content: chunks.content,
    reasoningParts: [chunks.reasoning],
    finishReason: chunks.finishReason,
    usage: chunks.usage,
    model: chunks.model,
    response,
    streamed: true,
  });
}
