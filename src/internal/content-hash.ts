/**
 * Content hashes for stable identifiers (row ids, config hashes). Not for secrets or signatures.
 */
import { createHash } from 'node:crypto';

/** Hex SHA-256 of a UTF-8 string. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Hex SHA-1 of a UTF-8 string, truncated to `length` characters (ids only; collisions are checked by callers). */
export function sha1Hex(text: string, length = 40): string {
  return createHash('sha1').update(text, 'utf8').digest('hex').slice(0, length);
}

/**
 * JSON with object keys sorted at every level, so equal values always hash equally.
 * Functions become `"[function name]"`; undefined properties are dropped (as JSON.stringify does).
 */
export function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, current: unknown) => {
    if (typeof current === 'function') return `[function ${current.name || 'anonymous'}]`;
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return current;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(current).sort()) sorted[key] = (current as Record<string, unknown>)[key];
    return sorted;
  });
}
