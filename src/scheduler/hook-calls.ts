/**
 * Calls the caller's hooks (onAttempt, onSettled) so that a throwing or rejecting hook becomes one
 * recorded run error instead of an exception inside the dispatch loop, and so that slow async hooks are
 * counted (the run throttles its cursors on them and awaits them before resolving).
 */
export class HookCalls {
  readonly #pending = new Set<Promise<unknown>>();
  readonly #onError: (error: unknown) => void;
  readonly #afterAsync: () => void;

  /** `afterAsync` runs whenever an async hook settles (to resume throttled cursors). */
  constructor(onError: (error: unknown) => void, afterAsync: () => void) {
    this.#onError = onError;
    this.#afterAsync = afterAsync;
  }

  /** Async hook calls not settled yet. */
  get pending(): number {
    return this.#pending.size;
  }

  call(fn: () => unknown): void {
    let result: unknown;
    try {
      result = fn();
    } catch (error) {
      this.#onError(error);
      return;
    }
    if (result === undefined || result === null || typeof (result as { then?: unknown }).then !== 'function') return;
    const pending: Promise<unknown> = Promise.resolve(result).then(
      () => {
        this.#pending.delete(pending);
        this.#afterAsync();
      },
      (error: unknown) => {
        this.#pending.delete(pending);
        this.#onError(error);
        this.#afterAsync();
      },
    );
    this.#pending.add(pending);
  }

  /** Resolves once every hook call made so far (and any they led to) has settled. */
  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}
