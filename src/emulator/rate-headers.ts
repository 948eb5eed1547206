/** x-ratelimit-* headers for admitted and rejected standard requests, with the §13.4 quirks. */
import type { Decision } from './admission.ts';
import { toSeconds } from './admission.ts';
import type { ResolvedDeployment } from './config.ts';
import type { Api } from './request-parse.ts';

export function rateLimitHeaders(d: ResolvedDeployment, decision: Decision, effectiveTpm: number, api: Api): Record<string, string> {
  const q = d.quirks;
  const h: Record<string, string> = {};
  const primary = d.requestWindows[0];
  const minusOne = q.responsesMinusOneHeaders === true && api === 'responses';
  if (!q.omitLimitHeaders) {
    h['x-ratelimit-limit-requests'] = String(q.limitRequestsAsRpm ? Math.round(d.rpm) : (primary?.limit ?? 0));
    h['x-ratelimit-limit-tokens'] = minusOne ? '-1' : String(Math.floor(effectiveTpm));
  }
  h['x-ratelimit-remaining-requests'] = String(decision.remainingRequests);
  h['x-ratelimit-remaining-tokens'] = minusOne ? '-1' : String(decision.remainingTokens);
  h['x-ratelimit-reset-requests'] = String(toSeconds(decision.resetRequestsMs));
  h['x-ratelimit-reset-tokens'] = minusOne ? '0' : String(toSeconds(decision.resetTokensMs));
  if (!decision.admitted) {
    const legacy = q.legacy2023Headers === true;
    if (legacy) {
      h['x-rate-limit-reset-tokens'] = String(toSeconds(decision.waitMs));
      h['policy-id'] = decision.reason === 'tokens' ? 'DeploymentRatelimit-Token' : 'DeploymentRatelimit-Call';
    }
    if (decision.reason === 'tokens') h['x-ratelimit-reset-tokens'] = minusOne ? '0' : String(toSeconds(decision.waitMs));
    else h['x-ratelimit-reset-requests'] = String(toSeconds(decision.waitMs));
    if (!legacy && !minusOne) {
      h['retry-after-ms'] = String(Math.ceil(decision.waitMs));
      h['retry-after'] = String(Math.max(1, Math.ceil(decision.waitMs / 1000)));
    }
  }
  return h;
}
