/**
 * Identifiers of a response worth keeping per attempt: the request id support asks for, and the region
 * that served it (useful when a pool spans regions).
 */

export interface ResponseMeta {
  readonly requestId: string | null;
  readonly region: string | null;
}

/** `x-request-id` (OpenAI, Azure) or `apim-request-id` (Azure API Management), and `x-ms-region`. */
export function readResponseMeta(headers: Headers): ResponseMeta {
  return {
    requestId: headers.get('x-request-id') ?? headers.get('apim-request-id'),
    region: headers.get('x-ms-region'),
  };
}
