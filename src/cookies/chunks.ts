/**
 * Size budget and chunking of the session cookie. Browsers silently drop a cookie over 4096
 * bytes, so a session that does not fit is split into `<name>.0`, `<name>.1`, …, and stale
 * chunks are deleted in the same response, so a reader never joins pieces of two sessions.
 *
 * @module
 */
import { CookieOptionsError, CookieTooLargeError, CookieValueError } from './errors.js';
import { type CookieOptions, assertCookieName, assertCookieValue, deletionOptions, serializeCookieAttributes } from './serialize.js';
import { utf8ByteLength } from './syntax.js';

/** Bytes allowed for a whole serialized `Set-Cookie` (name, value and attributes). */
export const COOKIE_SIZE_BUDGET = 4096;

/**
 * Default bound on chunks written. Every chunk comes back in the request's single `Cookie`
 * header at about 4 KB each: three keep it near 12 KB, under Node's 16 KiB limit on all
 * request headers; a fourth would start getting requests rejected with 431.
 */
export const DEFAULT_MAX_CHUNKS = 3;

/** Chunk indexes at or above this are rejected when reading (and as a `maxChunks` when writing). */
export const MAX_READ_CHUNKS = 16;

// Longer digit suffixes are not ours: `wos-session.20240101` may be another app's cookie.
const MAX_SUFFIX_DIGITS = 2;

/** Name of chunk `index` of cookie `name`: `<name>.<index>`. */
export function chunkCookieName(name: string, index: number): string {
  return `${name}.${index}`;
}

/** Names of the cookies in a request: the map from `parseCookieHeader`, or any iterable of names. */
export type CookieNames = Iterable<string> | ReadonlyMap<string, string>;

/** Cookies of a request, as returned by `parseCookieHeader` or as a plain record. */
export type CookieJar = ReadonlyMap<string, string> | Readonly<Record<string, string | undefined>>;

/**
 * Byte length of a serialized `Set-Cookie` value (UTF-8), the figure that is compared with
 * {@link COOKIE_SIZE_BUDGET}.
 *
 * @example
 * ```ts
 * setCookieByteLength('a=é'); // 4
 * ```
 */
export function setCookieByteLength(header: string): number {
  return utf8ByteLength(header);
}

/** Input of {@link writeChunkedCookie}. */
export interface WriteChunkedCookieInput {
  /** Base cookie name, e.g. `wos-session`. */
  name: string;
  /**
   * The sealed session: cookie-octets, unquoted. Sealed values contain no `%`; a value that
   * does may not survive the per-cookie percent-decoding of `parseCookieHeader` when split.
   */
  value: string;
  /** Attributes of the cookie and of every chunk. */
  options?: CookieOptions;
  /** Names of the cookies the request carried, to delete stale chunks. */
  existingNames?: CookieNames;
  /** Most chunks to write before giving up. Default {@link DEFAULT_MAX_CHUNKS}, at most {@link MAX_READ_CHUNKS}. */
  maxChunks?: number;
  /** Byte budget of each serialized `Set-Cookie`. Default and maximum {@link COOKIE_SIZE_BUDGET}. */
  budget?: number;
}

/**
 * Returns the `Set-Cookie` values that store `value` under `name`: one cookie when it fits the
 * budget, otherwise chunks `<name>.0…<name>.n-1`, followed by deletions of the stale cookies seen
 * in the request (higher chunks from a larger session, the plain cookie once chunked, every chunk
 * once plain again). Append each string as its own `Set-Cookie` header; never join them.
 *
 * @throws {CookieTooLargeError} the value needs more than `maxChunks` chunks.
 * @throws {CookieNameError | CookieValueError | CookieOptionsError} invalid input.
 *
 * @example
 * ```ts
 * const cookies = parseCookieHeader(request.headers);
 * for (const header of writeChunkedCookie({ name: cookie.name, value: sealed, options: cookie.options, existingNames: cookies })) {
 *   response.headers.append('Set-Cookie', header);
 * }
 * ```
 */
