import { SealedSessionError } from '../errors/base.js';

/**
 * Why an access token was not accepted. `code` is stable; the message is for humans.
 *
 * Three families matter to callers: the token merely expired ({@link JwtExpiredError}, a
 * refresh fixes it), the token is not acceptable ({@link JwtInvalidError}, tampered, wrong
 * issuer, wrong audience, wrong algorithm…), and the keys could not be fetched
 * ({@link JwksUnavailableError}: retry later; spending the refresh token would not help).
 *
 * `session.authenticate()` never throws these: it reports `code` as the failure's `detail`.
 * They reach callers as the `cause` of the {@link SessionError} that `session.getSessionId()`
 * and `session.getLogoutUrl()` throw for an invalid token, and from `sessions.jwks.getKey()`.
 *
 * @example
 * ```ts
 * try {
 *   await session.getSessionId();
 * } catch (error) {
 *   if (error instanceof SessionError && error.cause instanceof JwtError) console.warn('token refused:', error.cause.code);
 * }
 * ```
 */
export abstract class JwtError extends SealedSessionError<JwtInvalidCode | 'jwt_expired' | 'jwks_unavailable'> {}

/**
 * Codes of {@link JwtInvalidError}, also found in `AuthenticateFailure.detail` when `reason` is
 * `'invalid_jwt'`. `jwt_unknown_key` means keys fetched after the token was issued do not
 * include its `kid`; the others name the check the token failed.
 */
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

/**
 * The token is not acceptable: no refresh or retry will make it so. Treat the session as
 * invalid: delete the cookie and sign the user in again. `session.authenticate()` reports it
 * as `reason: 'invalid_jwt'` with `code` in `detail`.
 */
export class JwtInvalidError extends JwtError {
  /** Which check the token failed. */
  readonly code: JwtInvalidCode;

  /** @param message - what is wrong; @param options - `code`, the check the token failed. */
  constructor(message: string, options: { code: JwtInvalidCode; cause?: unknown }) {
    super(message, options);
    this.code = options.code;
  }
}

/**
 * The signature and every other claim are valid, but `exp` has passed: the cookie is still the
 * user's, and a refresh gives it a new token. `session.authenticate()` reports it as
 * `reason: 'invalid_jwt'`, `detail: 'jwt_expired'` and `refreshable: true`; call
 * `session.refresh()` and write the new cookie.
 */
export class JwtExpiredError extends JwtError {
  /** Always `'jwt_expired'`. */
  readonly code = 'jwt_expired';
  /** The verified claims, still usable to find the session (logout) or organization (refresh). */
  readonly claims: AccessTokenClaims;

  /** @param message - when it expired; @param options - `claims`, the verified claims. */
  constructor(message: string, options: { claims: AccessTokenClaims; cause?: unknown }) {
    super(message, options);
    this.claims = options.claims;
  }
}

/**
 * The key set could not be fetched and no cached key fits the token, or the token names a key
 * newer than the cached ones and the refetch cooldown (or a backoff) holds off a fetch for now.
 * Retryable: the token may be fine. Keep the cookie, answer with a temporary error (503), and do
 * not refresh: that would spend the single-use refresh token for nothing. `session.authenticate()`
 * reports it as `reason: 'jwks_unavailable'` with `retryable: true`; `sessions.jwks.getKey()`
 * throws it, with the fetch error as `cause`.
 */
export class JwksUnavailableError extends JwtError {
  /** Always `'jwks_unavailable'`. */
  readonly code = 'jwks_unavailable';
}

/**
 * Claims of a WorkOS access token, as verified. The results of `authenticate()` and `refresh()`
 * carry them as `claims` (deeply frozen, shared with the verified-token cache) next to friendlier
 * copies of the common ones; read custom claims from here.
 */
export interface AccessTokenClaims {
  /** Issuer; one of the manager's accepted issuers, compared exactly. */
  iss: string;
  /** The user id. Must equal the id of the user sealed in the cookie, or the cookie is refused. */
  sub: string;
  /** The provider's session id: what logout and revocation need. */
  sid: string;
  /** Expiry, in seconds since the epoch. */
  exp: number;
  /** Issue time, in seconds since the epoch. Its distance to `exp` scales the refresh buffer for short-lived tokens. */
  iat: number;
  /** Audience; when present it must include the expected audience (the client id by default). */
  aud?: string | string[];
  /** Not-before time, in seconds since the epoch, when the provider sets one. */
  nbf?: number;
  /** The organization the session is scoped to. A refresh keeps it unless told otherwise. */
  org_id?: string;
  /** The user's role in `org_id`. */
  role?: string;
  /** Every role of the user in `org_id`, when the provider sends the list. */
  roles?: string[];
  /** Permissions granted by the role(s). */
  permissions?: string[];
  /** The organization's entitlements. */
  entitlements?: string[];
  /** Feature flags enabled for the user or organization. */
  feature_flags?: string[];
  /** Any other claim, such as those added by a JWT template. */
  [claim: string]: unknown;
}
