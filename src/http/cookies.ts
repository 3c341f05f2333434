/**
 * Cookie primitives of the web integration: parse a `Cookie` request header, serialize and
 * delete `Set-Cookie` headers, and the defaults of the session cookie.
 *
 * Pure functions over strings, Web standards only, so they run unchanged on Node, Bun, Deno
 * and workers. Chunking a session across several cookies lives in `./chunks.ts`.
 *
 * @module
 */
import { CookieNameError, CookieOptionsError, CookieTooLargeError, CookieValueError } from './cookie-errors.js';
import { invalidCookieValueIndex, isAttributeValue, isCookieName } from './cookie-syntax.js';

export {
  CookieError,
  CookieNameError,
  CookieOptionsError,
  CookieTooLargeError,
  CookieValueError,
  type CookieErrorCode,
} from './cookie-errors.js';
export { isCookieName, utf8ByteLength } from './cookie-syntax.js';
export {
  MAX_COOKIE_HEADER_LENGTH,
  MAX_COOKIE_PAIRS,
  parseCookieHeader,
  type HeadersLike,
  type ParseCookieOptions,
} from './cookie-parse.js';

// ---------------------------------------------------------------------------------------------
// Serializing

/**
 * `SameSite` values; matched case-insensitively, written capitalized.
 *
 * @example
 * ```ts
 * const sameSite: SameSite = 'lax'; // sent on top-level navigations from other sites, as sign-in needs
 * ```
 */
export type SameSite = 'lax' | 'strict' | 'none' | 'Lax' | 'Strict' | 'None';
/**
 * Chromium's `Priority` values; matched case-insensitively, written capitalized. `high` keeps
 * the session cookie when the browser evicts cookies of a crowded domain.
 *
 * @example
 * ```ts
 * const cookie = sessionCookieDefaults({ priority: 'high' satisfies CookiePriority });
 * ```
 */
export type CookiePriority = 'low' | 'medium' | 'high' | 'Low' | 'Medium' | 'High';

/**
 * Attributes of a `Set-Cookie` header. Unset attributes are not written.
 *
 * @example
 * ```ts
 * const options: CookieOptions = { path: '/', httpOnly: true, secure: true, sameSite: 'lax', maxAge: 3600 };
 * serializeCookie('theme', 'dark', options);
 * ```
 */
export interface CookieOptions {
  /** Must start with `/`. */
  path?: string;
  /** Sends the cookie to subdomains too; leave unset unless needed (and never with `__Host-`). */
  domain?: string;
  /** Lifetime in whole seconds; `0` deletes. Browsers cap it at 400 days. */
  maxAge?: number;
  /** Absolute expiry, for clients that ignore `Max-Age`. */
  expires?: Date;
  /** Hides the cookie from page scripts (`document.cookie`); always on for the session cookie. */
  httpOnly?: boolean;
  /** Forced on by `sameSite: 'none'` and `partitioned`, which browsers reject without it. */
  secure?: boolean;
  /** When browsers send the cookie on cross-site requests; `'lax'` suits sign-in redirects. */
  sameSite?: SameSite;
  /** Chromium's eviction priority. */
  priority?: CookiePriority;
  /** CHIPS partitioned cookie. */
  partitioned?: boolean;
}

/**
 * rfc6265bis: a Set-Cookie whose name plus value exceeds this is ignored entirely.
 *
 * @example
 * ```ts
 * const fits = name.length + sealed.length <= MAX_COOKIE_NAME_VALUE_BYTES; // else write chunks
 * ```
 */
export const MAX_COOKIE_NAME_VALUE_BYTES = 4096;
/**
 * rfc6265bis: an attribute value longer than this is ignored (the cookie is kept without it).
 * {@link serializeCookie} rejects longer `Path` and `Domain` values instead.
 *
 * @example
 * ```ts
 * if (basePath.length > MAX_ATTRIBUTE_VALUE_BYTES) throw new Error('base path too long for a cookie Path');
 * ```
 */
export const MAX_ATTRIBUTE_VALUE_BYTES = 1024;

/**
 * Serializes a `Set-Cookie` header value. The value is written as given (no percent-encoding),
 * so sealed Iron (`Fe26.2*…~2`) and Fernet (`gAAAA…==`) values stay byte-identical to what the
 * official SDKs write and read.
 *
 * Attributes follow the order of `@workos/authkit-session`:
 * `Path; Domain; Max-Age; Expires; HttpOnly; Secure; SameSite; Priority; Partitioned`.
 *
 * @throws {CookieNameError} `name` is not an RFC 6265 token.
 * @throws {CookieValueError} `value` has a character outside cookie-octets (encode it first).
 * @throws {CookieOptionsError} attributes a browser would reject, including `__Host-`/`__Secure-` rules.
 * @throws {CookieTooLargeError} name plus value exceed 4096 bytes (the browser would drop it).
 *
 * @example
 * ```ts
 * serializeCookie('wos-session', sealed, { path: '/', httpOnly: true, secure: true, sameSite: 'lax', maxAge: 34560000 });
 * // 'wos-session=Fe26.2*…~2; Path=/; Max-Age=34560000; HttpOnly; Secure; SameSite=Lax'
 * ```
 */
