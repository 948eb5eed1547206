/**
 * Words for "what was found" in validation messages (`7 (number)`, `"foo"`, `an array of 3`) and the
 * `a.b[0].c` path notation, shared by every module that validates user input. Strings that look like
 * keys are never echoed.
 */

/** What was found: strings quoted (unless secret-looking), numbers and booleans with their type. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    if (looksLikeSecret(value)) return `a ${value.length}-character string that looks like a secret (not shown)`;
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${String(value)} (${typeof value})`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return 'an object';
}

/** `targets[1].deployments[0].auth`; an empty path reads as `root`. */
export function formatPath(path: readonly PropertyKey[], root = 'config'): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][\w$]*$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text === '' ? root : text;
}

/**
 * Heuristic for key-looking strings: OpenAI-style `sk-` keys, JWTs, and long unbroken runs of key
 * characters mixing letters and digits (Azure keys are 32 or 84 characters). Hyphens break a run, so
 * long hyphenated names (`gpt-4o-mini-2024-07-18-global`) are not mistaken for keys.
 */
export function looksLikeSecret(value: string): boolean {
  if (/^(sk|pk|rk)[-_]/i.test(value) && value.length >= 20) return true;
  if (/^ey[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+\./.test(value)) return true;
  return /^[A-Za-z0-9+/=_]{32,}$/.test(value) && /\d/.test(value) && /[A-Za-z]/.test(value);
}
