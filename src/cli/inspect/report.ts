/**
 * What `inspect` found in a cookie, as plain data: the same object is printed by `--json` and
 * rendered for terminals. Keys are stable; absent things are `null`, never missing.
 */
import { decodeJwt } from '../../jwt/decode.js';
import { JwtError } from '../../jwt/errors.js';
import { COOKIE_SIZE_BUDGET, MAX_READ_CHUNKS, writeChunkedCookie } from '../../cookies/chunks.js';
import { CookieTooLargeError } from '../../cookies/errors.js';
import { serializeCookieAttributes } from '../../cookies/serialize.js';
import { DEFAULT_SESSION_COOKIE_NAME, type SessionCookie, sessionCookieDefaults } from '../../cookies/session-cookie.js';
import { utf8ByteLength } from '../../cookies/syntax.js';
import type { SealFormat, UnsealDetails } from '../../seal/index.js';
import { readSessionPayload } from '../../session/payload.js';
import type { SealedInput } from '../cookie-input.js';
import { mask } from '../passwords.js';
import { describeExpiry, isoFromSeconds } from '../output/time.js';
import type { Verification } from './verify.js';

/** The cookie itself: where it came from, how it was sealed. */
export interface CookieReport {
  name: string | null;
  format: SealFormat;
  passwordId: string;
  /** `false`: sealed with an older password; re-seal to finish a rotation. */
  newestPassword: boolean;
  /** When the seal was made, for formats that record it (Fernet). */
  sealedAt: string | null;
  /** The expiry written into the seal, for formats that write one (Iron; `null` for none). */
  sealExpiresAt: string | null;
  /** Chunks the input was joined from (0: one cookie). */
  chunksInInput: number;
}

/** Size against the browser's per-cookie budget. */
export interface SizeReport {
  valueBytes: number;
  /** Bytes of the whole `Set-Cookie` with the default session attributes. */
  setCookieBytes: number;
  budget: number;
  fits: boolean;
  /** Cookies needed to store it (1 when it fits); `null` when even the most chunks are too few. */
  cookiesNeeded: number | null;
}

/** The session inside, with secrets masked. */
export interface SessionReport {
  user: { id: string; email: string; name: string | null };
  impersonator: { email: string; reason: string | null } | null;
  authenticationMethod: string | null;
  /** First four characters and `…`. */
  refreshToken: string;
  /** The whole token with `--show-tokens`, otherwise masked. */
  accessToken: string;
}

/** The access token's content, decoded but not verified. */
export interface TokenReport {
  header: { alg: unknown; kid: unknown };
  claims: Record<string, unknown>;
  issuer: string | null;
  issuedAt: string | null;
  expiresAt: string | null;
  /** Seconds until expiry, negative once expired. */
  expiresInSec: number | null;
  expired: boolean | null;
  /** `expires in 3m12s` / `expired 2h ago`. */
  expiry: string | null;
  /** Why the token could not be decoded, if it could not. */
  error: string | null;
}

/** A check that failed, with the library's or the CLI's stable code. */
export interface Failure {
  code: string;
  message: string;
}

/** Everything `inspect` reports. */
export interface InspectReport {
  /** `false` when a requested check failed; `failures` says which. */
  ok: boolean;
  failures: Failure[];
  cookie: CookieReport;
  size: SizeReport;
  session: SessionReport | null;
  /** Top-level keys of a payload that is not a session. */
  payloadKeys: string[] | null;
  accessToken: TokenReport | null;
  verification: Verification | null;
}

const SHOWN_CLAIMS = ['sub', 'sid', 'org_id', 'role', 'roles', 'permissions', 'entitlements', 'feature_flags', 'iss', 'aud', 'iat', 'exp', 'nbf', 'jti', 'act'];

