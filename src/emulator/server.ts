/**
 * The emulator's HTTP server on 127.0.0.1: authentication, routing of /openai/v1, the legacy
 * /openai/deployments/{name}/… route and /_emulator/*, and the programmatic handle.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../internal/clock.ts';
import { systemClock } from '../internal/clock.ts';
import { checkedFault, clockView, handleAdmin } from './admin.ts';
import { azureErrors } from './azure-errors.ts';
import { handleBatchApi } from './batch-routes.ts';
import type { EmulatorConfig } from './config.ts';
import type { EmulatorPatch } from './emulator-core.ts';
import { EmulatorCore } from './emulator-core.ts';
import { Exchange } from './exchange.ts';
import type { FaultSpec } from './fault-types.ts';
import { handleGeneration } from './pipeline.ts';
import type { AdmissionRecord, EmulatorStats } from './stats.ts';

export { EmulatorConfigError, validateEmulatorConfig } from './config.ts';
export type { DeploymentConfig, EmulatorConfig, Quirks, RequestWindowConfig, FilterMode, Sku, FaultSpec, FaultKind } from './config.ts';
export type { EmulatorPatch } from './emulator-core.ts';
export type { Dialect } from './dialect-config.ts';
export type { Realism, RealismSettings } from './realism.ts';
export type { EmulatorStats, DeploymentStats, AdmissionRecord, RejectKind } from './stats.ts';
export { knownProfileNames } from './profiles.ts';
export { startEmulatorInWorker } from './worker.ts';
export type { RemoteEmulatorHandle } from './worker.ts';

export interface EmulatorHandle {
  /** e.g. 'http://127.0.0.1:PORT/openai/v1/' — pass as the OpenAI SDK baseURL. */
  baseURL: string;
  /** The first configured (or generated) key. */
  apiKey: string;
  /** Origin, e.g. 'http://127.0.0.1:PORT'. */
  url: string;
  port: number;
  close(): Promise<void>;
  stats(): EmulatorStats;
  reset(): void;
  /** Validated as a whole; throws EmulatorConfigError and changes nothing on a bad patch. */
  patch(p: EmulatorPatch): void;
  config(): EmulatorConfig;
  faults(): FaultSpec[];
  addFault(f: FaultSpec): FaultSpec;
  removeFault(id: string): boolean;
  /** Replaces every fault (resource and deployment level). */
  setFaults(list: FaultSpec[]): void;
  clearFaults(): void;
  admissionLog(deployment: string): AdmissionRecord[];
  completions(deployment: string): { requestIds: string[]; byFingerprint: Record<string, number> };
  clock: { now(): number; elapsedMs(): number; timeScale(): number; setTimeScale(s: number): void; advance(ms: number): void };
}

const MAX_BODY = 64 * 1024 * 1024;

function authorized(core: EmulatorCore, req: IncomingMessage): boolean {
  const key = req.headers['api-key'];
  if (typeof key === 'string' && core.apiKeys.has(key)) return true;
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) {
    const token = auth.slice(7).trim();
    if (core.apiKeys.has(token)) return true;
    if (core.config.acceptBearer?.(token)) return true;
  }
  return false;
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(undefined));
    // A client that goes away mid-upload never sends 'end'; settle so nothing waits forever.
    req.on('close', () => resolve(undefined));
  });
}

async function route(core: EmulatorCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const ex = new Exchange(req, res, core.clock, core.config.region ?? 'East US');
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).replace(/\/+$/, '');
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const method = req.method ?? 'GET';
  if (!authorized(core, req)) {
    req.resume();
    return ex.error(azureErrors.unauthorized());
  }
  // Files and Batches (§9) read their own bodies (multipart uploads up to 200 MB).
  if (
    /^\/openai\/v1\/(files|batches)(\/|$)/.test(path) &&
    (await handleBatchApi(core, ex, req, method, path.slice('/openai/v1'.length), query))
  )
    return;
  const raw = method === 'GET' || method === 'DELETE' ? '' : await readBody(req);
  if (raw === undefined) return ex.error(azureErrors.invalidRequest('Request body too large.', null, null));
  if (method !== 'POST' && method !== 'PUT') req.resume();
  const apiVersion = query.get('api-version') ?? 'v1'; // accepted and ignored (§12.2)

  if (path.startsWith('/_emulator/')) return handleAdmin(core, ex, method, path, query, raw);
  if (path.startsWith('/openai/v1/')) {
    const rest = path.slice('/openai/v1'.length);
    if (method === 'POST' && rest === '/chat/completions') return handleGeneration(core, ex, 'chat', raw, undefined, apiVersion);
    if (method === 'POST' && rest === '/responses') return handleGeneration(core, ex, 'responses', raw, undefined, apiVersion);
    if (method === 'GET' && rest === '/models') return ex.send(200, JSON.stringify(modelsList(core)));
  }
  const legacy = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|responses)$/.exec(path);
  if (legacy && method === 'POST') {
    return handleGeneration(
      core,
      ex,
      legacy[2] === 'responses' ? 'responses' : 'chat',
      raw,
      decodeURIComponent(legacy[1] as string),
      apiVersion,
    );
  }
  return ex.error(azureErrors.resourceNotFound());
}

function modelsList(core: EmulatorCore) {
  const created = Math.floor(core.startedAt / 1000);
  return {
    object: 'list',
    data: [...core.deployments.values()].map((rt) => ({
      id: rt.resolved.config.name,
      object: 'model',
      created,
      owned_by: 'system',
      model: rt.resolved.modelVersion,
    })),
  };
}

/** Starts the emulator on 127.0.0.1 (ephemeral port unless `port` is given). */
export async function startEmulator(config: EmulatorConfig, options: { clock?: Clock; port?: number } = {}): Promise<EmulatorHandle> {
  const core = new EmulatorCore(config, options.clock ?? systemClock);
  const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
    route(core, req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: String(err), type: 'server_error', param: null, code: null } }));
      } else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  let closing: Promise<void> | undefined;
  return {
    baseURL: `${url}/openai/v1/`,
    apiKey: core.primaryKey,
    url,
    port,
    close() {
      // closeAllConnections also ends hung requests and open streams, so close() always terminates.
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
    stats: () => core.stats(),
    reset: () => core.reset(),
    patch: (p) => core.patch(p),
    config: () => core.config,
    faults: () => core.faults.list(),
    addFault: (f) => core.faults.add(checkedFault(f)),
    removeFault: (id) => core.faults.remove(id),
    setFaults(list) {
      const checked = list.map((f, i) => checkedFault(f, `faults[${i}]`));
      core.faults.clear();
      for (const f of checked) core.faults.add(f);
    },
    clearFaults: () => core.faults.clear(),
    admissionLog: (d) => core.admissionLog(d),
    completions: (d) => core.completions(d),
    clock: {
      now: () => core.clock.now(),
      elapsedMs: () => core.elapsedMs(),
      timeScale: () => clockView(core).timeScale,
      setTimeScale: (s) => core.patch({ timeScale: s }),
      advance: (ms) => core.clock.advance(ms),
    },
  };
}
