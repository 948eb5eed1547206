/**
 * HTTP handlers for /openai/v1/files and /openai/v1/batches (§9). Uploads are read here as raw bytes
 * (multipart, up to 200 MB plus framing) rather than through the server's JSON body reader.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { azureErrors } from './azure-errors.ts';
import type { AzureError } from './azure-errors.ts';
import { batchObject, tokenLimitMessage } from './batches.ts';
import type { EmulatorCore } from './emulator-core.ts';
import type { Exchange } from './exchange.ts';
import { fileObject, MAX_FILE_BYTES, parseMultipart } from './files.ts';

const isError = (v: unknown): v is AzureError => typeof v === 'object' && v !== null && 'status' in v && 'body' in v;
const notFound = (what: string, id: string): AzureError => ({
  status: 404,
  body: { error: { code: 'NotFound', message: `${what} '${id}' not found.`, type: 'invalid_request_error', param: null } },
});
const ENDPOINTS = ['/chat/completions', '/v1/chat/completions', '/responses', '/v1/responses'];

function readBuffer(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= max) chunks.push(c);
    });
    req.on('end', () => resolve(size > max ? undefined : Buffer.concat(chunks)));
    req.on('error', () => resolve(undefined));
    req.on('close', () => resolve(undefined));
  });
}

const sendJson = (ex: Exchange, v: unknown) => (isError(v) ? ex.error(v) : ex.send(200, JSON.stringify(v)));

/** Returns false when the path is not a Files/Batches route. */
export async function handleBatchApi(
  core: EmulatorCore,
  ex: Exchange,
  req: IncomingMessage,
  method: string,
  rest: string,
  query: URLSearchParams,
): Promise<boolean> {
  const m = /^\/(files|batches)(?:\/([^/]+))?(?:\/(content|cancel))?$/.exec(rest);
  if (!m) return false;
  const [, kind, id, action] = m;
  if (method === 'GET' || method === 'DELETE') req.resume();
  if (kind === 'files') await files(core, ex, req, method, id, action, query);
  else await batches(core, ex, req, method, id, action, query);
  return true;
}

async function files(
  core: EmulatorCore,
  ex: Exchange,
  req: IncomingMessage,
  method: string,
  id: string | undefined,
  action: string | undefined,
  query: URLSearchParams,
): Promise<void> {
  const nowSec = Math.floor(core.clock.now() / 1000);
  if (method === 'POST' && id === undefined) {
    const body = await readBuffer(req, MAX_FILE_BYTES + 1024 * 1024);
    if (body === undefined)
      return ex.error(
        azureErrors.invalidRequest(
          `The file is too large. The maximum file size is ${MAX_FILE_BYTES} bytes (200 MB).`,
          'file',
          'file_too_large',
        ),
      );
    const fields = parseMultipart(body, req.headers['content-type']);
    if (!fields) return ex.error(azureErrors.invalidRequest('Expected a multipart/form-data body with purpose and file.', null, null));
    const s = core.config.batch ?? {};
    const f = core.files.upload(fields, nowSec, { maxFiles: s.maxFiles ?? 500, maxFilesWithExpiry: s.maxFilesWithExpiry ?? 10_000 });
    return sendJson(ex, isError(f) ? f : fileObject(f));
  }
  if (method === 'GET' && id === undefined) return sendJson(ex, core.files.list(query));
  if (id === undefined) return ex.error(azureErrors.resourceNotFound());
  // Output files appear when a job finishes: bring jobs up to date before answering.
  core.batches.advanceAll();
  if (method === 'DELETE' && action === undefined) return sendJson(ex, core.files.delete(id));
  const f = core.files.lookup(id);
  if (isError(f)) return ex.error(f);
  if (method === 'GET' && action === undefined) return sendJson(ex, fileObject(f));
  if (method === 'GET' && action === 'content') {
    ex.headers['content-type'] = 'application/octet-stream';
    return ex.send(200, f.content.toString('utf8'));
  }
  return ex.error(azureErrors.resourceNotFound());
}

