/**
 * Abort-signal plumbing for signals that live for a whole run. `AbortSignal.any` registers a WeakRef to
 * the combined signal on every source, and V8's minor GC treats WeakRef targets as live: one `any()` per
 * request on a long-lived signal keeps every request's signal (and what it reaches) alive into the old
 * generation, which is where a long run's memory went. These helpers combine once, or follow with a
 * listener that is removed again.
 */

/**
 * `(signal) => AbortSignal.any([signal, extra])`, built once per distinct `signal`: the scheduler hands the
 * same long-lived signal to every attempt, so a whole run builds one combined signal instead of one per
 * request. Without `extra`, the signal itself.
 */
export function combineWith(extra: AbortSignal | undefined): (signal: AbortSignal) => AbortSignal {
  if (extra === undefined) return (signal) => signal;
  let last: AbortSignal | undefined;
  let combined: AbortSignal = extra;
  return (signal) => {
    if (signal !== last) {
      last = signal;
      combined = AbortSignal.any([signal, extra]);
    }
    return combined;
  };
}

/**
 * Aborts `controller` (with the same reason) when `signal` aborts; the returned function detaches, so a
 * short-lived controller leaves nothing on a long-lived signal.
 */
export function followSignal(signal: AbortSignal, controller: AbortController): () => void {
  const onAbort = () => controller.abort(signal.reason);
  if (signal.aborted) {
    onAbort();
    return () => undefined;
  }
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}
