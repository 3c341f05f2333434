import { decodeBase64url, type Base64urlReading } from '../crypto/base64url.js';
import { JwtInvalidError } from './errors.js';

/** A compact JWS split into its parts, nothing verified yet. */
export interface DecodedJwt {
  /** Shared between tokens with the same header, hence read-only. */
  header: Readonly<Record<string, unknown>>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Uint8Array;
}

// Strict compact form: jose tolerates whitespace and other oddities that make tokens malleable.
const COMPACT = /^[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}$/;
const MAX_TOKEN_LENGTH = 16 * 1024;
const textDecoder = new TextDecoder('utf-8', { fatal: true });

// RFC 7515 asks nothing of the unused bits of a segment's last character and JWS libraries
// ignore them, so tokens are read whatever those bits hold; nothing else is tolerated.
const SEGMENT: Base64urlReading = { canonical: false };

function decodeJsonObject(segment: string, what: string): Record<string, unknown> {
  const bytes = decodeBase64url(segment, SEGMENT);
  if (!bytes) throw new JwtInvalidError(`Access token ${what} is not base64url JSON`, { code: 'jwt_malformed' });
  let value: unknown;
  try {
    value = JSON.parse(textDecoder.decode(bytes));
  } catch (cause) {
    throw new JwtInvalidError(`Access token ${what} is not base64url JSON`, { code: 'jwt_malformed', cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new JwtInvalidError(`Access token ${what} is not a JSON object`, { code: 'jwt_malformed' });
  }
  return value as Record<string, unknown>;
}

// Parsed headers by their base64url text: a provider signs with a handful of keys, so nearly
// every token repeats one of a few headers. Frozen, since every caller gets the same object;
// cleared when full, so junk cannot pin it.
const MAX_HEADERS = 16;
const headers = new Map<string, Record<string, unknown>>();

function decodeHeader(segment: string): Record<string, unknown> {
  let header = headers.get(segment);
  if (header === undefined) {
    header = Object.freeze(decodeJsonObject(segment, 'header'));
    if (headers.size >= MAX_HEADERS) headers.clear();
    headers.set(segment, header);
  }
  return header;
}

/** Splits and parses a compact JWS. Never verifies anything; never throws but {@link JwtInvalidError}. */
export function decodeJwt(token: unknown): DecodedJwt {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !COMPACT.test(token)) {
    throw new JwtInvalidError('Access token is not a compact JWS', { code: 'jwt_malformed' });
  }
  const firstDot = token.indexOf('.');
  const lastDot = token.lastIndexOf('.');
  const signature = decodeBase64url(token.slice(lastDot + 1), SEGMENT);
  if (!signature) throw new JwtInvalidError('Access token signature is not base64url', { code: 'jwt_malformed' });
  return {
    header: decodeHeader(token.slice(0, firstDot)),
    payload: decodeJsonObject(token.slice(firstDot + 1, lastDot), 'payload'),
    signingInput: token.slice(0, lastDot),
    signature,
  };
}
