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

/** Followers of each signal: one 'abort' listener per signal fans out to all of them. */
const followers = new WeakMap<AbortSignal, Set<AbortController>>();

/**
 * Aborts `controller` (with the same reason) when `signal` aborts; the returned function detaches, so a
 * short-lived controller leaves nothing on a long-lived signal. A signal gets a single 'abort' listener
 * however many controllers follow it: EventTarget scans its listener list on every add and remove, which
 * with hundreds of attempts in flight cost more CPU than the requests' own work.
 */
export function followSignal(signal: AbortSignal, controller: AbortController): () => void {
  if (signal.aborted) {
    controller.abort(signal.reason);
    return () => undefined;
  }
  let set = followers.get(signal);
  if (set === undefined) {
    const created = new Set<AbortController>();
    followers.set(signal, created);
    signal.addEventListener(
      'abort',
      () => {
        for (const follower of [...created]) follower.abort(signal.reason);
        created.clear();
      },
      { once: true },
    );
    set = created;
  }
  set.add(controller);
  const own = set;
  return () => void own.delete(controller);
}
