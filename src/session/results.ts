import type { AuthenticationMethod, AuthenticationResponse, Impersonator, User } from '../api/types.js';
import type { AccessTokenClaims } from '../jwt/errors.js';
import type { SealFormat } from '../seal/index.js';

/**
 * What a signed-in request knows about its user. The organization, role, permission,
 * entitlement and feature-flag fields come from the verified access token, so they are only as
 * fresh as that token: a change at the provider shows after the next refresh.
 */
export interface SessionInfo {
  /** The provider's session id (`sid` claim): pass it to `getLogoutUrl` or `revokeSession`. */
  sessionId: string;
  /** The organization the token is scoped to (`org_id`); `undefined` for a session without one. */
  organizationId: string | undefined;
  /** The user's role in `organizationId` (`role`); `undefined` when the token has none. */
  role: string | undefined;
  /** Every role of the user in `organizationId` (`roles`), when the provider sends the list. */
  roles: string[] | undefined;
  /** Permissions granted by the role(s) (`permissions`); `undefined` when the token has none. */
  permissions: string[] | undefined;
  /** The organization's entitlements (`entitlements`), when the token carries them. */
  entitlements: string[] | undefined;
  /** Feature flags enabled for the user or organization (`feature_flags`), when the token carries them. */
  featureFlags: string[] | undefined;
  /** The user sealed in the cookie (a copy: changing it changes nothing stored). */
  user: User;
  /** Set when an admin is impersonating the user: show it in the UI. */
  impersonator: Impersonator | undefined;
  /** How the user signed in, when the provider said. */
  authenticationMethod: AuthenticationMethod | undefined;
  /** The verified access token: send it as a bearer token to your own APIs. */
  accessToken: string;
  /** When the access token expires. */
  expiresAt: Date;
  /**
   * Every verified claim of the access token. Shared with the verified-token cache and deeply
   * frozen: copy before changing anything (`structuredClone(result.claims)`).
   */
  claims: Readonly<AccessTokenClaims>;
  /** The format the cookie was sealed in. */
  sealFormat: SealFormat;
}

/**
 * `session.authenticate()` succeeded: the seal opened and the access token verified (signature,
 * issuer, audience, expiry) and belongs to the cookie's user.
 */
export interface AuthenticateSuccess extends SessionInfo {
  /** Always `true`: narrows {@link AuthenticateResult}. */
  authenticated: true;
  /**
   * A refresh would seal the cookie with another password: it was sealed with an older Iron
   * password of the rotation list, or with a key that no longer seals its format. Call
   * `refresh()` and write the new cookie, so the old password can be retired. Never set for a
   * Fernet cookie whose key still seals Fernet: it is kept under that key (see `cookiePassword`).
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

/**
 * `session.authenticate()` failed. Decide with the two flags: `refreshable` means call
 * `refresh()`, `retryable` means keep the cookie and answer with a temporary error, neither
 * means clear the cookie and sign the user in again.
 */
export interface AuthenticateFailure {
  /** Always `false`: narrows {@link AuthenticateResult}. */
  authenticated: false;
  /** What went wrong; see {@link AuthenticateFailureReason}. */
  reason: AuthenticateFailureReason;
  /** The stable code of the underlying check (`jwt_expired`, `jwt_bad_issuer`, `seal_bad_mac`, …). */
  detail?: string;
  /** True only when the token expired and the cookie holds a refresh token: `refresh()` will help. */
  refreshable: boolean;
  /** True when the same cookie may authenticate later (an outage, not a bad cookie). */
  retryable: boolean;
}

/** Result of `session.authenticate()`. Never thrown, always returned. Narrow on `authenticated`. */
export type AuthenticateResult = AuthenticateSuccess | AuthenticateFailure;

/**
 * `session.refresh()` succeeded: write `sealedSession` as the new cookie. The session fields
 * describe the new access token.
 */
export interface RefreshSuccess extends SessionInfo {
  /** Always `true`: narrows {@link RefreshResult}. */
  authenticated: true;
  /** The new cookie value. The old one holds a spent refresh token. */
  sealedSession: string;
  /**
   * The raw result of the refresh grant. When `shared` is true it is rebuilt from the shared
   * cookie, since this call did not talk to the provider.
   */
  session: AuthenticationResponse;
  /** True when another request already rotated this token and its result was reused. */
  shared: boolean;
}

/**
 * Terminal reasons: the session is over; clear the cookie and sign the user in again.
 * - `no_session_cookie_provided`, `invalid_session_cookie`: no usable cookie.
 * - `invalid_grant`: the refresh token is spent, expired or revoked.
 * - `invalid_jwt`: the new access token did not validate.
 * - `mfa_enrollment`, `sso_required`, `authentication_required`: the user must go through
 *   sign-in again (`detail` names the step for `authentication_required`).
 * - `request_rejected`: the provider refused the request; `detail` has its code.
 * - `cookie_too_large`: the refreshed session is too large to seal (the provider's user grew
 *   past what a cookie can ever hold); the old refresh token is spent.
 */
export type TerminalRefreshFailureReason =
  | 'no_session_cookie_provided'
  | 'invalid_session_cookie'
  | 'invalid_grant'
  | 'invalid_jwt'
  | 'mfa_enrollment'
  | 'sso_required'
  | 'authentication_required'
  | 'request_rejected'
  | 'cookie_too_large';

/**
 * Retryable reasons: keep the cookie; the next request may succeed. `refresh_in_progress` means
 * another request is refreshing the same token and did not finish within the coordinator's wait.
 */
export type RetryableRefreshFailureReason =
  | 'rate_limit_exceeded'
  | 'server_error'
  | 'timeout'
  | 'network_error'
  | 'invalid_response'
  | 'refresh_in_progress';

/**
 * `session.refresh()` failed. With `retryable: false` the session is over: clear the cookie.
 * With `retryable: true` keep it: the refresh token may still be good.
 *
 * Fields of the terminal variant (`retryable: false`):
 * - `authenticated`: always `false`.
 * - `reason`: why the session is over; see {@link TerminalRefreshFailureReason}.
 * - `retryable`: `false`: clear the cookie and sign the user in again.
 * - `detail`: the underlying code when `reason` groups several: the flow step for
 *   `authentication_required` (`mfa_challenge`, …), the provider's code for `request_rejected`,
 *   the verifier's code for `invalid_jwt` (`jwt_bad_issuer`, …).
 */
export type RefreshFailure =
  | {
      /** Always `false`: narrows {@link RefreshResult}. */
      authenticated: false;
      /** Why the session is over; see {@link TerminalRefreshFailureReason}. */
      reason: TerminalRefreshFailureReason;
      /** `false`: clear the cookie and sign the user in again. */
      retryable: false;
      /** The underlying code when `reason` groups several (`mfa_challenge`, `jwt_bad_issuer`, …). */
      detail?: string;
    }
  | {
      /** Always `false`: narrows {@link RefreshResult}. */
      authenticated: false;
      /** What went wrong; see {@link RetryableRefreshFailureReason}. */
      reason: RetryableRefreshFailureReason;
      /** `true`: keep the cookie and try again on a later request. */
      retryable: true;
      /** Seconds to wait, when the provider said. */
      retryAfter?: number;
      /** The original reason when it was mapped to `server_error` (e.g. `refresh_error`). */
      detail?: string;
    };

/**
 * Result of `session.refresh()`. Never thrown, always returned. Narrow on `authenticated`, then
 * on `retryable`.
 */
export type RefreshResult = RefreshSuccess | RefreshFailure;
