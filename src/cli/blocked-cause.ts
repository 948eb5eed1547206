/**
 * The first lines a user reads after a run whose target stopped (a wrong key, a missing deployment):
 * the cause, not its consequences. Each names the target, the deployment and its URL, the HTTP status,
 * the service's own message, and what to check (the key variable or the Entra scope).
 */
import { join } from 'node:path';
import type { ResolvedConfig } from '../config/bench-config.ts';
import { redactText, shownVariableName } from '../internal/redact.ts';
import { readJournal } from '../sink/read-journal.ts';
import type { ResolvedDeployment, SerializedError } from '../types.ts';

/** Longest service message quoted. @unit characters */
const MAX_MESSAGE = 240;

/**
 * One line per target that could not be completed, led by the first request error that stopped it.
 * @param blocked target name → reasons (the run tally's `blocked`)
 */
export async function blockedTargetLines(
  runDir: string,
  config: Pick<ResolvedConfig, 'targets' | 'judgeTargets'>,
  blocked: ReadonlyMap<string, ReadonlySet<string>>,
): Promise<string[]> {
  if (blocked.size === 0) return [];
  const firstError = new Map<string, { deploymentId: string; error: SerializedError }>();
  // Cells stopped before dispatch carry no deployment; the target's failed attempts say which one it was.
  const failedAttempt = new Map<string, string>();
  try {
    for await (const record of readJournal(join(runDir, 'journal.jsonl'))) {
      if (record.kind === 'attempt' && record.outcome !== 'ok' && !failedAttempt.has(`${record.target}|${record.outcome}`))
        failedAttempt.set(`${record.target}|${record.outcome}`, record.deploymentId);
      if (record.kind !== 'result' || record.status !== 'failed' || !blocked.has(record.target) || firstError.has(record.target)) continue;
      const category = record.error.category;
      if (category === undefined || !STOPPING.has(category)) continue;
      const deploymentId = record.deploymentId ?? failedAttempt.get(`${record.target}|${category}`);
      if (deploymentId !== undefined) firstError.set(record.target, { deploymentId, error: record.error });
    }
  } catch {
    // No journal to read: the plain reasons below still say which target stopped and why.
  }
  const deployments = new Map(
    [...config.targets, ...config.judgeTargets].flatMap((target) =>
      target.deployments.map((deployment) => [deployment.id, deployment] as const),
    ),
  );
  // Each line quotes a URL and a service's message: credential-shaped text is masked on the way out.
  return [...blocked].map(([target, reasons]) => redactText(blockedLine(target, reasons, firstError.get(target), deployments)));
}

// --- internal ---

function blockedLine(
  target: string,
  reasons: ReadonlySet<string>,
  cause: { deploymentId: string; error: SerializedError } | undefined,
  deployments: ReadonlyMap<string, ResolvedDeployment>,
): string {
  const plain = `target ${target} could not be completed: ${[...reasons].join(', ')}`;
  if (cause === undefined) return plain;
  const deployment = deployments.get(cause.deploymentId);
  const where = deployment === undefined ? cause.deploymentId : `${cause.deploymentId} at ${deployment.baseURL}`;
  const what =
    cause.error.status === undefined
      ? `is unreachable (${cause.error.code})`
      : `answered HTTP ${cause.error.status} (${cause.error.category})`;
  return `target ${target} could not be completed: ${where} ${what}: ${quote(cause.error.message)}; ${whatToCheck(cause.error, deployment)}`;
}

/** Failures that stop a target (the rest are retried or recorded per cell): HTTP answers and a dead endpoint. */
const STOPPING: ReadonlySet<string> = new Set(['auth', 'not_found', 'bad_request', 'connection']);

function quote(message: string): string {
  // Provider messages start with the SDK's "401 auth (401): "; the service's own words follow.
  const text = message
    .replace(/^\d{3}\s+[\w-]+\s+\(\d{3}\):\s*/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return JSON.stringify(text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text);
}

function whatToCheck(error: SerializedError, deployment: ResolvedDeployment | undefined): string {
  if (error.category === 'not_found' || error.status === 404) {
    return deployment === undefined
      ? 'check the deployment name'
      : `check that a deployment named "${deployment.deployment}" exists at this endpoint (the Azure deployment name, not the model name)`;
  }
  if (error.category === 'auth' || error.status === 401 || error.status === 403) {
    if (deployment?.auth.kind === 'entra') {
      return `the token was requested for scope ${deployment.auth.scope}; check that the signed-in identity has the "Cognitive Services OpenAI User" role on this resource`;
    }
    if (deployment?.auth.kind === 'api-key')
      return `the key came from the environment variable ${shownVariableName(deployment.auth.apiKeyEnv)}; check that it holds a key of this resource`;
  }
  if (error.category === 'connection')
    return 'check that the URL is right and reachable from this machine (VPN, firewall, private endpoint)';
  return 'the target stopped after this error so the rest of its requests were not sent';
}
