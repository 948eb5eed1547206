/**
 * Provider over `responses.create`, streaming or not. The answer is the concatenated `output_text`
 * of message items; reasoning comes from reasoning items (summaries and reasoning text). A response
 * that ends `incomplete` is a Completion with a mapped finish reason; one that ends `failed` is an error.
 */
import type {
  Response as ApiResponse,
  ResponseCreateParamsNonStreaming,
  ResponseCreateParamsStreaming,
  ResponseStreamEvent,
} from 'openai/resources/responses/responses';
import type { Completion } from '../types.ts';
import { isRecord } from './chat-stream.ts';
import type { ProviderFactory } from './provider.ts';
import { buildResponsesBody } from './request-body.ts';
import { failure, ResponsesStreamAccumulator } from './responses-stream.ts';
import { awaitWithResponse, buildCompletion, createSdkProvider, sdkRequestOptions, streamEndedEarly } from './sdk-provider.ts';
import type { AttemptContext } from './sdk-provider.ts';
import { responsesUsage } from './usage.ts';

/** Responses API provider for one deployment of a target. */
export const createResponsesProvider: ProviderFactory = (target, deployment, deps) =>
  createSdkProvider(target, deployment, deps, (context) => (target.params.stream ? streamResponse(context) : completeResponse(context)));

async function completeResponse(context: AttemptContext): Promise<Completion> {
  const body = buildResponsesBody(context.deployment.deployment, context.target.params, context.input);
  const request = context.client.responses.create(body as unknown as ResponseCreateParamsNonStreaming, sdkRequestOptions(context));
  const { data, response } = await awaitWithResponse<ApiResponse>(context, request);
  const result: Record<string, unknown> = isRecord(data) ? (data as unknown as Record<string, unknown>) : {};
  if (result['status'] === 'failed') throw failure(result['error'], 'response failed');
  const output = readOutput(result['output']);
  return buildCompletion(context, {
    content: output.text,
    reasoningParts: output.reasoning,
    finishReason: finishReasonOf(result),
    usage: responsesUsage(result['usage']),
    model: typeof result['model'] === 'string' ? result['model'] : null,
    response,
    streamed: false,
  });
}

async function streamResponse(context: AttemptContext): Promise<Completion> {
  const body = buildResponsesBody(context.deployment.deployment, context.target.params, context.input);
  const request = context.client.responses.create(body as unknown as ResponseCreateParamsStreaming, sdkRequestOptions(context));
  const { data: stream, response } = await awaitWithResponse(context, request);
  const events = new ResponsesStreamAccumulator(context.timer);
  try {
    // Read to the end rather than breaking at the terminal event: breaking aborts the request and
    // throws away a keep-alive connection the next attempt would reuse.
    for await (const event of stream as AsyncIterable<ResponseStreamEvent>) {
      context.watchdog.touch();
      if (events.terminal) continue;
      events.add(event);
      if (events.terminal)
        context.timer.markEnd(); // whatever trails the terminal event is not latency
      else if (context.timer.outputChunks > 0) context.watchdog.startIdle();
    }
  } catch (error) {
    if (!events.terminal) throw error; // a failure after the terminal event loses nothing
  }
  const terminal = events.terminal;
  if (!terminal) throw streamEndedEarly(context, 'a terminal response event');
  // A server that sends only the final response (no deltas) still yields its text and reasoning.
  const final = readOutput(terminal['output']);
  return buildCompletion(context, {
    content: events.content || final.text,
    reasoningParts: events.reasoningParts.length > 0 ? events.reasoningParts : final.reasoning,
    finishReason: finishReasonOf(terminal),
    usage: responsesUsage(terminal['usage']),
    model: events.model,
    response,
    streamed: true,
  });
}

/**
 * `completed` → `stop`; `incomplete` → `length` for the token cap, `content_filter` as is, else the
 * server's reason; any other status is passed through.
 */
export function finishReasonOf(response: Record<string, unknown>): string | null {
  const status = response['status'];
  if (status === 'completed') return 'stop';
  if (status === 'incomplete') {
    const details = isRecord(response['incomplete_details']) ? response['incomplete_details'] : {};
    const reason = details['reason'];
    if (reason === 'max_output_tokens') return 'length';
    return typeof reason === 'string' && reason ? reason : 'incomplete';
  }
  return typeof status === 'string' ? status : null;
}

/** Text of `message` items (output_text, else refusal) and reasoning of `reasoning` items (summary, then content). */
export function readOutput(output: unknown): { text: string; reasoning: string[] } {
  let text = '';
  const reasoning: string[] = [];
  for (const item of Array.isArray(output) ? output : []) {
    if (!isRecord(item)) continue;
    if (item['type'] === 'message') {
      for (const part of Array.isArray(item['content']) ? item['content'] : []) {
        if (!isRecord(part)) continue;
        if (part['type'] === 'output_text' && typeof part['text'] === 'string') text += part['text'];
        else if (part['type'] === 'refusal' && typeof part['refusal'] === 'string') text += part['refusal'];
      }
    } else if (item['type'] === 'reasoning') {
      for (const key of ['summary', 'content']) {
        for (const part of Array.isArray(item[key]) ? item[key] : []) {
          if (isRecord(part) && typeof part['text'] === 'string' && part['text']) reasoning.push(part['text']);
        }
      }
    }
  }
  return { text, reasoning };
}
