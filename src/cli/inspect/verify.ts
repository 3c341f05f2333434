/**
 * Signature and claims check of an access token for `inspect`, through the library's own
 * verifier and JWKS cache so the CLI judges a token exactly as an app would.
 */
import { AccessTokenVerifier } from '../../jwt/verify.js';
import { JwksCache } from '../../jwt/jwks.js';
import { JwksUnavailableError, JwtError, JwtExpiredError, JwtInvalidError } from '../../jwt/errors.js';

/** Where the keys come from and which claims to expect. */
export interface VerifyTarget {
  jwksUrl: string;
  /** Accepted issuers; `undefined` when none could be derived (the token's own is then used). */
  issuers: string[] | undefined;
  /** Expected audience (the client id); `undefined` when unknown. */
  audience: string | undefined;
}

/** Outcome of {@link verifyToken}; keys are stable for `--json`. */
export interface Verification {
  jwksUrl: string;
  issuers: string[] | null;
  audience: string | null;
  /** `valid`; `expired` (valid in every other respect); `invalid`; `unavailable` (keys not fetched). */
  result: 'valid' | 'expired' | 'invalid' | 'unavailable';
  /** Whether the RS256 signature verified; `null` when it could not be checked. */
  signature: 'valid' | 'invalid' | null;
  /** The library's error code (`jwt_bad_signature`, `jwt_bad_issuer`, `jwks_unavailable`, …). */
  code: string | null;
  message: string | null;
}

// Codes raised before or by the signature check; any other code means the signature held.
const SIGNATURE_STAGE = new Set(['jwt_malformed', 'jwt_bad_algorithm', 'jwt_bad_signature', 'jwt_unknown_key']);
const CLOCK_TOLERANCE_SEC = 5;
const JWKS_TIMEOUT_MS = 5_000;

/** Verifies `token` against `target`; never throws. */
export async function verifyToken(token: string, claims: Record<string, unknown> | undefined, target: VerifyTarget): Promise<Verification> {
  const base = { jwksUrl: target.jwksUrl, issuers: target.issuers ?? null, audience: target.audience ?? null };
  const tokenIssuer = typeof claims?.iss === 'string' ? claims.iss : '';
  const tokenAudience = Array.isArray(claims?.aud) ? claims.aud[0] : claims?.aud;
  const verifier = new AccessTokenVerifier({
    jwks: new JwksCache({ url: target.jwksUrl, timeoutMs: JWKS_TIMEOUT_MS }),
    issuers: target.issuers ?? [tokenIssuer],
    audience: target.audience ?? (typeof tokenAudience === 'string' ? tokenAudience : ''),
    requireAudience: false,
    clockToleranceSec: CLOCK_TOLERANCE_SEC,
    cacheSize: 0,
  });
  try {
    await verifier.verify(token);
    return { ...base, result: 'valid', signature: 'valid', code: null, message: null };
  } catch (error) {
    if (error instanceof JwtExpiredError) {
      return { ...base, result: 'expired', signature: 'valid', code: error.code, message: error.message };
    }
    if (error instanceof JwksUnavailableError) {
      const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
      return { ...base, result: 'unavailable', signature: null, code: error.code, message: `${error.message}${cause}` };
    }
    if (error instanceof JwtInvalidError) {
      const signature = SIGNATURE_STAGE.has(error.code) ? 'invalid' : 'valid';
      return { ...base, result: 'invalid', signature, code: error.code, message: error.message };
    }
    const code = error instanceof JwtError ? error.code : 'jwt_error';
    return { ...base, result: 'invalid', signature: null, code, message: error instanceof Error ? error.message : String(error) };
  }
}