export function serializeCookie(name: string, value: string, options: CookieOptions = {}): string {
  assertCookieName(name);
  assertCookieValue(value);
  const size = name.length + value.length; // both ASCII once validated
  if (size > MAX_COOKIE_NAME_VALUE_BYTES) {
    throw new CookieTooLargeError(
      `cookie "${name}" is ${size} bytes (name + value); browsers drop cookies over ${MAX_COOKIE_NAME_VALUE_BYTES}`,
      size,
      MAX_COOKIE_NAME_VALUE_BYTES,
    );
  }
  return `${name}=${value}${serializeCookieAttributes(name, options)}`;
}

const EPOCH = new Date(0);

/**
 * A `Set-Cookie` that deletes the cookie `name`: empty value, `Max-Age=0` and
 * `Expires=Thu, 01 Jan 1970 00:00:00 GMT`. Pass the options the cookie was set with: a browser
 * only replaces a cookie with the same name, path and domain (and partition).
 *
 * @example
 * ```ts
 * deleteCookie('wos-session', { path: '/', httpOnly: true, secure: true, sameSite: 'lax' });
 * // 'wos-session=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax'
 * ```
 */
export function deleteCookie(name: string, options: CookieOptions = {}): string {
  return serializeCookie(name, '', deletionOptions(options));
}

/**
 * The options of a deletion: the same scope and flags, expired.
 *
 * @example
 * ```ts
 * serializeCookie('wos-session', '', deletionOptions(cookie.options)); // same as deleteCookie('wos-session', cookie.options)
 * ```
 */
export function deletionOptions(options: CookieOptions): CookieOptions {
  return { ...options, maxAge: 0, expires: EPOCH };
}

/**
 * Throws {@link CookieNameError} unless `name` is an RFC 6265 token. Call it on configuration,
 * at startup.
 *
 * @example
 * ```ts
 * assertCookieName('__Host-wos-session'); // ok
 * assertCookieName('wos session');        // throws CookieNameError
 * ```
 */
export function assertCookieName(name: string): void {
  if (typeof name !== 'string' || !isCookieName(name)) {
    throw new CookieNameError(`invalid cookie name ${JSON.stringify(String(name)).slice(0, 80)}: must be a non-empty RFC 6265 token`);
  }
}

/**
 * Throws {@link CookieValueError} unless `value` consists of cookie-octets (quotes allowed around
 * it). Sealed sessions always pass; encode other values first.
 *
 * @example
 * ```ts
 * assertCookieValue(sealed);                      // ok
 * assertCookieValue(encodeURIComponent('a; b')); // ok: 'a%3B%20b'
 * ```
 */
export function assertCookieValue(value: string): void {
  if (typeof value !== 'string') throw new CookieValueError('cookie value must be a string');
  const bad = invalidCookieValueIndex(value);
  if (bad !== -1) {
    // The value is likely a secret: report where, never what.
    throw new CookieValueError(
      `cookie value has a character outside RFC 6265 cookie-octets at index ${bad}; encode it (e.g. encodeURIComponent) first`,
    );
  }
}

const SAME_SITE = { lax: 'Lax', strict: 'Strict', none: 'None' } as const;
const PRIORITY = { low: 'Low', medium: 'Medium', high: 'High' } as const;

/**
 * Validates `options` for cookie `name` and returns the attribute part of the header
 * (`"; Path=/; …"`). The same string serves every chunk of a chunked cookie.
 *
 * @throws {CookieOptionsError} see {@link serializeCookie}.
 *
 * @example
 * ```ts
 * serializeCookieAttributes('wos-session', { path: '/', httpOnly: true, sameSite: 'none' });
 * // '; Path=/; HttpOnly; Secure; SameSite=None'  (Secure forced by SameSite=None)
 * ```
 */
