/**
 * The cookie of `@workos-inc/authkit-react-router`: a React Router cookie session whose data is
 * `{ "jwt": <sealed session> }`. Its value is base64 of that JSON, a `.`, and the unpadded
 * base64 HMAC-SHA256 of the base64 part keyed with the cookie password; the whole value is
 * percent-encoded as React Router's `cookie` serializer writes it.
 *
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CookieValueEncoding } from '../http/index.js';

const SIGNATURE_BYTES = 32;

function signature(payload: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(payload, 'utf8').digest();
}

/** The sealed session a verified payload carries: its `jwt` string, if it has one. */
function jwtOf(payload: string): string | undefined {
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const jwt = (data as Record<string, unknown>).jwt;
  return typeof jwt === 'string' && jwt.length > 0 ? jwt : undefined;
}

/**
 * The encoding of React Router's signed cookie session around the sealed session. Signs with
 * the first secret and accepts a signature by any of them, as React Router does, so rotating
 * the cookie password keeps both libraries reading each other's cookies.
 *
 * @param secrets the cookie passwords, newest first.
 */
export function reactRouterCookieEncoding(secrets: readonly string[]): CookieValueEncoding {
  const [current] = secrets;
  if (current === undefined) throw new TypeError('reactRouterCookieEncoding needs at least one secret');
  return {
    encode(sealedSession: string): string {
      const payload = Buffer.from(JSON.stringify({ jwt: sealedSession }), 'utf8').toString('base64');
      const signed = `${payload}.${signature(payload, current).toString('base64').replace(/=+$/, '')}`;
      return encodeURIComponent(signed);
    },
    decode(value: string): string | undefined {
      const dot = value.lastIndexOf('.');
      if (dot <= 0) return undefined;
      const payload = value.slice(0, dot);
      const sent = Buffer.from(value.slice(dot + 1), 'base64');
      if (sent.length !== SIGNATURE_BYTES) return undefined;
      // Every secret is tried, whichever matches, so the time taken says nothing about which.
      let valid = false;
      for (const secret of secrets) valid = timingSafeEqual(signature(payload, secret), sent) || valid;
      return valid ? jwtOf(payload) : undefined;
    },
  };
}
