/**
 * The client's own ledger of enqueued tokens per deployment. Azure offers no query for the quota left, so
 * jobs are admitted only while the estimates of this run's non-terminal jobs fit the configured budget
 * together; a job's tokens are released when it reaches a terminal state.
 */
export class EnqueuedLedger {
  readonly budget: number;
  readonly #held = new Map<string, number>();

  constructor(budget: number) {
    this.budget = budget;
  }

  get held(): number {
    let sum = 0;
    for (const t of this.#held.values()) sum += t;
    return sum;
  }

  /** True when `tokens` fit beside what is held (a lone job always fits: the planner capped its size). */
  fits(tokens: number): boolean {
    return this.#held.size === 0 || this.held + tokens <= this.budget;
  }

  hold(jobId: string, tokens: number): void {
    this.#held.set(jobId, tokens);
  }

  release(jobId: string): void {
    this.#held.delete(jobId);
  }

  get jobs(): number {
    return this.#held.size;
  }
}
