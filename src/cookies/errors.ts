import { SealedSessionError } from '../errors/base.js';

/** Stable, machine-readable codes of {@link CookieError}. */
export type CookieErrorCode =
  | 'invalid_cookie_name'
  | 'invalid_cookie_value'
  | 'invalid_cookie_options'
  | 'cookie_too_large';

/**
 * Base class of every error raised by the cookie layer. Branch on `code`, not on the message.
 * Only configuration and programming mistakes throw; parsing a request's `Cookie` header never
 * does. Messages never include a cookie's value: it is a sealed session.
 *
 * @example
 * ```ts
 * try {
 *   headers.push(...writeChunkedCookie({ name, value, options, existingNames }));
 * } catch (error) {
 *   if (error instanceof CookieError && error.code === 'cookie_too_large') shrinkTheSession();
 *   else throw error;
 * }
 * ```
 */
export abstract class CookieError extends SealedSessionError<CookieErrorCode> {}

/**
 * A cookie name that is not an RFC 6265 token (empty, or with separators, spaces or controls).
 * A configuration mistake, thrown when the cookie is configured or written: fix the name.
 */
export class CookieNameError extends CookieError {
  /** Always `'invalid_cookie_name'`. */
  readonly code = 'invalid_cookie_name';
}

/**
 * A cookie value outside RFC 6265 cookie-octets; encode it (e.g. `encodeURIComponent`) first.
 * Thrown when writing a cookie; the message gives the position, never the value.
 */
export class CookieValueError extends CookieError {
  /** Always `'invalid_cookie_value'`. */
  readonly code = 'invalid_cookie_value';
}

/**
 * Attributes that a browser would reject or silently reinterpret: a `__Host-` cookie with a
 * `Domain`, a `Path` not starting with `/`, a fractional `Max-Age`, an unknown `SameSite`, …
 * A configuration mistake: {@link cookies!sessionCookieDefaults} throws it at startup; fix the options.
 */
export class CookieOptionsError extends CookieError {
  /** Always `'invalid_cookie_options'`. */
  readonly code = 'invalid_cookie_options';
}

/**
 * The cookie cannot be stored within the browser's limits, even split into the allowed number
 * of chunks. Thrown instead of emitting a `Set-Cookie` that the browser would drop silently.
 * Seen when a session carries very many permissions or feature flags: raise `maxChunks`
 * (mind the 16 KiB request-header limit of most servers) or shorten the cookie name and attributes.
 */
export class CookieTooLargeError extends CookieError {
  /** Always `'cookie_too_large'`. */
  readonly code = 'cookie_too_large';
  /** Bytes needed (value bytes, or the serialized header when it is the header that is too large). */
  readonly size: number;
  /** The limit that was exceeded, in bytes. */
  readonly limit: number;

  /** @param message - what did not fit; @param options - `size` needed and the `limit` exceeded, in bytes. */
  constructor(message: string, options: { size: number; limit: number; cause?: unknown }) {
    super(message, options);
    this.size = options.size;
    this.limit = options.limit;
  }
}
