/**
 * Parsing of the `Cookie` request header. Runs on every request and takes client input, so it
 * never throws and its cost is linear in the header length.
 *
 * The header a browser sends, RFC 6265 §4.2.1 (`cookie-pair` as in `./syntax.ts`):
 *
 * ```abnf
 * cookie-header = "Cookie:" OWS cookie-string OWS
 * cookie-string = cookie-pair *( ";" SP cookie-pair )
 * ```
 *
 * The parser is more lenient than the grammar, as a server must be with what clients send:
 * it splits on `;` alone, trims spaces and tabs, and does not check names or values against
 * `token` and `cookie-octet`. A malformed pair lands under its own name, never under another.
 *
 * @module
 */

/** Headers longer than this are ignored by {@link parseCookieHeader} (64 KiB). */
export const MAX_COOKIE_HEADER_LENGTH = 65_536;
/** At most this many `name=value` pairs are read from one header. */
export const MAX_COOKIE_PAIRS = 1_000;

/** Bounds of {@link parseCookieHeader}; the defaults suit any real browser. */
export interface ParseCookieOptions {
  /** Headers longer than this many characters yield no cookies. Default {@link MAX_COOKIE_HEADER_LENGTH}. */
  maxLength?: number;
  /** Pairs after this many are ignored. Default {@link MAX_COOKIE_PAIRS}. */
  maxPairs?: number;
}

/**
 * Anything that carries request headers the Fetch way: a `Headers` object, or a wrapper over
 * another framework's headers.
 */
export interface HeadersLike {
  /** The value of header `name` (case-insensitive), or `null` when absent. */
  get(name: string): string | null;
}

/**
 * Parses a `Cookie` request header into a map of name to value. Never throws.
 *
 * - Pairs without `=` or with an empty name are skipped.
 * - A duplicate name keeps its **first** value: browsers order cookies with longer paths first,
 *   so the first one is the most specific (RFC 6265 §5.4). A stale cookie with a wider path
 *   cannot shadow the current one.
 * - Surrounding spaces/tabs are trimmed; a value wrapped in double quotes is unwrapped.
 * - Values containing `%` are percent-decoded when the sequence is valid UTF-8 (values written
 *   with `encodeURIComponent`, as `@workos/authkit-session` does); otherwise the raw value is kept.
 * - A header over `maxLength` yields an empty map (no server accepts headers that large
 *   anyway); at most `maxPairs` pairs are read.
 *
 * Linear in the header length. Multiple `Cookie` headers must be joined with `"; "` before
 * calling (Node does).
 *
 * @example
 * ```ts
 * const cookies = parseCookieHeader(request.headers);
 * const sealed = cookies.get('wos-session'); // string | undefined
 * ```
 */
export function parseCookieHeader(
  input: string | HeadersLike | null | undefined,
  options: ParseCookieOptions = {},
): Map<string, string> {
  const cookies = new Map<string, string>();
  const header = headerText(input);
  const maxLength = options.maxLength ?? MAX_COOKIE_HEADER_LENGTH;
  const maxPairs = options.maxPairs ?? MAX_COOKIE_PAIRS;
  if (header === undefined || header.length === 0 || header.length > maxLength) return cookies;

  const len = header.length;
  let pos = 0;
  for (let pairs = 0; pos < len && pairs < maxPairs; pairs++) {
    const eq = header.indexOf('=', pos);
    if (eq === -1) break;
    let end = header.indexOf(';', pos);
    if (end === -1) end = len;
    if (eq > end) {
      // The segments up to the one holding `eq` have no `=`: jump straight there so that a
      // header of `;;;;…=` is not rescanned once per semicolon.
      pos = header.lastIndexOf(';', eq - 1) + 1;
      continue;
    }
    const nameStart = skipSpace(header, pos, eq);
    const nameEnd = trimSpaceEnd(header, nameStart, eq);
    if (nameEnd > nameStart) {
      const name = header.slice(nameStart, nameEnd);
      if (!cookies.has(name)) cookies.set(name, readValue(header, eq + 1, end));
    }
    pos = end + 1;
  }
  return cookies;
}

function headerText(input: unknown): string | undefined {
  if (typeof input === 'string') return input;
  if (typeof input === 'object' && input !== null && typeof (input as HeadersLike).get === 'function') {
    try {
      return (input as HeadersLike).get('cookie') ?? undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09;

function skipSpace(s: string, from: number, to: number): number {
  while (from < to && isSpace(s.charCodeAt(from))) from++;
  return from;
}

function trimSpaceEnd(s: string, from: number, to: number): number {
  while (to > from && isSpace(s.charCodeAt(to - 1))) to--;
  return to;
}

function readValue(header: string, from: number, to: number): string {
  let start = skipSpace(header, from, to);
  let end = trimSpaceEnd(header, start, to);
  if (end - start >= 2 && header.charCodeAt(start) === 0x22 && header.charCodeAt(end - 1) === 0x22) {
    start++;
    end--;
  }
  const raw = header.slice(start, end);
  return raw.includes('%') ? decodeOrRaw(raw) : raw;
}

function decodeOrRaw(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
