/**
 * An unseen tenant sharing a deployment's quota (scenario S3): plain HTTP requests, paced to use at most
 * a share of the TPM, invisible to the scheduler except through 429s and `remaining-*` headers. It
 * competes for the same windows, so it often gets less than its share (a 429 sends it to the back of the
 * window); the bound therefore uses what it was really admitted (`admissions`), not the share. The
 * quick bench checks both: admitted > 0 and ≤ the paced share (+ its first request).
 */
import type { Clock } from '../../src/internal/clock.ts';

export interface ForeignTenant {
  stop(): Promise<void>;
  /** Tokens the tenant got admitted. */
  readonly admittedTokens: () => number;
  /**
   * Each admitted request, stamped when its response arrived on `clock` (after the server admitted it:
   * a late stamp can only make a bound built from it lower, never invalid).
   */
  readonly admissions: () => readonly { readonly atMs: number; readonly tokens: number }[];
}

const MAX_TOKENS = 2_000;

export function startForeignTenant(options: {
  baseURL: string;
  apiKey: string;
  deployment: string;
  tokensPerMinute: number;
  clock: Clock;
}): ForeignTenant {
  const { clock } = options;
  const cost = MAX_TOKENS + 1; // ceil(4 chars / 4) + max_tokens
  const intervalMs = (cost / options.tokensPerMinute) * 60_000;
  let stopped = false;
  let admitted = 0;
  const admissions: { atMs: number; tokens: number }[] = [];
  let inFlight: Promise<void> = Promise.resolve();
  let timer: { cancel(): void } | undefined;
  const body = JSON.stringify({ model: options.deployment, messages: [{ role: 'user', content: 'ping' }], max_tokens: MAX_TOKENS });

  const send = async (): Promise<number> => {
    try {
      const response = await fetch(`${options.baseURL}chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'api-key': options.apiKey },
        body,
      });
      await response.arrayBuffer();
      if (response.status === 200) {
        admitted += cost;
        admissions.push({ atMs: clock.now(), tokens: cost });
        return intervalMs;
      }
      const hint = Number(response.headers.get('retry-after-ms'));
      return Number.isFinite(hint) && hint > 0 ? hint : 1_000;
    } catch {
      return 1_000;
    }
  };
  const tick = () => {
    if (stopped) return;
    const started = clock.now();
    inFlight = send().then((waitMs) => {
      if (!stopped) timer = clock.setTimer(tick, Math.max(0, started + waitMs - clock.now()));
    });
  };
  tick();
  return {
    admittedTokens: () => admitted,
    admissions: () => admissions,
    async stop() {
      stopped = true;
      timer?.cancel();
      await inFlight;
    },
  };
}
