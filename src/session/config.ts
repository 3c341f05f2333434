import { createKeyring, type Keyring, type PasswordInput, type SealFormat } from '../seal/index.js';
import { ConfigError } from './errors.js';
import type { EventOptions } from './events.js';

/**
 * Options of `SessionManager`. Every one falls back to an environment variable where one is
 * named, so `new SessionManager()` works when `WORKOS_CLIENT_ID`, `WORKOS_API_KEY` and
 * `WORKOS_COOKIE_PASSWORD` are set. Problems are reported together in one `ConfigError`.
 *
 * @example
 * ```ts
 * const options: SessionManagerOptions = {
 *   clientId: process.env.WORKOS_CLIENT_ID,
 *   apiKey: process.env.WORKOS_API_KEY,
 *   cookiePassword: [process.env.NEW_COOKIE_PASSWORD!, process.env.OLD_COOKIE_PASSWORD!], // newest first
 *   clockToleranceSec: 10,
 * };
 * const sessions = new SessionManager(options);
 * ```
 */
export interface SessionManagerOptions extends EventOptions {
  /** `WORKOS_CLIENT_ID`. */
  clientId?: string;
  /** `WORKOS_API_KEY`. Optional for public clients (they must use PKCE). */
  apiKey?: string;
  /**
   * `WORKOS_COOKIE_PASSWORD`. A password of 32+ characters (Iron), a Fernet key, or a list of
   * them, newest first, to rotate passwords without signing anyone out. In a list that mixes
   * Iron passwords and Fernet keys, declare the keys: `[ironPassword, { format: 'fernet',
   * secret: fernetKey }]`. A refreshed Iron cookie is sealed with the newest Iron password; a
   * refreshed Fernet cookie with the key that opened it (the app that wrote it knows no other).
   */
  cookiePassword?: PasswordInput;
  /** `WORKOS_BASE_URL`, or `https://` + `WORKOS_API_HOSTNAME`. Default `https://api.workos.com`. */
  baseUrl?: string;
  /** Accepted `iss` values (exact match). Default: the issuers WorkOS uses for `baseUrl` and `clientId`. */
  issuer?: string | readonly string[];
  /** Expected `aud`. Default: the client id, checked when the token has an `aud`; required when set here. */
  audience?: string;
  /** Leeway on `exp`, `nbf` and `iat`, in seconds. Default 5. */
  clockToleranceSec?: number;
  /** Format of newly sealed cookies. Default `'iron'` (what @workos-inc/node writes). */
  sealFormat?: SealFormat;
  /** Format of refreshed cookies: `'preserve'` (default) keeps the incoming cookie's format. */
  refreshSealFormat?: SealFormat | 'preserve';
  /** Timeout of each call to the provider, in milliseconds. Default 8000 (below the refresh lock of 10 s). */
  timeoutMs?: number;
  /**
   * JWKS cache tuning, in milliseconds: `maxAgeMs` (default 600 000), the age after which keys
   * are refetched in the background while still served; `cooldownMs` (default 10 000), the least
   * time between fetches caused by an unknown `kid`; `timeoutMs` (default 5 000), the bound on
   * one fetch.
   */
  jwks?: {
    /** Age after which keys are refetched in the background while still served. Default 600 000. */
    maxAgeMs?: number;
    /** Least time between fetches caused by an unknown `kid`, so forged tokens cannot flood the provider. Default 10 000. */
    cooldownMs?: number;
    /** Bound on one fetch of the key set. Default 5 000. */
    timeoutMs?: number;
  };
  /** `fetch` to reach the provider with (tests, proxies, workers with bindings). */
  fetch?: typeof fetch;
  /** Clock in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Where to read environment fallbacks from. Default `process.env` when there is one. */
  env?: Record<string, string | undefined>;
}

/** Options after defaults, environment and validation. */
export interface ResolvedConfig {
  clientId: string;
  apiKey: string | undefined;
  keyring: Keyring;
  /** The passwords as configured, kept to derive the sign-in state key. */
  password: PasswordInput;
  baseUrl: string;
  issuers: string[];
  audience: string;
  requireAudience: boolean;
  clockToleranceSec: number;
  sealFormat: SealFormat;
  refreshSealFormat: SealFormat | 'preserve';
  timeoutMs: number | undefined;
  jwks: { maxAgeMs?: number; cooldownMs?: number; timeoutMs?: number };
  fetch: typeof fetch | undefined;
  now: () => number;
}

const defaults = {
  baseUrl: 'https://api.workos.com',
  clockToleranceSec: 5,
  sealFormat: 'iron' as SealFormat,
};

function processEnv(): Record<string, string | undefined> {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env ?? {};
}

