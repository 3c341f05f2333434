/**
 * The session cookie's name and attributes: the defaults of the AuthKit SDKs, hardened, and
 * validated once at configuration time.
 *
 * @module
 */
import { CookieOptionsError } from './errors.js';
import { type CookieOptions, type CookiePriority, type SameSite, assertCookieName, serializeCookieAttributes } from './serialize.js';

/**
 * Name of the session cookie of `@workos-inc/node`, authkit-nextjs and authkit-session. Keep it
 * to share sessions with apps using those SDKs.
 */
export const DEFAULT_SESSION_COOKIE_NAME = 'wos-session';
/**
 * 400 days in seconds: the longest lifetime browsers honour (rfc6265bis), and the AuthKit default.
 * The session's real lifetime is the refresh token's, decided by the provider.
 */
export const MAX_COOKIE_AGE_SECONDS = 34_560_000;

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether cookies for an app served at `url` should be `Secure`: always, except for plain
 * `http://` on `localhost`, `127.0.0.1` or `[::1]`, where some browsers (Safari) would refuse
 * to store a `Secure` cookie. A missing or unparseable URL counts as secure.
 *
 * @example
 * ```ts
 * isSecureDefault('http://localhost:3000/callback'); // false
 * isSecureDefault('https://app.example.com');        // true
 * isSecureDefault('http://app.example.com');         // true: never send the session in clear
 * ```
 */
export function isSecureDefault(url?: string | URL | null): boolean {
  if (url === undefined || url === null) return true;
  try {
    const parsed = typeof url === 'string' ? new URL(url) : url;
    return !(parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname));
  } catch {
    return true;
  }
}

/**
 * Settings of the session cookie; every field optional. Resolved by
 * {@link sessionCookieDefaults}; the `cookie` option of `createSessionHandler` takes the same.
 */
export interface SessionCookieConfig {
  /** Cookie name. Default `wos-session`; `__Host-wos-session` is the hardened choice. */
  name?: string;
  /** The app's public URL (or redirect URI); decides the default of `secure` via {@link isSecureDefault}. */
  url?: string | URL;
  /** Lifetime in seconds. Default {@link MAX_COOKIE_AGE_SECONDS} (400 days). */
  maxAge?: number;
  /** Default `lax`. */
  sameSite?: SameSite;
  /** Unset by default (host-only cookie). */
  domain?: string;
  /** Default `/`. */
  path?: string;
  /** Overrides the URL-derived default. */
  secure?: boolean;
  /** Chromium's eviction priority. Unset by default. */
  priority?: CookiePriority;
  /** CHIPS partitioned cookie, for an app embedded in another site's iframe. Unset by default. */
  partitioned?: boolean;
}

/** A resolved session cookie: its name and the options to set (and delete) it with. */
export interface SessionCookie {
  /** The cookie name (the base name when the session is split into chunks). */
  readonly name: string;
  /** Validated attributes, frozen; pass them unchanged when deleting the cookie. */
  readonly options: Readonly<CookieOptions>;
}

/**
 * Resolves the session cookie's name and options: `HttpOnly`, `Secure` (see
 * {@link isSecureDefault}), `SameSite=Lax`, `Path=/`, `Max-Age=34560000`, name `wos-session`.
 * A `__Host-`/`__Secure-` name turns `Secure` on unless it is explicitly disabled. Validates
 * everything at once, so a bad configuration fails at startup, not on the first sign-in.
 *
 * @throws {CookieNameError | CookieOptionsError} on an invalid configuration.
 *
 * @example
 * ```ts
 * const cookie = sessionCookieDefaults({ name: '__Host-wos-session', url: process.env.APP_URL });
 * serializeCookie(cookie.name, sealed, cookie.options);
 * ```
 */
export function sessionCookieDefaults(config: SessionCookieConfig = {}): SessionCookie {
  const name = config.name ?? DEFAULT_SESSION_COOKIE_NAME;
  assertCookieName(name);
  if (config.maxAge !== undefined && !(Number.isSafeInteger(config.maxAge) && config.maxAge > 0)) {
    // Zero or negative would delete the session the moment it is set.
    throw new CookieOptionsError(`maxAge must be a positive integer number of seconds, got ${String(config.maxAge)}`);
  }
  const prefixed = /^__(host|secure)-/i.test(name);
  const options: CookieOptions = {
    path: config.path ?? '/',
    maxAge: config.maxAge ?? MAX_COOKIE_AGE_SECONDS,
    httpOnly: true,
    secure: config.secure ?? (prefixed || isSecureDefault(config.url)),
    sameSite: config.sameSite ?? 'lax',
  };
  if (config.domain !== undefined) options.domain = config.domain;
  if (config.priority !== undefined) options.priority = config.priority;
  if (config.partitioned !== undefined) options.partitioned = config.partitioned;
  serializeCookieAttributes(name, options);
  return Object.freeze({ name, options: Object.freeze(options) });
}
