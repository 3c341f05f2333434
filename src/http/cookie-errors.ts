/**
 * Errors thrown by the cookie layer.
 *
 * Only configuration and programming mistakes throw (a bad name, an unsafe value, conflicting
 * attributes, a session too large to store). Parsing a request's `Cookie` header never throws:
 * that input belongs to the client.
 *
 * Messages never include a cookie's value: it is a sealed session.
 */

/** Stable, machine-readable codes of {@link CookieError}. */
export type CookieErrorCode =
  | 'invalid_cookie_name'
  | 'invalid_cookie_value'
  | 'invalid_cookie_options'
  | 'cookie_too_large';

/**
 * Base class of every error raised by the cookie layer. Branch on `code`, not on the message.
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
export class CookieError extends Error {
  override readonly name: string = 'CookieError';
  /** Stable machine-readable reason. */
  readonly code: CookieErrorCode;

  constructor(code: CookieErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** A cookie name that is not an RFC 6265 token (empty, or with separators, spaces or controls). */
export class CookieNameError extends CookieError {
  override readonly name = 'CookieNameError';
  declare readonly code: 'invalid_cookie_name';

  constructor(message: string) {
    super('invalid_cookie_name', message);
  }
}

/** A cookie value outside RFC 6265 cookie-octets; encode it (e.g. `encodeURIComponent`) first. */
export class CookieValueError extends CookieError {
  override readonly name = 'CookieValueError';
  declare readonly code: 'invalid_cookie_value';

  constructor(message: string) {
    super('invalid_cookie_value', message);
  }
}

/**
 * Attributes that a browser would reject or silently reinterpret: a `__Host-` cookie with a
 * `Domain`, a `Path` not starting with `/`, a fractional `Max-Age`, an unknown `SameSite`, …
 */
export class CookieOptionsError extends CookieError {
  override readonly name = 'CookieOptionsError';
  declare readonly code: 'invalid_cookie_options';

  constructor(message: string) {
    super('invalid_cookie_options', message);
  }
}

/**
 * The cookie cannot be stored within the browser's limits, even split into the allowed number
 * of chunks. Thrown instead of emitting a `Set-Cookie` that the browser would drop silently.
 */
export class CookieTooLargeError extends CookieError {
  override readonly name = 'CookieTooLargeError';
  declare readonly code: 'cookie_too_large';
  /** Bytes needed (value bytes, or the serialized header when it is the header that is too large). */
  readonly size: number;
  /** The limit that was exceeded, in bytes. */
  readonly limit: number;

  constructor(message: string, size: number, limit: number) {
    super('cookie_too_large', message);
    this.size = size;
    this.limit = limit;
  }
}
