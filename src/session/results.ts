import type { AuthenticationMethod, AuthenticationResponse, Impersonator, User } from '../api/types.js';
import type { AccessTokenClaims } from '../jwt/errors.js';
import type { SealFormat } from '../seal/index.js';

/** What a signed-in request knows about its user. */
export interface SessionInfo {
  sessionId: string;
  organizationId: string | undefined;
  role: string | undefined;
  roles: string[] | undefined;
  permissions: string[] | undefined;
  entitlements: string[] | undefined;
  featureFlags: string[] | undefined;
  user: User;
  impersonator: Impersonator | undefined;
  authenticationMethod: AuthenticationMethod | undefined;
  accessToken: string;
  /** When the access token expires. */
  expiresAt: Date;
  /** Every verified claim of the access token. */
  claims: AccessTokenClaims;
  /** The format the cookie was sealed in. */
  sealFormat: SealFormat;
}

/** `session.authenticate()` succeeded. */
export interface AuthenticateSuccess extends SessionInfo {
  authenticated: true;
  /**
   * The cookie was sealed with an older password of the rotation list: call `refresh()` or
   * `reseal()` and write the new cookie, so the old password can be retired.
   */
  sealedWithOldPassword: boolean;
}

/**
 * Why `authenticate()` failed. The first three are the official SDKs' values.
 * - `no_session_cookie_provided`: nothing to read.
 * - `invalid_session_cookie`: the seal is broken, tampered, from an unknown password, or its
 *   content is not a session. Sign the user in again.
 * - `invalid_jwt`: the access token failed verification. `detail` says why; when it is
 *   `jwt_expired`, `refreshable` is true: call `refresh()`.
 * - `jwks_unavailable`: the signing keys could not be fetched. `retryable`; do not refresh
 *   (it would spend the refresh token for nothing) and do not clear the cookie.
 */
export type AuthenticateFailureReason =
  | 'no_session_cookie_provided'
  | 'invalid_session_cookie'
  | 'invalid_jwt'
  | 'jwks_unavailable';

/** `session.authenticate()` failed. */
export interface AuthenticateFailure {
  authenticated: false;
  reason: AuthenticateFailureReason;
  /** The stable code of the underlying check (`jwt_expired`, `jwt_bad_issuer`, `seal_bad_mac`, …). */
  detail?: string;
  /** True only when the token expired and the cookie holds a refresh token: `refresh()` will help. */
  refreshable: boolean;
  /** True when the same cookie may authenticate later (an outage, not a bad cookie). */
  retryable: boolean;
}

/** Result of `session.authenticate()`. Never thrown, always returned. */
export type AuthenticateResult = AuthenticateSuccess | AuthenticateFailure;

/** `session.refresh()` succeeded: write `sealedSession` as the new cookie. */
export interface RefreshSuccess extends SessionInfo {
  authenticated: true;
  /** The new cookie value. The old one holds a spent refresh token. */
  sealedSession: string;
  /** The raw result of the refresh grant. */
  session: AuthenticationResponse;
  /** True when another request already rotated this token and its result was reused. */
  shared: boolean;
}

/** Terminal reasons: the session is over; clear the cookie and sign the user in again. */
export type TerminalRefreshFailureReason =
  | 'no_session_cookie_provided'
  | 'invalid_session_cookie'
  | 'invalid_grant'
  | 'invalid_jwt'
  | 'mfa_enrollment'
  | 'sso_required'
  | 'authentication_required'
  | 'request_rejected';

/** Retryable reasons: keep the cookie; the next request may succeed. */
export type RetryableRefreshFailureReason =
  | 'rate_limit_exceeded'
  | 'server_error'
  | 'timeout'
  | 'network_error'
  | 'invalid_response'
  | 'refresh_in_progress';

/** `session.refresh()` failed. */
export type RefreshFailure =
  | { authenticated: false; reason: TerminalRefreshFailureReason; retryable: false; detail?: string }
  | {
      authenticated: false;
      reason: RetryableRefreshFailureReason;
      retryable: true;
      /** Seconds to wait, when the provider said. */
      retryAfter?: number;
      detail?: string;
    };

/** Result of `session.refresh()`. Never thrown, always returned. */
export type RefreshResult = RefreshSuccess | RefreshFailure;
