/**
 * Azure's exact error bodies (§5, §6, §7.1). Clients match on code and message, so the strings are copied
 * verbatim from the measured bodies; do not "improve" them.
 */

export interface AzureError {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type Operation = 'ChatCompletions_Create' | 'Responses_Create';
export type QuotaMessageStyle = 'classic' | 'newer' | 'gateway';

const invalid = (message: string, param: string | null, code: string | null): AzureError => ({
  status: 400,
  body: { error: { message, type: 'invalid_request_error', param, code } },
});

export const azureErrors = {
  unauthorized: (): AzureError => ({
    status: 401,
    body: {
      error: {
        code: '401',
        message:
          'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
      },
    },
  }),
  resourceNotFound: (): AzureError => ({ status: 404, body: { error: { code: '404', message: 'Resource not found' } } }),
  deploymentNotFound: (): AzureError => ({
    status: 404,
    body: {
      error: {
        code: 'DeploymentNotFound',
        message:
          'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
      },
    },
  }),
  invalidRequest: invalid,
  badJson: (detail: string): AzureError =>
    invalid(
      `We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. ${detail})`,
      null,
      null,
    ),
  missingField: (field: string): AzureError => invalid(`Missing required parameter: '${field}'.`, field, 'missing_required_parameter'),
  contextLength: (contextWindow: number, promptTokens: number, completion: number | undefined, param: string): AzureError =>
    invalid(
      completion === undefined
        ? `This model's maximum context length is ${contextWindow} tokens. However, your messages resulted in ${promptTokens} tokens. Please reduce the length of the messages.`
        : `This model's maximum context length is ${contextWindow} tokens. However, you requested ${promptTokens + completion} tokens (${promptTokens} in the messages, ${completion} in the completion). Please reduce the length of the messages or completion.`,
      param,
      'context_length_exceeded',
    ),
  unsupportedParameter: (param: string): AzureError =>
    invalid(
      param === 'max_tokens'
        ? "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead."
        : `Unsupported parameter: '${param}' is not supported with this model.`,
      param,
      'unsupported_parameter',
    ),
  promptFiltered: (): AzureError => ({
    status: 400,
    body: {
      error: {
        message:
          "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
        type: null,
        param: 'prompt',
        code: 'content_filter',
        status: 400,
        innererror: {
          code: 'ResponsibleAIPolicyViolation',
          content_filter_result: {
            hate: { filtered: false, severity: 'safe' },
            jailbreak: { filtered: true, detected: true },
            self_harm: { filtered: false, severity: 'safe' },
            sexual: { filtered: false, severity: 'safe' },
            violence: { filtered: false, severity: 'safe' },
          },
        },
      },
    },
  }),
  timeout: (): AzureError => ({ status: 408, body: { error: { code: 'Timeout', message: 'The operation was timeout.' } } }),
  serverError: (requestId: string): AzureError => ({
    status: 500,
    body: {
      error: {
        message: `The server had an error while processing your request. Sorry about that! You can retry your request, or contact us through an Azure support request at: https://go.microsoft.com/fwlink/?linkid=2213926 if the error persists. (Please include the request ID ${requestId} in your message.)`,
        type: 'server_error',
        param: null,
        code: null,
      },
    },
  }),
  unavailable: (retryAfterMs: number): AzureError => ({
    status: 503,
    body: {
      error: { code: 'ServiceUnavailable', message: 'The service is temporarily unable to process your request. Please try again later.' },
    },
    headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) },
  }),
  capacity: (retryAfterMs: number): AzureError => {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    return {
      status: 429,
      body: {
        error: {
          code: '429',
          message: `The system is currently experiencing high demand and cannot process your request. Your request exceeds the maximum usage size allowed during peak load. Please retry after ${seconds} seconds. For improved latency reliability, consider switching to Provisioned Throughput.`,
        },
      },
      headers: { 'retry-after-ms': String(Math.ceil(retryAfterMs)), 'retry-after': String(seconds) },
    };
  },
  overload: (): AzureError => ({
    status: 429,
    body: { error: { code: 'EngineOverloaded', message: 'The engine is currently overloaded, please try again later.' } },
  }),
  /** Quota 429 body; headers are added by the caller (they depend on quirks). */
  quota: (
    reason: 'tokens' | 'requests',
    retryAfterSec: number,
    ctx: { operation: Operation; apiVersion: string; model: string; deployment: string; region: string; style: QuotaMessageStyle },
  ): AzureError => {
    const what = reason === 'tokens' ? 'token rate limit' : 'call rate limit';
    let message: string;
    if (ctx.style === 'gateway') message = `Rate limit is exceeded. Try again in ${retryAfterSec} seconds.`;
    else if (ctx.style === 'newer')
      message = `Your requests to ${ctx.model} for ${ctx.deployment} in ${ctx.region} have exceeded the ${what} for your current AIServices S0 pricing tier. This request was for ${ctx.operation} under Azure OpenAI API version ${ctx.apiVersion}. Please retry after ${retryAfterSec} seconds.`;
    else
      message = `Requests to the ${ctx.operation} Operation under Azure OpenAI API version ${ctx.apiVersion} have exceeded ${what} of your current AIServices S0 pricing tier. Please retry after ${retryAfterSec} seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.`;
    return { status: 429, body: { error: { code: '429', message } } };
  },
};
