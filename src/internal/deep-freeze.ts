/**
 * Deep copy and deep freeze for resolved, read-only DATA. Only plain objects and arrays count as data;
 * functions, class instances and plain objects that carry methods (a user's `{ name, score() }`
 * scorer) are behaviour: they are shared by reference and never frozen, because freezing them would
 * break their own methods and mutate the caller's objects.
 */

/** Freezes `value` and every data object or array reachable from it; returns the same reference. */
export function deepFreeze<T>(value: T): T {
  if (!isData(value) || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}

/** A copy of every data object and array in `value`; behaviour and primitives are kept as they are. */
export function copyData<T>(value: T): T {
  if (!isData(value)) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => copyData(item)) as T;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = copyData(item);
  return copy as T;
}

// --- internal ---

function isData(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return true;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  return !Object.values(value).some((item) => typeof item === 'function');
}
