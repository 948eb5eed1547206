/**
 * Recognising secrets that users paste where they do not belong, so messages can refuse them
 * without ever echoing them.
 */
import { looksLikeSecret } from '../internal/describe-value.ts';

/** Option names that can only mean "a secret was put in the config". */
const SECRET_KEY_PATTERN = /^(api[-_]?key|key|secret|client[-_]?secret|token|access[-_]?token|bearer|password|authorization)$/i;

/** Header names that carry credentials. */
const SECRET_HEADER_PATTERN = /^(api-key|authorization|x-api-key|ocp-apim-subscription-key|proxy-authorization)$/i;

/** A valid environment variable name (what `apiKeyEnv` must hold). */
export const ENV_VAR_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isSecretKeyName(name: string): boolean {
  return SECRET_KEY_PATTERN.test(name);
}

export function isSecretHeaderName(name: string): boolean {
  return SECRET_HEADER_PATTERN.test(name);
}

/** Key-looking strings are recognised by the same heuristic that keeps them out of messages. */
export { looksLikeSecret };

/** The fix users need, for every "secret in config" message. */
export const SECRET_FIX =
  'secrets do not belong in the config (value not shown); put the key in an environment variable and name it with auth: { apiKeyEnv: "AZURE_OPENAI_API_KEY" }, or use auth: { entra: {} }';