export function writeChunkedCookie(input: WriteChunkedCookieInput): string[] {
  const { name, value, options = {} } = input;
  const maxChunks = input.maxChunks ?? DEFAULT_MAX_CHUNKS;
  const budget = input.budget ?? COOKIE_SIZE_BUDGET;
  if (!Number.isSafeInteger(maxChunks) || maxChunks < 1 || maxChunks > MAX_READ_CHUNKS) {
    throw new CookieOptionsError(`maxChunks must be an integer from 1 to ${MAX_READ_CHUNKS}, got ${String(maxChunks)}`);
  }
  if (!Number.isSafeInteger(budget) || budget < 1 || budget > COOKIE_SIZE_BUDGET) {
    throw new CookieOptionsError(`budget must be an integer from 1 to ${COOKIE_SIZE_BUDGET}, got ${String(budget)}`);
  }
  assertCookieName(name);
  assertCookieValue(value);
  const attributes = serializeCookieAttributes(name, options);

  // Name, value and attributes are validated ASCII from here on: characters are bytes.
  const plain = `${name}=${value}${attributes}`;
  const headers = plain.length <= budget ? [plain] : splitIntoChunks(name, value, attributes, budget, maxChunks);
  const written = new Set<string>(headers.map((header) => header.slice(0, header.indexOf('='))));
  return headers.concat(staleDeletions(name, input.existingNames, written, options));
}

function splitIntoChunks(name: string, value: string, attributes: string, budget: number, maxChunks: number): string[] {
  if (value.startsWith('"')) {
    throw new CookieValueError('a quoted cookie value cannot be split into chunks');
  }
  const headers: string[] = [];
  let offset = 0;
  let capacity = 0;
  for (let index = 0; offset < value.length; index++) {
    const chunkName = chunkCookieName(name, index);
    capacity = budget - (chunkName.length + 1 + attributes.length);
    if (index >= maxChunks || capacity <= 0) {
      const limit = Math.max(0, capacity) * maxChunks;
      throw new CookieTooLargeError(
        `cookie "${name}" value is ${value.length} bytes; ${maxChunks} chunk(s) of a ${budget}-byte Set-Cookie hold about ${limit}`,
        { size: value.length, limit },
      );
    }
    headers.push(`${chunkName}=${value.slice(offset, offset + capacity)}${attributes}`);
    offset += capacity;
  }
  return headers;
}

/**
 * Deletions for the plain cookie `name` and every chunk of it in `existingNames`: sign-out, or a
 * session found invalid. The plain cookie is always deleted, seen or not, so sign-out works even
 * when the request came without it.
 *
 * @example
 * ```ts
 * for (const header of deleteChunkedCookie(cookie.name, parseCookieHeader(request.headers), cookie.options)) {
 *   response.headers.append('Set-Cookie', header);
 * }
 * ```
 */
export function deleteChunkedCookie(name: string, existingNames: CookieNames = [], options: CookieOptions = {}): string[] {
  assertCookieName(name);
  const attributes = serializeCookieAttributes(name, deletionOptions(options));
  const headers = [`${name}=${attributes}`];
  for (const existing of new Set(namesOf(existingNames))) {
    if (chunkSuffix(existing, name) !== undefined) headers.push(`${existing}=${attributes}`);
  }
  return headers;
}

function staleDeletions(name: string, existing: CookieNames | undefined, written: ReadonlySet<string>, options: CookieOptions): string[] {
  if (existing === undefined) return [];
  let attributes: string | undefined;
  const headers: string[] = [];
  for (const cookieName of new Set(namesOf(existing))) {
    if (written.has(cookieName)) continue;
    if (cookieName !== name && chunkSuffix(cookieName, name) === undefined) continue;
    attributes ??= serializeCookieAttributes(name, deletionOptions(options));
    headers.push(`${cookieName}=${attributes}`);
  }
  return headers;
}

/**
 * Result of {@link readChunkedCookie}. Narrow on `status`:
 * - `'absent'`: no session cookie in the request.
 * - `'ok'`: `value` is the cookie's value, chunks joined in order; `chunks` is how many were
 *   joined (0 for a plain cookie).
 * - `'invalid'`: the chunks do not form one value; `reason` is `missing_chunk` or `bad_chunk`
 *   and `index` the chunk at fault. Treat as an invalid session and delete the set with
 *   {@link deleteChunkedCookie}.
 */
