/** Runtime fault schedule: holds the active FaultSpecs and answers "which faults hit this request". */
import type { Random } from '../internal/rng.ts';
import type { FaultKind, FaultSpec } from './fault-types.ts';

interface FaultState {
  spec: FaultSpec;
  fired: number;
}

export class FaultSchedule {
  #faults: FaultState[] = [];
  #nextId = 1;

  list(): FaultSpec[] {
    return this.#faults.map((f) => ({ ...f.spec }));
  }

  add(spec: FaultSpec): FaultSpec {
    const withId = { ...spec, id: spec.id ?? `fault-${this.#nextId++}` };
    this.#faults = this.#faults.filter((f) => f.spec.id !== withId.id);
    this.#faults.push({ spec: withId, fired: 0 });
    return withId;
  }

  remove(id: string): boolean {
    const before = this.#faults.length;
    this.#faults = this.#faults.filter((f) => f.spec.id !== id);
    return this.#faults.length !== before;
  }

  clear(): void {
    this.#faults = [];
  }

  get size(): number {
    return this.#faults.length;
  }

  /**
   * First fault among `kinds` that fires for this request (and counts it as fired). `elapsedMs` is emulated
   * time since start; `received` is the deployment's received-request count including this one.
   */
  fire(kinds: readonly FaultKind[], deployment: string, elapsedMs: number, received: number, random: Random): FaultSpec | undefined {
    if (this.#faults.length === 0) return undefined;
    for (const f of this.#faults) {
      if (!kinds.includes(f.spec.kind) || !this.#active(f, deployment, elapsedMs, received)) continue;
      const p = f.spec.probability ?? 1;
      if (p < 1 && random() >= p) continue;
      f.fired++;
      return f.spec;
    }
    return undefined;
  }

  /** Product of active multipliers of a passive kind (busy → latency, limitReduction → TPM factor). */
  factor(kind: 'busy' | 'limitReduction', deployment: string, elapsedMs: number): number {
    let product = 1;
    for (const f of this.#faults) {
      if (f.spec.kind !== kind || !this.#active(f, deployment, elapsedMs, Infinity)) continue;
      product *= kind === 'busy' ? (f.spec.latencyMultiplier ?? 3) : (f.spec.factor ?? 0.5);
    }
    return product;
  }

  #active(f: FaultState, deployment: string, elapsedMs: number, received: number): boolean {
    const s = f.spec;
    if (s.deployment !== undefined && s.deployment !== deployment) return false;
    if (s.fromMs !== undefined && elapsedMs < s.fromMs) return false;
    if (s.toMs !== undefined && elapsedMs >= s.toMs) return false;
    if (s.afterRequests !== undefined && received <= s.afterRequests) return false;
    if (s.maxCount !== undefined && f.fired >= s.maxCount) return false;
    return true;
  }
}
