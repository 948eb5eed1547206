/**
 * Step (4) of §12.2 for one request: standard deployments go through the sliding windows (with the
 * x-ratelimit-* headers), provisioned ones through the utilisation bucket. Sends the 429 itself.
 */
import { estimateCost } from './admission.ts';
import type { Operation } from './azure-errors.ts';
import { azureErrors } from './azure-errors.ts';
import type { DeploymentRuntime, EmulatorCore } from './emulator-core.ts';
import type { Exchange } from './exchange.ts';
import { rateLimitHeaders } from './rate-headers.ts';
import type { Random } from '../internal/rng.ts';
import type { RealismSettings, RemainingLag } from './realism.ts';
import { realisticCharge, varyAzureHeaders } from './realism.ts';
import type { GenRequest } from './request-parse.ts';

/** The realism profile's hook (endpoint-dialect.ts): the server's own charge and imprecise headers. */
export interface AdmitRealism {
  readonly settings: RealismSettings;
  readonly lag: RemainingLag;
  /** Seeded by the request body: the charge noise. */
  readonly chargeRandom: Random;
  /** Seeded by body + attempt: header draws. */
  readonly random: Random;
}

/** Returns true when admitted (the cost is then logged); false after sending the 429. */
export function admitRequest(
  core: EmulatorCore,
  rt: DeploymentRuntime,
  ex: Exchange,
  parsed: GenRequest,
  name: string,
  elapsed: number,
  apiVersion: string,
  realism?: AdmitRealism,
): boolean {
  const d = rt.resolved;
  const c = rt.counters;
  const api = parsed.api;
  const now = core.clock.now();
  const operation: Operation = api === 'chat' ? 'ChatCompletions_Create' : 'Responses_Create';
  const copies = Math.max(parsed.n, parsed.bestOf);
  if (d.provisioned) {
    const capacity = d.config.capacity * d.profile.inputTpmPerPtu;
    const promptEst = Math.ceil(parsed.promptChars / d.charsPerToken);
    const cost = promptEst + d.profile.outputTokenWeight * (parsed.limit ?? d.completionReservation) * copies;
    const r = rt.ptu.admit(now, cost, capacity, d.tokenWindowMs);
    if (d.quirks.ptuUtilizationHeader) ex.headers['azure-openai-deployment-utilization'] = `${(r.utilization * 100).toFixed(1)}%`;
    if (!r.admitted) {
      c.rejected429.ptu++;
      const seconds = Math.max(1, Math.ceil(r.waitMs / 1000));
      const err = azureErrors.quota('tokens', seconds, {
        operation,
        apiVersion,
        model: d.profile.name,
        deployment: name,
        region: ex.region,
        style: 'classic',
      });
      ex.error({ ...err, headers: { 'retry-after-ms': String(Math.ceil(r.waitMs)), 'retry-after': String(seconds) } });
      return false;
    }
    c.admit(now, cost);
    ex.ptu = { estimate: cost, capacity };
    return true;
  }
  const exact = estimateCost(
    { promptChars: parsed.promptChars, limit: parsed.limit, n: parsed.n, bestOf: parsed.bestOf },
    d.charsPerToken,
    d.completionReservation,
    d.config.legacyGpt35Mode,
  );
  const cost = realism ? realisticCharge(exact, realism.settings, realism.chargeRandom) : exact;
  const effectiveTpm = d.tpm * (d.config.effectiveLimitFactor ?? 1) * core.faults.factor('limitReduction', name, elapsed);
  const decision = rt.limiter.decide(now, cost, {
    tokenWindowMs: d.tokenWindowMs,
    tokenLimit: effectiveTpm,
    requestWindows: d.requestWindows,
    countRejected: d.config.countRejected429 === true,
  });
  Object.assign(ex.headers, rateLimitHeaders(d, decision, effectiveTpm, api));
  if (realism) varyAzureHeaders(ex.headers, realism.settings, realism.lag, decision.admitted ? undefined : decision, realism.random);
  if (!decision.admitted) {
    c.rejected429[decision.reason === 'tokens' ? 'quota_tokens' : 'quota_requests']++;
    const seconds = Math.max(1, Math.ceil(decision.waitMs / 1000));
    ex.error(
      azureErrors.quota(decision.reason, seconds, {
        operation,
        apiVersion,
        model: d.profile.name,
        deployment: name,
        region: ex.region,
        style: d.quirks.quotaMessageStyle ?? 'classic',
      }),
    );
    return false;
  }
  c.admit(now, cost);
  return true;
}