export type ReadChunkedCookieResult =
  | {
      /** No session cookie (nor chunk of it): the request is signed out. */
      readonly status: 'absent';
    }
  | {
      /** The cookie was found and, if split, its chunks fit together. */
      readonly status: 'ok';
      /** The whole cookie value (the sealed session), chunks joined in order. */
      readonly value: string;
      /** How many chunks were joined; 0 for a plain cookie. */
      readonly chunks: number;
    }
  | {
      /** Chunks were found but do not form one value. */
      readonly status: 'invalid';
      /** `missing_chunk` for a gap, `bad_chunk` for a chunk that is out of range, not canonical (`.01`) or empty. */
      readonly reason: 'missing_chunk' | 'bad_chunk';
      /** The chunk at fault: the first missing one, or the bad one. */
      readonly index: number;
    };

/** Options of {@link readChunkedCookie}. */
export interface ReadChunkedCookieOptions {
  /** Chunk indexes at or above this are `bad_chunk`. Default {@link MAX_READ_CHUNKS}. */
  maxChunks?: number;
}

/**
 * Reads cookie `name` from a request's cookies, joining `<name>.0…<name>.n` when it was chunked.
 * Chunks take precedence over a plain cookie of the same name (a plain one beside chunks is a
 * leftover that the next write deletes). Never throws.
 *
 * @example
 * ```ts
 * const read = readChunkedCookie(parseCookieHeader(request.headers), 'wos-session');
 * if (read.status === 'ok') sessions.loadSealedSession({ sessionData: read.value });
 * ```
 */
export function readChunkedCookie(
  cookies: CookieJar,
  name: string,
  options: ReadChunkedCookieOptions = {},
): ReadChunkedCookieResult {
  const limit = options.maxChunks ?? MAX_READ_CHUNKS;
  let last = -1;
  for (const cookieName of jarNames(cookies)) {
    const suffix = chunkSuffix(cookieName, name);
    if (suffix === undefined) continue;
    const index = Number(suffix);
    if (index >= limit || String(index) !== suffix) return { status: 'invalid', reason: 'bad_chunk', index };
    if (index > last) last = index;
  }
  if (last === -1) {
    const value = jarGet(cookies, name);
    return value ? { status: 'ok', value, chunks: 0 } : { status: 'absent' };
  }
  let value = '';
  for (let index = 0; index <= last; index++) {
    const chunk = jarGet(cookies, chunkCookieName(name, index));
    if (chunk === undefined) return { status: 'invalid', reason: 'missing_chunk', index };
    if (chunk === '') return { status: 'invalid', reason: 'bad_chunk', index };
    value += chunk;
  }
  return { status: 'ok', value, chunks: last + 1 };
}

/** The digits after `<name>.` when `cookieName` is a chunk of `name`, else undefined. */
function chunkSuffix(cookieName: string, name: string): string | undefined {
  const digits = cookieName.length - name.length - 1;
  if (digits < 1 || digits > MAX_SUFFIX_DIGITS) return undefined;
  if (cookieName.charCodeAt(name.length) !== 0x2e || !cookieName.startsWith(name)) return undefined;
  for (let i = name.length + 1; i < cookieName.length; i++) {
    const c = cookieName.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
  }
  return cookieName.slice(name.length + 1);
}

function isMap<V>(value: unknown): value is ReadonlyMap<string, V> {
  return value instanceof Map;
}

function namesOf(names: CookieNames): Iterable<string> {
  return isMap<string>(names) ? names.keys() : names;
}

function jarNames(jar: CookieJar): Iterable<string> {
  return isMap<string>(jar) ? jar.keys() : Object.keys(jar);
}

function jarGet(jar: CookieJar, name: string): string | undefined {
  if (isMap<string>(jar)) return jar.get(name);
  const value = Object.hasOwn(jar, name) ? jar[name] : undefined;
  return typeof value === 'string' ? value : undefined;
}
