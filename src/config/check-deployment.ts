/**
 * Checks of one deployment that need more than its shape: the base URL (Azure v1 form, the emulator
 * placeholder), the auth choice, and whether the API-key variable is set. Never prints a secret.
 */
import { shownVariableName } from '../internal/redact.ts';
import { EMULATOR_BASE_URL, defaultApiKeyEnv, parseHttpURL, suggestAzureV1URL } from './endpoint.ts';
import { ENV_VAR_NAME_PATTERN, SECRET_FIX, looksLikeSecret } from './secrets.ts';

export interface DeploymentCheckContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly emulatorBaseURL?: string;
  /** Check that api-key variables are set. @default true */
  readonly checkEnv?: boolean;
}

/** The deployment fields these checks read (already shape-checked by zod). */
export interface DeploymentFields {
  readonly baseURL: string;
  readonly auth?:
    | { readonly apiKeyEnv?: string | undefined; readonly entra?: { readonly scope?: string | undefined } | undefined }
    | undefined;
}

export interface DeploymentProblem {
  /** Path relative to the deployment. */
  readonly path: (string | number)[];
  readonly message: string;
}

/**
 * `auth: {}`. The schema strips unknown keys before this check sees them, so `auth: { apiKey: '…' }`
 * also looks empty here; resolve-config drops this message when a problem inside `auth` was reported.
 */
export const EMPTY_AUTH_MESSAGE =
  'expected { apiKeyEnv: "VAR_NAME" } or { entra: {} }, got an empty object (leave auth out for the default key variable)';

/** Every problem of one deployment (empty when it is fine). */
export function checkDeployment(deployment: DeploymentFields, context: DeploymentCheckContext): DeploymentProblem[] {
  return [...checkBaseURL(deployment.baseURL, context), ...checkAuth(deployment, context)];
}

// --- internal ---

function checkBaseURL(baseURL: string, context: DeploymentCheckContext): DeploymentProblem[] {
  const path = ['baseURL'];
  if (baseURL === EMULATOR_BASE_URL) {
    if (context.emulatorBaseURL !== undefined) return [];
    return [
      {
        path,
        message:
          '"emulator" needs the embedded emulator, which is not running: add an `emulator: {…}` block to the config or pass --emulator',
      },
    ];
  }
  if (looksLikeSecret(baseURL)) return [{ path, message: `expected a URL, got a string that looks like a key; ${SECRET_FIX}` }];
  const url = parseHttpURL(baseURL);
  const source = environmentSource(baseURL, context.env);
  if (url === undefined) {
    const fix = guessURL(baseURL);
    return [
      {
        path,
        message: `expected an http(s) URL such as https://RESOURCE.openai.azure.com/openai/v1/ (or "emulator"), got ${JSON.stringify(baseURL)}${source}${fix === undefined ? '' : ` (did you mean ${fix}?)`}`,
      },
    ];
  }
  if (url.username !== '' || url.password !== '' || /(^|[?&])(api[-_]?key|key|token|sig)=/i.test(url.search)) {
    return [{ path, message: `credentials in the URL are not allowed (value not shown); ${SECRET_FIX}` }];
  }
  const suggestion = suggestAzureV1URL(url);
  if (suggestion !== undefined) {
    return [
      {
        path,
        message: `Azure v1 endpoints end in /openai/v1/${source === '' ? '' : `, got ${JSON.stringify(baseURL)}${source}`} (did you mean ${suggestion}?)`,
      },
    ];
  }
  return [];
}

function checkAuth(deployment: DeploymentFields, context: DeploymentCheckContext): DeploymentProblem[] {
  const auth = deployment.auth;
  if (auth?.apiKeyEnv !== undefined && auth.entra !== undefined) {
    return [{ path: ['auth'], message: 'expected either apiKeyEnv or entra, not both' }];
  }
  if (auth !== undefined && auth.apiKeyEnv === undefined && auth.entra === undefined) {
    return [{ path: ['auth'], message: EMPTY_AUTH_MESSAGE }];
  }
  if (auth?.entra !== undefined) return [];
  const explicit = auth?.apiKeyEnv;
  if (explicit !== undefined && !ENV_VAR_NAME_PATTERN.test(explicit)) {
    // Never echoed, whatever its length: a value that is not a variable name is most often the key itself.
    const found = looksLikeSecret(explicit)
      ? `a value that looks like the key itself; ${SECRET_FIX}`
      : `got a ${explicit.length}-character value that is not a variable name (not shown, in case it is the key itself)`;
    return [
      { path: ['auth', 'apiKeyEnv'], message: `expected the NAME of an environment variable (e.g. "AZURE_OPENAI_API_KEY"), ${found}` },
    ];
  }
  // Without a running emulator, or with a URL that is not one, the baseURL problem is the one to fix;
  // the key variable (whose default depends on the URL) comes after it.
  if (context.checkEnv === false || (deployment.baseURL === EMULATOR_BASE_URL && context.emulatorBaseURL === undefined)) return [];
  if (auth?.apiKeyEnv === undefined && deployment.baseURL !== EMULATOR_BASE_URL && parseHttpURL(deployment.baseURL) === undefined)
    return [];
  const variable = explicit ?? defaultApiKeyEnv(deployment.baseURL);
  const value = context.env[variable];
  if (value !== undefined && value.trim() !== '') return [];
  if (value !== undefined) {
    return [
      {
        path: explicit !== undefined ? ['auth', 'apiKeyEnv'] : ['auth'],
        message: `environment variable ${shownVariableName(variable)} is set but empty; put the key in it (export ${shownVariableName(variable) === variable ? variable : 'IT'}=…), or use auth: { entra: {} } for Microsoft Entra ID`,
      },
    ];
  }
  return explicit !== undefined
    ? [
        {
          path: ['auth', 'apiKeyEnv'],
          message: `environment variable ${shownVariableName(variable)} is not set; export it, or use auth: { entra: {} } for Microsoft Entra ID`,
        },
      ]
    : [
        {
          path: ['auth'],
          message: `no auth given, so the API key is read from ${variable}, which is not set; export it, name another variable with auth: { apiKeyEnv: "…" }, or use auth: { entra: {} }`,
        },
      ];
}

/** Variables a config commonly reads its endpoint from. */
const ENDPOINT_VARIABLES = ['AZURE_OPENAI_ENDPOINT', 'OPENAI_BASE_URL'];

/** ` (from AZURE_OPENAI_ENDPOINT)` when the value is that variable's, so the user knows where to fix it. */
function environmentSource(baseURL: string, env: Readonly<Record<string, string | undefined>>): string {
  const variable = ENDPOINT_VARIABLES.find((name) => env[name] !== undefined && env[name] === baseURL);
  return variable === undefined ? '' : ` (from the environment variable ${variable})`;
}

/** A bare host (`my-resource.openai.azure.com`) as the v1 URL it most likely means. */
function guessURL(text: string): string | undefined {
  const host = text.trim().replace(/\/+$/, '');
  if (!/^[a-z0-9.-]+\.[a-z]{2,}(:\d+)?(\/.*)?$/i.test(host)) return undefined;
  const url = parseHttpURL(`https://${host}`);
  if (url === undefined) return undefined;
  return suggestAzureV1URL(url) ?? url.href;
}
