import { codecOf, defaultFormat, sealFormats } from '../seal/codecs.js';
import { createKeyring, type Keyring, type PasswordInput, type SealFormat } from '../seal/index.js';
import {
  absoluteUrl,
  choiceProblem,
  functionProblem,
  MAX_TIMER_MS,
  numberProblem,
  objectProblem,
  optionsProblem,
  shown,
  stringProblem,
} from './config-checks.js';
import { configErrorOf } from './errors.js';
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
   * A predictable password that cookies are already sealed with can stay next to a new one as
   * `{ secret, openOnly: true }`: it opens those cookies and never seals, so they move to the
   * new password as they are refreshed (a `password.open_only_used` event for each).
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
  sealFormat: defaultFormat,
};

function processEnv(): Record<string, string | undefined> {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env ?? {};
}

/** The API base URL the environment names (`WORKOS_BASE_URL`, or `WORKOS_API_HOSTNAME` and its port and scheme). */
export function baseUrlFromEnv(env: Readonly<Record<string, string | undefined>>): string | undefined {
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
export function resolveConfig(given: SessionManagerOptions): ResolvedConfig {
  const shape = optionsProblem('new SessionManager()', given, '{ clientId, apiKey, cookiePassword }');
  if (shape) throw configErrorOf([shape]);
  const options: SessionManagerOptions = given ?? {};
  const envProblem = objectProblem('env', options.env, 'process.env');
  const env = envProblem || options.env === undefined ? processEnv() : options.env;
  const problems: Array<string | undefined> = [envProblem];

  const clientId = options.clientId ?? env.WORKOS_CLIENT_ID;
  if (clientId === undefined || clientId === '') {
    problems.push('clientId is required: set the option `clientId` or WORKOS_CLIENT_ID to the Client ID in the WorkOS dashboard (client_…)');
  } else {
    problems.push(stringProblem('clientId', clientId, 'the Client ID in the WorkOS dashboard (client_…)'));
    if (typeof clientId === 'string' && clientId.startsWith('sk_')) {
      problems.push('clientId holds an API key (sk_…): put the Client ID (client_…) in clientId and the key in apiKey');
    }
  }
  // An empty WORKOS_API_KEY= line in a .env file means no key.
  const givenApiKey = options.apiKey ?? env.WORKOS_API_KEY;
  const apiKey = givenApiKey === '' ? undefined : givenApiKey;
  problems.push(stringProblem('apiKey', apiKey, 'the API key in the WorkOS dashboard (sk_…), or leave it out for a public client', true));
  if (typeof apiKey === 'string' && apiKey.startsWith('client_')) {
    problems.push('apiKey holds a Client ID (client_…): put the API key (sk_…) in apiKey and the Client ID in clientId');
  }

  const rawBaseUrl: unknown = options.baseUrl ?? baseUrlFromEnv(env) ?? defaults.baseUrl;
  const parsedBaseUrl = absoluteUrl('baseUrl', rawBaseUrl, `${defaults.baseUrl} (the default) or an emulator's http://localhost:4100`);
  const baseUrl = typeof parsedBaseUrl === 'string' ? defaults.baseUrl : String(rawBaseUrl).replace(/\/+$/, '');
  if (typeof parsedBaseUrl === 'string') problems.push(parsedBaseUrl);

  const password = options.cookiePassword ?? env.WORKOS_COOKIE_PASSWORD;
  let keyring: Keyring | undefined;
  if (password === undefined || password === '' || (Array.isArray(password) && password.length === 0)) {
    problems.push('cookiePassword is required: set the option `cookiePassword` or WORKOS_COOKIE_PASSWORD; generate one with `npx sealed-session keygen`');
  } else {
    try {
      keyring = createKeyring(password);
    } catch (error) {
      problems.push(`cookiePassword: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const clockToleranceSec = options.clockToleranceSec ?? defaults.clockToleranceSec;
  problems.push(numberProblem('clockToleranceSec', clockToleranceSec, { min: 0, max: 300, unit: 'seconds', fallback: defaults.clockToleranceSec }));
  const sealFormat = options.sealFormat ?? defaults.sealFormat;
  problems.push(choiceProblem('sealFormat', sealFormat, sealFormats, defaults.sealFormat));
  const refreshSealFormat = options.refreshSealFormat ?? 'preserve';
  problems.push(choiceProblem('refreshSealFormat', refreshSealFormat, [...sealFormats, 'preserve'], 'preserve'));

  if (keyring) {
    // Caught here rather than by the first sign-in, or by a refresh after its token is spent.
    const wanted: Array<[string, unknown]> = [['sealFormat', sealFormat], ['refreshSealFormat', refreshSealFormat]];
    for (const [option, format] of wanted) {
      const codec = codecOf(format);
      if (codec && keyring.newestId(codec.format) === undefined) {
        problems.push(`${option} is "${codec.format}" but no cookiePassword seals ${codec.name}: add ${codec.keyShape}`);
      }
    }
  }

  const issuers = issuersOf(options.issuer, problems);
  problems.push(stringProblem('audience', options.audience, 'the `aud` your access tokens carry (default: the client id)'));
  problems.push(numberProblem('timeoutMs', options.timeoutMs, { min: 1, max: MAX_TIMER_MS, unit: 'milliseconds', fallback: 8000 }));
  problems.push(objectProblem('jwks', options.jwks, '{ maxAgeMs: 600000, cooldownMs: 10000, timeoutMs: 5000 }'));
  const jwks = objectProblem('jwks', options.jwks, '') ? {} : (options.jwks ?? {});
  problems.push(numberProblem('jwks.maxAgeMs', jwks.maxAgeMs, { min: 0, max: MAX_TIMER_MS, unit: 'milliseconds', fallback: 600_000 }));
  problems.push(numberProblem('jwks.cooldownMs', jwks.cooldownMs, { min: 0, max: MAX_TIMER_MS, unit: 'milliseconds', fallback: 10_000 }));
  problems.push(numberProblem('jwks.timeoutMs', jwks.timeoutMs, { min: 1, max: MAX_TIMER_MS, unit: 'milliseconds', fallback: 5_000 }));
  problems.push(functionProblem('fetch', options.fetch, 'a fetch implementation, or leave it out for globalThis.fetch'));
  problems.push(functionProblem('now', options.now, 'a clock returning milliseconds since the epoch, or leave it out for Date.now'));

  const found = problems.filter((problem): problem is string => problem !== undefined);
  if (found.length > 0 || typeof clientId !== 'string' || !keyring) throw configErrorOf(found);
  return {
    clientId,
    apiKey,
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
    jwks,
    fetch: options.fetch,
    now: options.now ?? Date.now,
  };
}

function issuersOf(issuer: unknown, problems: Array<string | undefined>): string[] | undefined {
  if (issuer === undefined) return undefined;
  const list: unknown[] = typeof issuer === 'string' ? [issuer] : Array.isArray(issuer) ? issuer : [];
  if (list.length === 0 || list.some((entry) => typeof entry !== 'string' || entry === '')) {
    problems.push(
      `issuer must be a non-empty string or list of strings, the exact \`iss\` of your tokens (leave it out for WorkOS's issuers); got ${shown(issuer)}`,
    );
    return undefined;
  }
  return list as string[];
}
