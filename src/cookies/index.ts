/**
 * `sealed-session/cookies`: the cookie primitives the session handler is built on. Parse a
 * `Cookie` header, serialize and delete `Set-Cookie` headers, resolve the session cookie's
 * attributes, and split a session too large for one cookie into chunks within the browser's
 * 4096-byte budget. Pure functions over strings, Web standards only.
 *
 * @example
 * ```ts
 * import { parseCookieHeader, readChunkedCookie, sessionCookieDefaults, writeChunkedCookie } from 'sealed-session/cookies';
 *
 * const cookie = sessionCookieDefaults({ name: '__Host-wos-session', url: 'https://app.example.com' });
 * const cookies = parseCookieHeader(request.headers);
 * const read = readChunkedCookie(cookies, cookie.name);
 * const setCookies = writeChunkedCookie({ name: cookie.name, value: sealed, options: cookie.options, existingNames: cookies });
 * ```
 * @packageDocumentation
 */
export { isCookieName, utf8ByteLength } from './syntax.js';
export { MAX_COOKIE_HEADER_LENGTH, MAX_COOKIE_PAIRS, parseCookieHeader, type HeadersLike, type ParseCookieOptions } from './parse.js';
export {
  MAX_ATTRIBUTE_VALUE_BYTES,
  MAX_COOKIE_NAME_VALUE_BYTES,
  assertCookieName,
  assertCookieValue,
  deleteCookie,
  deletionOptions,
  serializeCookie,
  serializeCookieAttributes,
  type CookieOptions,
  type CookiePriority,
  type SameSite,
} from './serialize.js';
export {
  DEFAULT_SESSION_COOKIE_NAME,
  MAX_COOKIE_AGE_SECONDS,
  isSecureDefault,
  sessionCookieDefaults,
  type SessionCookie,
  type SessionCookieConfig,
} from './session-cookie.js';
export {
  COOKIE_SIZE_BUDGET,
  DEFAULT_MAX_CHUNKS,
  MAX_READ_CHUNKS,
  chunkCookieName,
  deleteChunkedCookie,
  readChunkedCookie,
  setCookieByteLength,
  writeChunkedCookie,
  type CookieJar,
  type CookieNames,
  type ReadChunkedCookieOptions,
  type ReadChunkedCookieResult,
  type WriteChunkedCookieInput,
} from './chunks.js';
