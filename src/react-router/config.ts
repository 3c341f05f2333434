/**
 * `configure()` and `getConfig()` with the option names and environment variables of
 * `@workos-inc/authkit-react-router`. Values passed to `configure()` win over the environment,
 * as that library documents (it reads the environment first).
 *
 * @module
 */
import { configErrorOf } from '../session/errors.js';

/** Settings of the React Router adapter; each falls back to its `WORKOS_*` environment variable. */
export interface AuthKitConfig {
  /** `WORKOS_CLIENT_ID`. Required. */
  clientId: string;
  /** `WORKOS_API_KEY`. Required. */
  apiKey: string;
  /** `WORKOS_REDIRECT_URI`: the absolute URL of the route whose loader is {@link authLoader}. Required. */
  redirectUri: string;
  /**
   * `WORKOS_COOKIE_PASSWORD`: at least 32 characters. Required. A list, newest first, rotates
   * the password: cookies sealed or signed with any of them are read, new ones use the first.
   */
  cookiePassword: string | readonly string[];
  /** `WORKOS_COOKIE_NAME`. Default `wos-session`. */
  cookieName: string;
  /** `WORKOS_COOKIE_MAX_AGE`, in seconds. Default 34 560 000 (400 days). */
  cookieMaxAge: number;
  /** `WORKOS_API_HOSTNAME`. Default `api.workos.com`. */
  apiHostname: string;
  /** `WORKOS_API_HTTPS` (`'true'`/`'false'`). Default true. */
  apiHttps: boolean;
  /** `WORKOS_API_PORT`. Default: the scheme's port. */
  apiPort?: number;
}

/** Where environment values come from: an object of variables, or a lookup function. */
export type ValueSource = Record<string, string | undefined> | ((key: string) => string | undefined);

const DEFAULTS: Partial<AuthKitConfig> = {
  cookieName: 'wos-session',
  cookieMaxAge: 34_560_000,
  apiHostname: 'api.workos.com',
  apiHttps: true,
};
const REQUIRED: ReadonlySet<keyof AuthKitConfig> = new Set(['clientId', 'apiKey', 'redirectUri', 'cookiePassword']);
const BOOLEANS: ReadonlySet<keyof AuthKitConfig> = new Set(['apiHttps']);
const INTEGERS: ReadonlySet<keyof AuthKitConfig> = new Set(['apiPort', 'cookieMaxAge']);

const processEnv: ValueSource = (key) => (typeof process === 'undefined' ? undefined : process.env?.[key]);

let values: Partial<AuthKitConfig> = {};
let source: ValueSource = processEnv;
let generation = 0;

/** `cookieMaxAge` → `WORKOS_COOKIE_MAX_AGE`. */
function envName(key: string): string {
  return `WORKOS_${key.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

function fromEnv<K extends keyof AuthKitConfig>(key: K): AuthKitConfig[K] | undefined {
  const name = envName(key);
  const raw = typeof source === 'function' ? source(name) : source[name];
  if (typeof raw !== 'string' || raw === '') return undefined;
  if (BOOLEANS.has(key)) return (raw.toLowerCase() !== 'false') as AuthKitConfig[K];
  if (INTEGERS.has(key)) {
    const number = /^\d{1,15}$/.test(raw) ? Number(raw) : 0;
    if (number <= 0) throw configErrorOf([`${name} must be a positive integer, got ${JSON.stringify(raw)}`]);
    return number as AuthKitConfig[K];
  }
  return raw as AuthKitConfig[K];
}

/**
 * Sets the adapter's configuration: values, a source of environment variables (`key =>
 * Deno.env.get(key)`), or both. Values given here win over the environment. Call it at
 * startup, before the first request; a later call applies to the requests after it.
 *
 * @throws {ConfigError} when `cookiePassword` is shorter than 32 characters.
 * @example
 * ```ts
 * configure({ redirectUri: 'http://localhost:5173/callback', cookieName: '__Host-wos-session' });
 * configure((key) => Deno.env.get(key));
 * ```
 */
export function configure(source: (key: string) => string | undefined): void;
export function configure(config: Partial<AuthKitConfig>, env?: ValueSource): void;
export function configure(config: Partial<AuthKitConfig> | ((key: string) => string | undefined), env?: ValueSource): void {
  const passed = typeof config === 'function' ? {} : config;
  const password = passed.cookiePassword;
  const passwords = typeof password === 'string' ? [password] : (password ?? []);
  if (passwords.some((entry) => typeof entry !== 'string' || entry.length < 32)) {
    throw configErrorOf(['cookiePassword must be at least 32 characters long']);
  }
  values = { ...values, ...passed };
  if (typeof config === 'function') source = config;
  else if (env !== undefined) source = env;
  generation += 1;
}

/**
 * A configuration value: from `configure()`, else the environment, else the default.
 *
 * @throws {ConfigError} when a required value (`clientId`, `apiKey`, `redirectUri`,
 * `cookiePassword`) is set nowhere, or an environment number is not one.
 * @example
 * ```ts
 * const cookieName = getConfig('cookieName'); // 'wos-session' unless configured
 * ```
 */
export function getConfig<K extends keyof AuthKitConfig>(key: K): AuthKitConfig[K] {
  const value = values[key] ?? fromEnv(key) ?? DEFAULTS[key];
  if (value === undefined && REQUIRED.has(key)) {
    throw configErrorOf([`Missing required configuration value for ${key} (${envName(key)}).`]);
  }
  return value as AuthKitConfig[K];
}

/** Changes with every `configure()` call, so what was built from the old settings is rebuilt. */
export function configGeneration(): number {
  return generation;
}
