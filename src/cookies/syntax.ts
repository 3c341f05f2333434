/**
 * Character classes of the cookie grammar. The productions each check implements, from
 * RFC 6265 §4.1.1 and RFC 9110 §5.6.2:
 *
 * ```abnf
 * cookie-pair   = cookie-name "=" cookie-value
 * cookie-name   = token
 * cookie-value  = *cookie-octet / ( DQUOTE *cookie-octet DQUOTE )
 * cookie-octet  = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
 *                   ; US-ASCII characters excluding CTLs,
 *                   ; whitespace DQUOTE, comma, semicolon,
 *                   ; and backslash
 * path-value    = <any CHAR except CTLs or ";">
 * token         = 1*tchar
 * tchar         = "!" / "#" / "$" / "%" / "&" / "'" / "*"
 *               / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
 *               / DIGIT / ALPHA
 * ```
 *
 * Each check is one anchored character class with a single quantifier: linear time, no
 * backtracking.
 *
 * @module
 */

/** `cookie-name = token`. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** `*cookie-octet`: printable US-ASCII except `"`, `,`, `;`, `\` and space. */
const COOKIE_OCTETS = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/;
const NOT_COOKIE_OCTET = /[^\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]/;

/**
 * `path-value` (and `Domain`'s value), narrowed from any CHAR to printable ASCII so the header
 * stays a byte string.
 */
const ATTRIBUTE_OCTETS = /^[\x20-\x3A\x3C-\x7E]*$/;

/**
 * True when `name` is a non-empty RFC 9110 token, i.e. a valid cookie name.
 *
 * @example
 * ```ts
 * isCookieName('__Host-wos-session'); // true
 * isCookieName('wos session');        // false
 * ```
 */
export function isCookieName(name: string): boolean {
  return TOKEN.test(name);
}

/**
 * Index of the first character that is not a cookie-octet, or -1. A value wrapped in double
 * quotes is checked inside the quotes, as RFC 6265 allows.
 */
export function invalidCookieValueIndex(value: string): number {
  const quoted = value.length >= 2 && value.charCodeAt(0) === 0x22 && value.charCodeAt(value.length - 1) === 0x22;
  const inner = quoted ? value.slice(1, -1) : value;
  if (COOKIE_OCTETS.test(inner)) return -1;
  return inner.search(NOT_COOKIE_OCTET) + (quoted ? 1 : 0);
}

/** True when `value` may be written as an attribute value (no `;`, controls or non-ASCII). */
export function isAttributeValue(value: string): boolean {
  return ATTRIBUTE_OCTETS.test(value);
}

/**
 * UTF-8 byte length of a string without allocating. Headers are measured in bytes while JS
 * strings count UTF-16 units; they agree only for ASCII.
 *
 * @example
 * ```ts
 * utf8ByteLength('abc'); // 3
 * utf8ByteLength('é');   // 2
 * utf8ByteLength('😀');  // 4 ('😀'.length is 2)
 * ```
 */
export function utf8ByteLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a surrogate pair: 2 units, 4 bytes
      i++;
    } else n += 2;
  }
  return n;
}
