/**
 * Masks credential-shaped text before it reaches any artifact (manifest, journal, reports, console,
 * error messages). Users put keys where they do not belong (a custom header, `extraBody`, a value
 * meant to be a variable name), and servers sometimes echo a header back in an error message, so
 * redaction goes by the shape of the value, not only by the field's name.
 */
import { looksLikeSecret } from './describe-value.ts';

/** What replaces a credential. */
export const REDACTED = '[redacted]';

/**
 * Credential shapes inside free text. Each keeps a readable prefix where there is one (`Bearer `,
 * `api-key: `) so a message still says what kind of value was removed.
 */
const IN_TEXT: readonly [RegExp, string][] = [
  // Authorization schemes: "Bearer <token>", "Basic <base64>".
  [/\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1$2${REDACTED}`],
  // "api-key: value", "x-api-key=value", "apiKey": "value", "subscription-key: value", "token=value".
  [
    /\b((?:x-)?api[-_]?key|ocp-apim-subscription-key|subscription[-_]?key|access[-_]?token|client[-_]?secret|password|secret)("?\s*[:=]\s*"?)[^\s",;&}]{4,}/gi,
    `$1$2${REDACTED}`,
  ],
  // OpenAI-style keys: sk-…, sk-proj-…, also pk-/rk-.
  [/\b(?:sk|pk|rk)-[A-Za-z0-9_-]{16,}/g, REDACTED],
  // JWTs (Entra access tokens): three base64url parts, the first starting with eyJ.
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, REDACTED],
];

/** Long unbroken runs of key characters mixing letters and digits (Azure keys are 32 or 84 chars). */
const KEY_LIKE_RUN = /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/=_]{32,}(?![A-Za-z0-9+/=_-])/g;

/**
 * Replaces every credential-shaped substring of `text` with `[redacted]`. Long letter-and-digit runs
 * count only when `keyLikeRuns` is set: free text such as a model's answer may legitimately hold a
 * hash, while a header value or an error message should not.
 */
export function redactText(text: string, options: { readonly keyLikeRuns?: boolean } = {}): string {
  let out = text;
  for (const [pattern, replacement] of IN_TEXT) out = out.replace(pattern, replacement);
  if (options.keyLikeRuns) out = out.replace(KEY_LIKE_RUN, (run) => (/\d/.test(run) && /[A-Za-z]/.test(run) ? REDACTED : run));
  return out;
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'<>]+/gi;

/**
 * Masks credentials inside the URLs of `text` (`?api-key=…`, a bearer in a query) and leaves the words
 * around them alone: for our own messages, whose config paths may end in a secret-named field
 * (`auth.apiKey: secrets do not belong …`) that `redactText` would take for a key and value.
 */
export function redactUrls(text: string): string {
  return text.replace(URL_IN_TEXT, (url) => redactText(url));
}

/** True when `value` would be changed by `redactText(value, { keyLikeRuns: true })` or is a key as a whole. */
export function containsCredential(value: string): boolean {
  return looksLikeSecret(value.trim()) || redactText(value, { keyLikeRuns: true }) !== value;
}

/**
 * An `apiKeyEnv` value as messages may show it: a conventional variable name (upper case, digits,
 * underscores) is shown; anything else — or anything shaped like a key — may be a key pasted in the
 * wrong place, so only its length is, whatever that length (a 17-character key was once echoed).
 */
export function shownVariableName(name: string): string {
  return /^[A-Z_][A-Z0-9_]*$/.test(name) && !containsCredential(name)
    ? name
    : `named in auth.apiKeyEnv (${name.length} characters, not shown in case it is the key itself)`;
}

/**
 * A deep copy of a header map or request body with every credential-shaped string masked. Values under
 * a credential-named key (`api-key`, `authorization`, …) are masked whatever they look like.
 */
export function redactValues(value: unknown, isSecretName: (name: string) => boolean = () => false, depth = 0): unknown {
  if (depth > 32) return '[too deep]';
  if (typeof value === 'string') return looksLikeSecret(value.trim()) ? REDACTED : redactText(value, { keyLikeRuns: true });
  if (Array.isArray(value)) return value.map((item) => redactValues(item, isSecretName, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] =
      isSecretName(key) && item !== null && item !== undefined && item !== '' ? REDACTED : redactValues(item, isSecretName, depth + 1);
  }
  return copy;
}