function baseUrlFromEnv(env: Record<string, string | undefined>): string | undefined {
  if (env.WORKOS_BASE_URL) return env.WORKOS_BASE_URL;
  if (!env.WORKOS_API_HOSTNAME) return undefined;
  const scheme = env.WORKOS_API_HTTPS === 'false' ? 'http' : 'https';
  const port = env.WORKOS_API_PORT ? `:${env.WORKOS_API_PORT}` : '';
  return `${scheme}://${env.WORKOS_API_HOSTNAME}${port}`;
}

/**
 * The issuers WorkOS puts in access tokens for this API base URL and client: the default of the
 * `issuer` option. Useful to accept one more issuer without losing the defaults.
 *
 * @example
 * ```ts
 * const sessions = new SessionManager({
 *   clientId,
 *   apiKey,
 *   cookiePassword,
 *   issuer: [...defaultIssuers('https://api.workos.com', clientId), 'https://auth.example.com'],
 * });
 * ```
 */
export function defaultIssuers(baseUrl: string, clientId: string): string[] {
  return [baseUrl, `${baseUrl}/`, `${baseUrl}/user_management/${clientId}`];
}

/** Applies defaults and environment fallbacks, and reports every problem in one {@link ConfigError}. */
export function resolveConfig(options: SessionManagerOptions): ResolvedConfig {
  const env = options.env ?? processEnv();
  const problems: string[] = [];

  const clientId = options.clientId ?? env.WORKOS_CLIENT_ID;
  if (!clientId) problems.push('clientId is required (option `clientId` or WORKOS_CLIENT_ID)');

  const rawBaseUrl = options.baseUrl ?? baseUrlFromEnv(env) ?? defaults.baseUrl;
  let baseUrl = rawBaseUrl.replace(/\/+$/, '');
  try {
    const url = new URL(rawBaseUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
    if (url.search || url.hash) throw new Error('query');
  } catch {
    problems.push(`baseUrl ${JSON.stringify(rawBaseUrl)} is not an http(s) URL without query`);
    baseUrl = defaults.baseUrl;
  }

  const password = options.cookiePassword ?? env.WORKOS_COOKIE_PASSWORD;
  let keyring: Keyring | undefined;
  if (password === undefined || password === '' || (Array.isArray(password) && password.length === 0)) {
    problems.push('cookiePassword is required (option `cookiePassword` or WORKOS_COOKIE_PASSWORD); generate one with `npx sealed-session keygen`');
  } else {
    try {
      keyring = createKeyring(password);
    } catch (error) {
      problems.push(`cookiePassword: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const clockToleranceSec = options.clockToleranceSec ?? defaults.clockToleranceSec;
  if (!Number.isFinite(clockToleranceSec) || clockToleranceSec < 0 || clockToleranceSec > 300) {
    problems.push('clockToleranceSec must be between 0 and 300 seconds');
  }
  const sealFormat = options.sealFormat ?? defaults.sealFormat;
  if (sealFormat !== 'iron' && sealFormat !== 'fernet') problems.push('sealFormat must be "iron" or "fernet"');
  const refreshSealFormat = options.refreshSealFormat ?? 'preserve';
  if (!['iron', 'fernet', 'preserve'].includes(refreshSealFormat)) {
    problems.push('refreshSealFormat must be "iron", "fernet" or "preserve"');
  }

  if (keyring) {
    // Caught here rather than by the first sign-in, or by a refresh after its token is spent.
    const wanted: Array<[string, unknown]> = [['sealFormat', sealFormat], ['refreshSealFormat', refreshSealFormat]];
    for (const [option, format] of wanted) {
      if ((format === 'iron' || format === 'fernet') && keyring.newestId(format) === undefined) {
        problems.push(`${option} is "${format}" but no cookiePassword seals ${format === 'iron' ? 'Iron' : 'Fernet (a 32-byte key)'}`);
      }
    }
  }

  const issuers = options.issuer === undefined ? undefined : typeof options.issuer === 'string' ? [options.issuer] : [...options.issuer];
  if (issuers && (issuers.length === 0 || issuers.some((issuer) => typeof issuer !== 'string' || !issuer))) {
    problems.push('issuer must be a non-empty string or list of strings');
  }

  if (problems.length > 0 || !clientId || !keyring) throw new ConfigError(problems);
  return {
    clientId,
    apiKey: options.apiKey ?? env.WORKOS_API_KEY ?? undefined,
    keyring,
    password: password as PasswordInput,
    baseUrl,
    issuers: issuers ?? defaultIssuers(baseUrl, clientId),
    audience: options.audience ?? clientId,
    requireAudience: options.audience !== undefined,
    clockToleranceSec,
    sealFormat,
    refreshSealFormat,
    timeoutMs: options.timeoutMs,
    jwks: options.jwks ?? {},
    fetch: options.fetch,
    now: options.now ?? Date.now,
  };
}
