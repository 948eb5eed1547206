/**
 * The redacted form of a resolved config (for manifests) and its hash (for resume and baselines).
 * Resolved configs hold only environment variable NAMES, never values; redaction additionally masks
 * anything stored under a secret-looking name (for example the emulator's `apiKeys`), every
 * credential-shaped value inside request `headers` and `extraBody` (users put keys there whatever the
 * docs say), and any string anywhere that is a key as a whole.
 */
import { sha256Hex, stableStringify } from '../internal/content-hash.ts';
import { REDACTED, redactValues } from '../internal/redact.ts';
import { isSecretHeaderName, isSecretKeyName, looksLikeSecret } from './secrets.ts';

/** A JSON-safe deep copy with secret-named fields masked and functions described by their source. */
export function redactConfig(value: unknown): unknown {
  return redact(value, 0);
}

/**
 * sha256 of the redacted value, with object keys sorted, so the same config always gives the same hash
 * whatever its key order. The config file's own location is left out by callers, so moving it does not
 * change the hash.
 */
export function hashConfig(value: unknown): string {
  return sha256Hex(stableStringify(redactConfig(value)));
}

// --- internal ---

const MAX_DEPTH = 32;

function redact(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) return '[too deep]';
  // A prompt function's source is what decides the prompts, so it belongs in the hash.
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}: ${String(value)}]`;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (typeof value === 'string') return looksLikeSecret(value.trim()) ? REDACTED : value;
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (isSecretKeyName(key) || /^api[-_]?keys$/i.test(key)) copy[key] = REDACTED;
    else if (REQUEST_PARTS.test(key)) copy[key] = redactValues(item, isCredentialName);
    else copy[key] = redact(item, depth + 1);
  }
  return copy;
}

/** Fields whose contents are sent verbatim with every request. */
const REQUEST_PARTS = /^(headers|extraBody|extra_body|defaultHeaders|defaultQuery)$/;

function isCredentialName(name: string): boolean {
  return isSecretKeyName(name) || isSecretHeaderName(name) || /(^|[-_])(key|token|secret|password|signature|sig)$/i.test(name);
}