async function batches(
  core: EmulatorCore,
  ex: Exchange,
  req: IncomingMessage,
  method: string,
  id: string | undefined,
  action: string | undefined,
  query: URLSearchParams,
): Promise<void> {
  if (method === 'POST' && id === undefined) {
    const raw = (await readBuffer(req, 1024 * 1024))?.toString('utf8');
    let b: { input_file_id?: unknown; endpoint?: unknown; completion_window?: unknown; metadata?: unknown };
    try {
      b = JSON.parse(raw ?? '');
    } catch (err) {
      return ex.error(azureErrors.badJson((err as Error).message));
    }
    return create(core, ex, b);
  }
  if (method === 'GET' && id === undefined) return sendJson(ex, list(core, query));
  const job = id === undefined ? undefined : core.batches.jobs.get(id);
  if (!job) return ex.error(notFound('Batch', id ?? ''));
  if (method === 'POST' && action === 'cancel') {
    core.batches.cancel(job);
    return sendJson(ex, batchObject(job));
  }
  if (method === 'GET' && action === undefined) {
    core.batches.advance(job);
    return sendJson(ex, batchObject(job));
  }
  return ex.error(azureErrors.resourceNotFound());
}

function create(
  core: EmulatorCore,
  ex: Exchange,
  b: { input_file_id?: unknown; endpoint?: unknown; completion_window?: unknown; metadata?: unknown },
): void {
  if (typeof b.input_file_id !== 'string') return ex.error(azureErrors.missingField('input_file_id'));
  if (typeof b.endpoint !== 'string') return ex.error(azureErrors.missingField('endpoint'));
  if (!ENDPOINTS.includes(b.endpoint))
    return ex.error(
      azureErrors.invalidRequest(
        `Invalid value for 'endpoint': '${b.endpoint}'. Supported: ${ENDPOINTS.join(', ')}.`,
        'endpoint',
        'invalid_value',
      ),
    );
  if (b.completion_window !== '24h')
    return ex.error(
      azureErrors.invalidRequest(
        `Invalid value for 'completion_window': ${JSON.stringify(b.completion_window)}. Supported values are: '24h'.`,
        'completion_window',
        'invalid_value',
      ),
    );
  const file = core.files.get(b.input_file_id);
  if (!file) return ex.error(notFound('File with id', b.input_file_id));
  if (file.purpose !== 'batch')
    return ex.error(
      azureErrors.invalidRequest(
        `The input file '${file.id}' must have purpose 'batch', not '${file.purpose}'.`,
        'input_file_id',
        'invalid_value',
      ),
    );
  core.batches.advanceAll(); // release the quota of jobs that have finished by now
  const estimate = core.batches.estimateFile(file.content);
  const rt = estimate ? core.deployments.get(estimate.deployment) : undefined;
  if (estimate && rt && rt.resolved.config.batchFailFast !== false) {
    const limit = rt.resolved.config.enqueuedTokens ?? 1_000_000_000;
    if (core.batches.held(estimate.deployment) + estimate.tokens > limit) {
      return ex.error({
        status: 400,
        body: {
          error: {
            code: 'token_limit_exceeded',
            message: tokenLimitMessage(limit, estimate.deployment),
            type: 'invalid_request_error',
            param: null,
          },
        },
      });
    }
  }
  const metadata = typeof b.metadata === 'object' && b.metadata !== null ? (b.metadata as Record<string, string>) : null;
  const job = core.batches.add(`batch_${randomUUID()}`, b.endpoint, file.id, metadata, estimate);
  sendJson(ex, batchObject(job));
}

function list(core: EmulatorCore, query: URLSearchParams) {
  core.batches.advanceAll();
  const limit = Math.min(100, Math.max(1, Number(query.get('limit') ?? 20) || 20));
  const all = [...core.batches.jobs.values()].reverse();
  const after = query.get('after');
  const start = after ? all.findIndex((j) => j.id === after) + 1 : 0;
  const page = all.slice(start, start + limit);
  return {
    object: 'list',
    data: page.map(batchObject),
    first_id: page[0]?.id ?? null,
    last_id: page.at(-1)?.id ?? null,
    has_more: start + limit < all.length,
  };
}
