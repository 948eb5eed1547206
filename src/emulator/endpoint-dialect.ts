/**
 * Step (4) of §12.2 by endpoint dialect, with the realism profile around it:
 *  - `azure` (default): Azure's admission (admit-request.ts), plus realism's charge noise, header lag
 *    and spelling variation, and occasional capacity 429s;
 *  - `openai`: per-minute token buckets, duration resets, whole-second `retry-after`
 *    (openai-dialect.ts); realism adds charge noise and `remaining-*` lag;
 *  - `bare`: no quota and no rate headers at all, only a hard in-flight cap (`maxInFlight`, default 8)
 *    answered with a plain 429 that carries no hint.
 * `maxInFlight` also caps the other dialects when set. Non-Azure dialects drop Azure's own headers.
 */
import { createRng, hashString } from '../internal/rng.ts';
import { admitRequest } from './admit-request.ts';
import { azureErrors } from './azure-errors.ts';
import type { DeploymentRuntime, EmulatorCore } from './emulator-core.ts';
import type { Exchange } from './exchange.ts';
import { OpenAiLimiter, chargedChars, openAiQuotaBody, openAiRateHeaders } from './openai-dialect.ts';
import { BARE_DEFAULT_MAX_IN_FLIGHT } from './dialect-config.ts';
import { RemainingLag, realisticCharge } from './realism.ts';
import type { GenRequest } from './request-parse.ts';

/** Per-deployment state of the dialects and realism; replaced on reset. */
export interface DialectState {
  readonly openai: OpenAiLimiter;
  readonly lag: RemainingLag;
}

export const newDialectState = (): DialectState => ({ openai: new OpenAiLimiter(), lag: new RemainingLag() });

/** The plain 429 of an endpoint at its in-flight cap: no retry hint, no rate header. */
export const plain429 = {
  status: 429,
  body: { error: { message: 'Too Many Requests', type: 'rate_limit_error', param: null, code: null } },
};

/** Returns true when admitted; false after sending the refusal. */
export function admitByDialect(
  core: EmulatorCore,
  rt: DeploymentRuntime,
  ex: Exchange,
  parsed: GenRequest,
  body: unknown,
  name: string,
  elapsed: number,
  apiVersion: string,
  fingerprint: string,
  attempt: number,
): boolean {
  const d = rt.resolved;
  const c = rt.counters;
  if (d.dialect !== 'azure') {
    delete ex.headers['apim-request-id'];
    delete ex.headers['x-ms-region'];
  }
  const cap = d.config.maxInFlight ?? (d.dialect === 'bare' ? BARE_DEFAULT_MAX_IN_FLIGHT : undefined);
  if (cap !== undefined && c.inFlight >= cap) {
    c.rejected429.overload++;
    ex.error(plain429);
    return false;
  }
  if (d.dialect === 'bare') {
    c.admit(core.clock.now(), 0);
    return true;
  }
  const s = d.realism;
  // Seeded by the body (a retry is charged the same) and by body + attempt (the header draws).
  const chargeRandom = createRng(hashString(`${core.seed}|charge|${fingerprint}`));
  const random = createRng(hashString(`${core.seed}|${name}|${fingerprint}|${attempt}|realism`));
  if (d.dialect === 'azure') {
    if (s && !d.provisioned && random() < s.capacity429) {
      c.rejected429.capacity++;
      ex.error(azureErrors.capacity(1000 + Math.floor(random() * 4000)));
      return false;
    }
    return admitRequest(
      core,
      rt,
      ex,
      parsed,
      name,
      elapsed,
      apiVersion,
      s ? { settings: s, lag: rt.dialect.lag, chargeRandom, random } : undefined,
    );
  }
  // openai
  const copies = Math.max(parsed.n, parsed.bestOf, 1);
  const exact = Math.ceil(chargedChars(body, parsed.api) / d.charsPerToken) + (parsed.limit ?? d.completionReservation) * copies;
  const cost = s ? realisticCharge(exact, s, chargeRandom) : exact;
  const limits = { tpm: d.tpm, rpm: d.rpm, periodMs: d.tokenWindowMs };
  const now = core.clock.now();
  const decision = rt.dialect.openai.decide(now, cost, limits);
  const headers = openAiRateHeaders(decision, limits);
  if (s && s.remainingLagMax > 0) {
    rt.dialect.lag.record(decision.remainingTokens, decision.remainingRequests, s.remainingLagMax);
    const stale = rt.dialect.lag.at(Math.floor(random() * (s.remainingLagMax + 1)));
    if (stale) {
      headers['x-ratelimit-remaining-tokens'] = String(stale.tokens);
      headers['x-ratelimit-remaining-requests'] = String(stale.requests);
    }
  }
  Object.assign(ex.headers, headers);
  if (!decision.admitted) {
    c.rejected429[decision.reason === 'tokens' ? 'quota_tokens' : 'quota_requests']++;
    ex.error({ status: 429, body: openAiQuotaBody(decision, d.profile.name, limits, cost) });
    return false;
  }
  c.admit(now, cost);
  return true;
}
