import { base64url } from 'jose';
import { JwtInvalidError } from './errors.js';

/** A compact JWS split into its parts, nothing verified yet. */
export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Uint8Array;
}

// Strict compact form: jose tolerates whitespace and other oddities that make tokens malleable.
const COMPACT = /^[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}$/;
const MAX_TOKEN_LENGTH = 16 * 1024;
const textDecoder = new TextDecoder('utf-8', { fatal: true });

function decodeJsonObject(segment: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(textDecoder.decode(base64url.decode(segment)));
  } catch (cause) {
    throw new JwtInvalidError('jwt_malformed', `Access token ${what} is not base64url JSON`, { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new JwtInvalidError('jwt_malformed', `Access token ${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** Splits and parses a compact JWS. Never verifies anything; never throws but {@link JwtInvalidError}. */
export function decodeJwt(token: unknown): DecodedJwt {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !COMPACT.test(token)) {
    throw new JwtInvalidError('jwt_malformed', 'Access token is not a compact JWS');
  }
  const firstDot = token.indexOf('.');
  const lastDot = token.lastIndexOf('.');
  let signature: Uint8Array;
  try {
    signature = base64url.decode(token.slice(lastDot + 1));
  } catch (cause) {
    throw new JwtInvalidError('jwt_malformed', 'Access token signature is not base64url', { cause });
  }
  return {
    header: decodeJsonObject(token.slice(0, firstDot), 'header'),
    payload: decodeJsonObject(token.slice(firstDot + 1, lastDot), 'payload'),
    signingInput: token.slice(0, lastDot),
    signature,
  };
}
