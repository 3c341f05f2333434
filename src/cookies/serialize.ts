/**
 * Serializing `Set-Cookie` headers: a cookie, its deletion, and the checks that keep a header
 * one a browser will store.
 *
 * @module
 */
import { CookieNameError, CookieOptionsError, CookieTooLargeError, CookieValueError } from './errors.js';
import { invalidCookieValueIndex, isAttributeValue, isCookieName } from './syntax.js';

/** `SameSite` values; matched case-insensitively, written capitalized. */
export type SameSite = 'lax' | 'strict' | 'none' | 'Lax' | 'Strict' | 'None';
/**
 * Chromium's `Priority` values; matched case-insensitively, written capitalized. `high` keeps
 * the session cookie when the browser evicts cookies of a crowded domain.
 */
export type CookiePriority = 'low' | 'medium' | 'high' | 'Low' | 'Medium' | 'High';

/** Attributes of a `Set-Cookie` header. Unset attributes are not written. */
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

/** rfc6265bis: a Set-Cookie whose name plus value exceeds this is ignored entirely. */
export const MAX_COOKIE_NAME_VALUE_BYTES = 4096;
/**
 * rfc6265bis: an attribute value longer than this is ignored (the cookie is kept without it).
 * {@link serializeCookie} rejects longer `Path` and `Domain` values instead.
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
      { size, limit: MAX_COOKIE_NAME_VALUE_BYTES },
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
