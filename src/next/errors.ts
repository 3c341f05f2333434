import type { RefreshFailure } from '../session/results.js';

/**
 * Codes of {@link AuthKitError} and its subclasses.
 * - `proxy_not_run`: `withAuth` on a path the proxy (middleware) did not run on.
 * - `invalid_config`: a setting or environment variable is unusable.
 * - `invalid_organization`: `switchToOrganization` was given something that is no organization id.
 * - {@link CallbackErrorCode}: why a sign-in callback failed.
 * - {@link TokenRefreshErrorCode}: why a session could not be refreshed.
 */
export type AuthKitErrorCode = 'proxy_not_run' | 'invalid_config' | 'invalid_organization' | CallbackErrorCode | TokenRefreshErrorCode;

/**
 * Why a sign-in callback failed:
 * - `missing_auth_params`: no `code` or no `state` in the callback URL;
 * - `missing_pkce_cookie`: the browser did not bring the sign-in's verifier cookie back
 *   (another browser, cookies blocked, or older than 10 minutes);
 * - `oauth_state_mismatch`: the verifier cookie does not belong to this `state`, or was tampered with;
 * - `invalid_sign_in_link`: a sign-in link (`getSignInUrl`) that was not made with this app's password;
 * - `provider_error`: the provider sent the browser back with an `error`;
 * - `code_exchange_failed`: the provider refused the code, or could not be reached;
 * - `cookie_too_large`: the session does not fit in the cookie's chunks.
 */
export type CallbackErrorCode =
  | 'missing_auth_params'
  | 'missing_pkce_cookie'
  | 'oauth_state_mismatch'
  | 'invalid_sign_in_link'
  | 'provider_error'
  | 'code_exchange_failed'
  | 'cookie_too_large';

/**
 * Why a refresh failed: the reason of the core's `session.refresh()` result
 * (`invalid_grant`, `sso_required`, `server_error`, …).
 */
export type TokenRefreshErrorCode = RefreshFailure['reason'];

/**
 * Base class of the errors `sealed-session/next` throws; `code` says which problem it is.
 *
 * @example
 * ```ts
 * try {
 *   await withAuth();
 * } catch (error) {
 *   if (error instanceof AuthKitError && error.code === 'proxy_not_run') console.error('add this path to the proxy matcher');
 *   throw error;
 * }
 * ```
 */
export class AuthKitError extends Error {
  /** Which problem this is; stable across versions. */
  readonly code: AuthKitErrorCode;
  /** Extra context, when there is some. */
  readonly data: unknown;

  constructor(message: string, options: { code: AuthKitErrorCode; cause?: unknown; data?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'AuthKitError';
    this.code = options.code;
    this.data = options.data;
  }
}

/**
 * A sign-in callback failed. Handed to `handleAuth`'s `onError`; never thrown out of the route.
 * Carries which request failed, without the values of its parameters (`code` is a credential).
 */
export class CallbackError extends AuthKitError {
  declare readonly code: CallbackErrorCode;
  /** The callback's path. */
  readonly path: string | undefined;
  /** The browser's `User-Agent`. */
  readonly userAgent: string | undefined;
  /** Whether the callback URL had a `code`. */
  readonly hasCode: boolean;
  /** Whether the callback URL had a `state`. */
  readonly hasState: boolean;

  constructor(
    message: string,
    code: CallbackErrorCode,
    context: { path?: string; userAgent?: string; hasCode?: boolean; hasState?: boolean; cause?: unknown } = {},
  ) {
    super(message, { code, cause: context.cause });
    this.name = 'CallbackError';
    this.path = context.path;
    this.userAgent = context.userAgent;
    this.hasCode = context.hasCode ?? false;
    this.hasState = context.hasState ?? false;
  }
}

/**
 * `refreshSession` (or `switchToOrganization`) could not refresh the session. With `isTransient`
 * the cookie was kept and a later attempt may succeed; otherwise the session is over and its
 * cookie was deleted.
 */
export class TokenRefreshError extends AuthKitError {
  declare readonly code: TokenRefreshErrorCode;
  /** The user of the session, when the cookie could be read. */
  readonly userId: string | undefined;
  /** The session id (`sid`), when the cookie could be read. */
  readonly sessionId: string | undefined;
  /** True when the failure is temporary (provider down, rate limited): the cookie was kept. */
  readonly isTransient: boolean;

  constructor(
    message: string,
    code: TokenRefreshErrorCode,
    context: { userId?: string; sessionId?: string; isTransient?: boolean; cause?: unknown } = {},
  ) {
    super(message, { code, cause: context.cause });
    this.name = 'TokenRefreshError';
    this.userId = context.userId;
    this.sessionId = context.sessionId;
    this.isTransient = context.isTransient ?? false;
  }
}