export function serializeCookieAttributes(name: string, options: CookieOptions): string {
  let out = '';
  const { path, domain, maxAge, expires } = options;
  if (path !== undefined) {
    checkAttribute('Path', path);
    if (!path.startsWith('/')) fail(`Path must start with "/", got ${JSON.stringify(path)}`);
    out += `; Path=${path}`;
  }
  if (domain !== undefined) {
    checkAttribute('Domain', domain);
    if (!isDomain(domain)) fail(`Domain ${JSON.stringify(domain)} is not a host name`);
    out += `; Domain=${domain}`;
  }
  if (maxAge !== undefined) {
    if (typeof maxAge !== 'number' || !Number.isSafeInteger(maxAge)) fail(`Max-Age must be an integer number of seconds, got ${String(maxAge)}`);
    out += `; Max-Age=${maxAge}`;
  }
  if (expires !== undefined) {
    if (!(expires instanceof Date) || Number.isNaN(expires.getTime())) fail('Expires must be a valid Date');
    out += `; Expires=${expires.toUTCString()}`;
  }
  if (options.httpOnly) out += '; HttpOnly';

  const sameSite = options.sameSite === undefined ? undefined : lookup(SAME_SITE, options.sameSite, 'SameSite');
  // Browsers reject `SameSite=None` and `Partitioned` without `Secure`: force it rather than emit a dead cookie.
  const secure = options.secure === true || sameSite === 'None' || options.partitioned === true;
  if (secure) out += '; Secure';
  if (sameSite !== undefined) out += `; SameSite=${sameSite}`;
  if (options.priority !== undefined) out += `; Priority=${lookup(PRIORITY, options.priority, 'Priority')}`;
  if (options.partitioned) out += '; Partitioned';

  checkPrefix(name, secure, path, domain);
  return out;
}

function checkPrefix(name: string, secure: boolean, path: string | undefined, domain: string | undefined): void {
  // rfc6265bis matches prefixes case-insensitively, and so do current browsers.
  const head = name.slice(0, 9).toLowerCase();
  if (head.startsWith('__host-')) {
    if (!secure) fail(`cookie "${name}": the __Host- prefix requires Secure`);
    if (path !== '/') fail(`cookie "${name}": the __Host- prefix requires Path=/`);
    if (domain !== undefined) fail(`cookie "${name}": the __Host- prefix forbids Domain`);
  } else if (head === '__secure-' && !secure) {
    fail(`cookie "${name}": the __Secure- prefix requires Secure`);
  }
}

function checkAttribute(attribute: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) fail(`${attribute} must be a non-empty string`);
  if (!isAttributeValue(value)) fail(`${attribute} has a character that cannot appear in a Set-Cookie header`);
  if (value.length > MAX_ATTRIBUTE_VALUE_BYTES) fail(`${attribute} is over ${MAX_ATTRIBUTE_VALUE_BYTES} bytes; browsers would ignore it`);
}

function isDomain(domain: string): boolean {
  const host = domain.startsWith('.') ? domain.slice(1) : domain;
  if (host.length === 0 || host.length > 253) return false;
  for (const label of host.split('.')) {
    if (label.length === 0 || label.length > 63 || label.startsWith('-') || label.endsWith('-')) return false;
    for (let i = 0; i < label.length; i++) {
      const c = label.charCodeAt(i);
      const letter = (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a; // `| 0x20` folds ASCII upper case
      if (!letter && !(c >= 0x30 && c <= 0x39) && c !== 0x2d) return false;
    }
  }
  return true;
}

function lookup<T extends Record<string, string>>(table: T, value: unknown, attribute: string): T[keyof T] {
  const key = typeof value === 'string' ? value.toLowerCase() : '';
  if (!Object.hasOwn(table, key)) fail(`${attribute} must be one of ${Object.values(table).join(', ')}, got ${String(value)}`);
  return table[key as keyof T];
}

function fail(message: string): never {
  throw new CookieOptionsError(message);
}

// ---------------------------------------------------------------------------------------------
// Session cookie defaults

/**
 * Name of the session cookie of `@workos-inc/node`, authkit-nextjs and authkit-session. Keep it
 * to share sessions with apps using those SDKs.
 *
 * @example
 * ```ts
 * const sealed = parseCookieHeader(request.headers).get(DEFAULT_SESSION_COOKIE_NAME);
 * ```
 */
export const DEFAULT_SESSION_COOKIE_NAME = 'wos-session';
/**
 * 400 days in seconds: the longest lifetime browsers honour (rfc6265bis), and the AuthKit default.
 * The session's real lifetime is the refresh token's, decided by the provider.
 *
 * @example
 * ```ts
 * const cookie = sessionCookieDefaults({ maxAge: Math.min(30 * 86_400, MAX_COOKIE_AGE_SECONDS) });
 * ```
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
 *
 * @example
 * ```ts
 * const config: SessionCookieConfig = { name: '__Host-wos-session', url: 'https://app.example.com' };
 * const auth = createSessionHandler({ sessions, redirectUri, cookie: config });
 * ```
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

/**
 * A resolved session cookie: its name and the options to set (and delete) it with.
 *
 * @example
 * ```ts
 * const cookie: SessionCookie = sessionCookieDefaults();
 * response.headers.append('Set-Cookie', deleteCookie(cookie.name, cookie.options));
 * ```
 */
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
