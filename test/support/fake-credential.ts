/**
 * A TokenCredential for tests: issues `tok-<n>` tokens (or another prefix) with a configurable lifetime, counts calls, and
 * can say whether a token is one it issued and still valid (what a test server's bearer check needs).
 * No network, no real identity.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';

export interface FakeCredentialOptions {
  /** How long each token is valid. @unit milliseconds */
  readonly lifetimeMs: number;
  /** Ask callers to refresh this long after issue (AccessToken.refreshAfterTimestamp). @unit milliseconds */
  readonly refreshAfterMs?: number;
  /** Tokens are `<prefix>-<n>`; default `tok`. Distinct prefixes keep several credentials apart. */
  readonly prefix?: string;
  /** Make getToken fail with this message. */
  readonly failWith?: string;
}

export class FakeCredential implements TokenCredential {
  readonly #options: FakeCredentialOptions;
  readonly #issued = new Map<string, number>();
  /** Number of getToken calls so far. */
  calls = 0;
  /** Scopes of every getToken call, in order. */
  readonly scopes: string[][] = [];

  constructor(options: FakeCredentialOptions) {
    this.#options = options;
  }

  async getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
    this.calls++;
    this.scopes.push(Array.isArray(scopes) ? [...scopes] : [scopes]);
    if (this.#options.failWith) throw new Error(this.#options.failWith);
    const now = Date.now();
    const token = `${this.#options.prefix ?? 'tok'}-${this.calls}`;
    const expiresOnTimestamp = now + this.#options.lifetimeMs;
    this.#issued.set(token, expiresOnTimestamp);
    return {
      token,
      expiresOnTimestamp,
      tokenType: 'Bearer',
      ...(this.#options.refreshAfterMs === undefined ? {} : { refreshAfterTimestamp: now + this.#options.refreshAfterMs }),
    };
  }

  /** True for a token this credential issued that has neither expired nor been revoked. */
  isValid(token: string): boolean {
    const expiresAt = this.#issued.get(token);
    return expiresAt !== undefined && Date.now() < expiresAt;
  }

  /** Invalidates one issued token, as if it had expired at the server. */
  revoke(token: string): void {
    this.#issued.delete(token);
  }
}
