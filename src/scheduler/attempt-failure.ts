/**
 * What a failed attempt means, decided in one place: which gate signal it is (quota 429, a probe of a
 * deployment that never answered, overload, configuration, a request-level fault) and, for overload,
 * whether the item may try again and when. The run loop only moves the item where this says.
 */
import { ProviderError } from '../errors.ts';
import type { ResolvedSchedulerOptions } from './defaults.ts';
import type { DispatchTicket, Gate } from './gate.ts';
import type { Entry } from './lane.ts';
import { unreachableError } from './outcomes.ts';
import type { FailureClass } from './retry.ts';
import { classifyFailure, hintWaitMs, overloadRetryDelay } from './retry.ts';

export interface FailureSignal {
  readonly cls: FailureClass;
  readonly quota429: boolean;
  readonly capacity429: boolean;
}

/** Feeds one failed attempt to its gate (pause, AIMD, breaker, mirrors) and classifies it. */
export function feedGate(
  gate: Gate,
  ticket: DispatchTicket,
  error: unknown,
  now: number,
  options: ResolvedSchedulerOptions,
  aborting: boolean,
): FailureSignal {
  const provider = error instanceof ProviderError ? error : undefined;
  const cls = classifyFailure(error);
  let capacity429 = false;
  if (cls === 'quota') {
    gate.onQuota(now, ticket, provider?.retryAfterMs, provider?.rate, options.random);
  } else if (provider?.category === 'connection' && !gate.answered) {
    // never answered: a bounded probe, then the deployment is dead like a 401 (first-contact.ts)
    gate.onUnreachable(now, error, (attempts) => unreachableError(gate.id, provider, attempts));
  } else if (cls === 'overload') {
    capacity429 = provider?.category === 'capacity';
    if (aborting && provider?.category === 'aborted') gate.onNeutral(now, ticket);
    else {
      const timeoutLike = provider?.category === 'timeout' || provider?.category === 'connection';
      gate.onOverload(now, ticket, error, provider?.rate, timeoutLike, capacity429);
    }
  } else if (cls === 'config') {
    gate.onConfigFailure(now, ticket, error);
  } else {
    gate.onRequestFault(now, ticket, provider?.rate);
  }
  return { cls, quota429: cls === 'quota', capacity429 };
}

/**
 * An overload failure costs the item one attempt: 'exhausted' when none is left, else the item's
 * backoff advances and `entry.notBefore` says when it may go again.
 */
export function planOverloadRetry(entry: Entry, error: unknown, now: number, options: ResolvedSchedulerOptions): 'exhausted' | 'delayed' {
  entry.failures++;
  if (entry.failures >= options.retry.maxAttempts) return 'exhausted';
  const provider = error instanceof ProviderError ? error : undefined;
  const hint =
    provider?.category === 'capacity' || provider?.category === 'server' ? hintWaitMs(provider.retryAfterMs, undefined) : undefined;
  const step = overloadRetryDelay(hint, entry.backoff, options.retry, options.random);
  entry.backoff = step.state;
  entry.notBefore = now + step.delayMs;
  return 'delayed';
}
