/**
 * Facts about endpoint URLs: which hosts are Azure, what a v1 base URL looks like, and which
 * credentials an endpoint expects by default. Pure functions over strings.
 */
import { authDefaults } from './defaults.ts';

/** The literal users write to target the embedded emulator. */
export const EMULATOR_BASE_URL = 'emulator';

/** True for `*.openai.azure.com`, `*.services.ai.azure.com` and `*.cognitiveservices.azure.com`. */
export function isAzureHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return authDefaults.azureHostSuffixes.some((suffix) => host.endsWith(suffix));
}

/** Parses an http(s) URL, or returns undefined. */
export function parseHttpURL(text: string): URL | undefined {
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
}

/** The URL with exactly one trailing slash on its path (the SDK joins `chat/completions` onto it). */
export function withTrailingSlash(url: URL): string {
  const copy = new URL(url.href);
  copy.pathname = `${copy.pathname.replace(/\/+$/, '')}/`;
  return copy.href;
}

/**
 * For an Azure URL whose path lacks `/openai/v1`, the v1 base URL the user most likely meant;
 * undefined when the URL is fine or not Azure. Keeps a Foundry `/api/projects/<name>` prefix.
 */
export function suggestAzureV1URL(url: URL): string | undefined {
  if (!isAzureHost(url.hostname) || /\/openai\/v1(\/|$)/.test(url.pathname)) return undefined;
  const project = /^\/api\/projects\/[^/]+/.exec(url.pathname)?.[0] ?? '';
  return `${url.protocol}//${url.host}${project}/openai/v1/`;
}

/** Default API-key variable for an endpoint. */
export function defaultApiKeyEnv(baseURL: string): string {
  if (baseURL === EMULATOR_BASE_URL) return authDefaults.emulatorApiKeyEnv;
  const url = parseHttpURL(baseURL);
  return url && isAzureHost(url.hostname) ? authDefaults.azureApiKeyEnv : authDefaults.openaiApiKeyEnv;
}

/** Default Entra scope: Foundry project endpoints use the ai.azure.com audience. */
export function defaultEntraScope(baseURL: string): string {
  return baseURL.includes('/api/projects/') ? authDefaults.foundryProjectScope : authDefaults.entraScope;
}
