import { type AccessTokenClaims, JwtExpiredError, JwtInvalidError } from './errors.js';

/** What a WorkOS access token must satisfy besides its signature. */
export interface ClaimsPolicy {
  /** Accepted `iss` values, compared exactly. */
  issuers: readonly string[];
  /** Expected audience. */
  audience: string;
  /** When true, a token without `aud` is rejected; otherwise `aud` is checked only when present. */
  requireAudience: boolean;
  /** Leeway for `exp`, `nbf` and `iat`, in seconds. */
  clockToleranceSec: number;
}

/** The error for a verified token whose `exp` has passed; it carries the claims for logout and refresh. */
export function tokenExpired(claims: AccessTokenClaims): JwtExpiredError {
  return new JwtExpiredError(`Access token expired at ${new Date(claims.exp * 1000).toISOString()}`, { claims });
}

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((entry) => typeof entry === 'string');

const OPTIONAL_STRINGS = ['org_id', 'role'] as const;
const OPTIONAL_STRING_LISTS = ['roles', 'permissions', 'entitlements', 'feature_flags'] as const;

function requireNumber(payload: Record<string, unknown>, claim: string): number {
  const value = payload[claim];
  if (value === undefined) throw new JwtInvalidError(`Access token has no \`${claim}\``, { code: 'jwt_missing_claim' });
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new JwtInvalidError(`Access token \`${claim}\` is not a number`, { code: 'jwt_bad_claim' });
  }
  return value;
}

function requireString(payload: Record<string, unknown>, claim: string): string {
  const value = payload[claim];
  if (value === undefined) throw new JwtInvalidError(`Access token has no \`${claim}\``, { code: 'jwt_missing_claim' });
  if (typeof value !== 'string' || value === '') {
    throw new JwtInvalidError(`Access token \`${claim}\` is not a string`, { code: 'jwt_bad_claim' });
  }
  return value;
}

/**
 * Checks the claims of a token whose signature is already verified. `exp` is checked last, so
 * an {@link JwtExpiredError} always means "valid in every other respect": safe to refresh.
 */
export function validateClaims(
  payload: Record<string, unknown>,
  policy: ClaimsPolicy,
  nowSec: number,
  options: { ignoreExpiry?: boolean } = {},
): AccessTokenClaims {
  const exp = requireNumber(payload, 'exp');
  const iat = requireNumber(payload, 'iat');
  requireString(payload, 'sub');
  requireString(payload, 'sid');
  const iss = requireString(payload, 'iss');
  if (!policy.issuers.includes(iss)) {
    throw new JwtInvalidError(`Access token issuer ${JSON.stringify(iss)} is not trusted`, { code: 'jwt_bad_issuer' });
  }
  const aud = payload.aud;
  if (aud === undefined) {
    if (policy.requireAudience) throw new JwtInvalidError('Access token has no `aud`', { code: 'jwt_missing_claim' });
  } else {
    const audiences = typeof aud === 'string' ? [aud] : isStringArray(aud) ? aud : undefined;
    if (!audiences) throw new JwtInvalidError('Access token `aud` is not a string or list', { code: 'jwt_bad_claim' });
    if (!audiences.includes(policy.audience)) {
      throw new JwtInvalidError('Access token was issued for another audience', { code: 'jwt_bad_audience' });
    }
  }
  for (const claim of OPTIONAL_STRINGS) {
    if (payload[claim] !== undefined && typeof payload[claim] !== 'string') {
      throw new JwtInvalidError(`Access token \`${claim}\` is not a string`, { code: 'jwt_bad_claim' });
    }
  }
  for (const claim of OPTIONAL_STRING_LISTS) {
    if (payload[claim] !== undefined && !isStringArray(payload[claim])) {
      throw new JwtInvalidError(`Access token \`${claim}\` is not a list of strings`, { code: 'jwt_bad_claim' });
    }
  }
  const tolerance = policy.clockToleranceSec;
  if (iat > nowSec + tolerance) {
    throw new JwtInvalidError('Access token was issued in the future', { code: 'jwt_not_yet_valid' });
  }
  if (payload.nbf !== undefined) {
    const nbf = requireNumber(payload, 'nbf');
    if (nbf > nowSec + tolerance) throw new JwtInvalidError('Access token is not valid yet', { code: 'jwt_not_yet_valid' });
  }
  // Every field the type promises was checked above, on this very object; no copy needed.
  const claims = payload as AccessTokenClaims;
  if (!options.ignoreExpiry && exp <= nowSec - tolerance) throw tokenExpired(claims);
  return claims;
}
