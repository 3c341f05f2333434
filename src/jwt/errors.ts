/**
 * Why an access token was not accepted. `code` is stable; the message is for humans.
 *
 * Three families matter to callers: the token merely expired ({@link JwtExpiredError}, a
 * refresh fixes it), the token is not acceptable ({@link JwtInvalidError}, tampered, wrong
 * issuer, wrong audience, wrong algorithm…), and the keys could not be fetched
 * ({@link JwksUnavailableError}: retry later; spending the refresh token would not help).
 */
export abstract class JwtError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Codes of {@link JwtInvalidError}. */
export type JwtInvalidCode =
  | 'jwt_malformed'
  | 'jwt_bad_algorithm'
  | 'jwt_bad_signature'
  | 'jwt_unknown_key'
  | 'jwt_bad_issuer'
  | 'jwt_bad_audience'
  | 'jwt_missing_claim'
  | 'jwt_bad_claim'
  | 'jwt_not_yet_valid';

/** The token is not acceptable: no refresh or retry will make it so. */
export class JwtInvalidError extends JwtError {
  readonly code: JwtInvalidCode;

  constructor(code: JwtInvalidCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The signature and every other claim are valid, but `exp` has passed. */
export class JwtExpiredError extends JwtError {
  readonly code = 'jwt_expired';
  /** The verified claims, still usable to find the session (logout) or organization (refresh). */
  readonly claims: AccessTokenClaims;

  constructor(claims: AccessTokenClaims) {
    super(`Access token expired at ${new Date(claims.exp * 1000).toISOString()}`);
    this.claims = claims;
  }
}

/** The key set could not be fetched and no cached key fits the token. Retryable. */
export class JwksUnavailableError extends JwtError {
  readonly code = 'jwks_unavailable';
}

/** Claims of a WorkOS access token, as verified. */
export interface AccessTokenClaims {
  iss: string;
  sub: string;
  sid: string;
  exp: number;
  iat: number;
  aud?: string | string[];
  nbf?: number;
  org_id?: string;
  role?: string;
  roles?: string[];
  permissions?: string[];
  entitlements?: string[];
  feature_flags?: string[];
  [claim: string]: unknown;
}