/** Size and chunking of `value` stored as cookie `name` with the session cookie's default attributes. */
export function sizeReport(value: string, name: string | null): SizeReport {
  const cookie = defaultCookie(name);
  const setCookieBytes = utf8ByteLength(`${cookie.name}=${value}${serializeCookieAttributes(cookie.name, cookie.options)}`);
  let cookiesNeeded: number | null;
  try {
    cookiesNeeded = writeChunkedCookie({ name: cookie.name, value, options: cookie.options, maxChunks: MAX_READ_CHUNKS }).length;
  } catch (error) {
    if (!(error instanceof CookieTooLargeError)) throw error;
    cookiesNeeded = null;
  }
  return {
    valueBytes: utf8ByteLength(value),
    setCookieBytes,
    budget: COOKIE_SIZE_BUDGET,
    fits: setCookieBytes <= COOKIE_SIZE_BUDGET,
    cookiesNeeded,
  };
}

function defaultCookie(name: string | null): SessionCookie {
  try {
    return sessionCookieDefaults({ name: name ?? DEFAULT_SESSION_COOKIE_NAME });
  } catch {
    // A name the cookie layer refuses to write still gets measured, under the default name.
    return sessionCookieDefaults();
  }
}

/** Options of {@link buildReport}. */
export interface BuildReportInput {
  input: SealedInput;
  opened: UnsealDetails<unknown>;
  nowSec: number;
  showTokens: boolean;
}

/** The report of an opened cookie, before any signature check. */
export function buildReport({ input, opened, nowSec, showTokens }: BuildReportInput): InspectReport {
  const payload = readSessionPayload(opened.data);
  const data = opened.data;
  return {
    ok: true,
    failures: [],
    cookie: {
      name: input.name ?? null,
      format: opened.format,
      passwordId: opened.passwordId,
      newestPassword: opened.isNewest,
      sealedAt: isoFromMs(opened.sealedAtMs),
      sealExpiresAt: isoFromMs(opened.expiresAtMs),
      chunksInInput: input.chunks,
    },
    size: sizeReport(input.value, input.name ?? null),
    session: payload
      ? {
          user: { id: payload.user.id, email: payload.user.email, name: fullName(payload.user.firstName, payload.user.lastName) },
          impersonator: payload.impersonator ? { email: payload.impersonator.email, reason: payload.impersonator.reason ?? null } : null,
          authenticationMethod: payload.authenticationMethod ?? null,
          refreshToken: mask(payload.refreshToken),
          accessToken: showTokens ? payload.accessToken : mask(payload.accessToken),
        }
      : null,
    payloadKeys: payload || typeof data !== 'object' || data === null ? null : Object.keys(data),
    accessToken: payload ? tokenReport(payload.accessToken, nowSec) : null,
    verification: null,
  };
}

function isoFromMs(ms: number | undefined): string | null {
  return ms === undefined ? null : (isoFromSeconds(ms / 1000) ?? null);
}

function fullName(first: string | null, last: string | null): string | null {
  const name = [first, last].filter((part) => part).join(' ');
  return name === '' ? null : name;
}

/** Decodes (without verifying) an access token and describes its lifetime. */
export function tokenReport(token: string, nowSec: number): TokenReport {
  let decoded;
  try {
    decoded = decodeJwt(token);
  } catch (error) {
    const code = error instanceof JwtError ? error.code : 'jwt_malformed';
    return { header: { alg: null, kid: null }, claims: {}, issuer: null, issuedAt: null, expiresAt: null, expiresInSec: null, expired: null, expiry: null, error: code };
  }
  const { payload, header } = decoded;
  const claims: Record<string, unknown> = {};
  for (const claim of SHOWN_CLAIMS) if (payload[claim] !== undefined) claims[claim] = payload[claim];
  const exp = typeof payload.exp === 'number' && Number.isFinite(payload.exp) ? payload.exp : undefined;
  return {
    header: { alg: header.alg ?? null, kid: header.kid ?? null },
    claims,
    issuer: typeof payload.iss === 'string' ? payload.iss : null,
    issuedAt: isoFromSeconds(payload.iat) ?? null,
    expiresAt: isoFromSeconds(exp) ?? null,
    expiresInSec: exp === undefined ? null : Math.round(exp - nowSec),
    expired: exp === undefined ? null : exp <= nowSec,
    expiry: exp === undefined ? null : describeExpiry(exp, nowSec),
    error: null,
  };
}
