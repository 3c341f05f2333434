/**
 * Character classes of RFC 6265 / RFC 9110, as lookup tables: validation runs on every
 * Set-Cookie and a table lookup per character is both fast and free of regex backtracking.
 */

function table(accept: (code: number) => boolean): Uint8Array {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) t[c] = accept(c) ? 1 : 0;
  return t;
}

const isAlphaNum = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** RFC 9110 `tchar`: the characters of a cookie name. */
const TCHAR = table((c) => isAlphaNum(c) || "!#$%&'*+-.^_`|~".includes(String.fromCharCode(c)));

/** RFC 6265 `cookie-octet`: printable US-ASCII except `"`, `,`, `;`, `\` and space. */
const COOKIE_OCTET = table(
  (c) => c === 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a) || (c >= 0x3c && c <= 0x5b) || (c >= 0x5d && c <= 0x7e),
);

/** RFC 6265 `av-octet` restricted to printable ASCII: a header must stay a byte string. */
const ATTRIBUTE_OCTET = table((c) => c >= 0x20 && c <= 0x7e && c !== 0x3b);

function allIn(t: Uint8Array, s: string, from = 0, to = s.length): number {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || t[c] === 0) return i;
  }
  return -1;
}

/** True when `name` is a non-empty RFC 9110 token. */
export function isCookieName(name: string): boolean {
  return name.length > 0 && allIn(TCHAR, name) === -1;
}

/**
 * Index of the first character that is not a cookie-octet, or -1. A value wrapped in double
 * quotes is checked inside the quotes, as RFC 6265 allows.
 */
export function invalidCookieValueIndex(value: string): number {
  const quoted = value.length >= 2 && value.charCodeAt(0) === 0x22 && value.charCodeAt(value.length - 1) === 0x22;
  return quoted ? allIn(COOKIE_OCTET, value, 1, value.length - 1) : allIn(COOKIE_OCTET, value);
}

/** True when `value` may be written as an attribute value (no `;`, controls or non-ASCII). */
export function isAttributeValue(value: string): boolean {
  return allIn(ATTRIBUTE_OCTET, value) === -1;
}

/**
 * UTF-8 byte length of a string without allocating. Headers are measured in bytes while JS
 * strings count UTF-16 units; they agree only for ASCII.
 */
export function utf8ByteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
