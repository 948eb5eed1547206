/**
 * Recursive Object.freeze for resolved, read-only data. Only plain objects and arrays are descended
 * into: functions and class instances (user scorers holding state, for example) are left untouched,
 * because freezing them would break their own methods.
 */

/** Freezes `value` and every plain object or array reachable from it; returns the same reference. */
export function deepFreeze<T>(value: T): T {
  if (!isPlainData(value) || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}

// --- internal ---

function isPlainData(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return true;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
