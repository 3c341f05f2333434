import { SealedSessionError } from '../errors/base.js';

/** What every {@link ApiError} may know about the response that caused it. */
export interface ApiErrorOptions {
  /** HTTP status, when a response was received. */
  status?: number;
  /** The provider's `X-Request-ID`. */
  requestId?: string;
  /** The underlying failure. */
  cause?: unknown;
}

/**
 * Errors of the identity provider's HTTP API, typed by what the caller must do next.
 * `retryable` is the one bit a caller needs: `true` means the request may succeed later and
 * any session cookie must be kept; `false` means the grant is dead or the flow needs the user.
 *
 * Thrown by the `SessionManager` methods that call the provider (`authenticateWithCode`,
 * `authenticateWithRefreshToken`, `revokeSession`). `Session.refresh()` never throws them: it
 * returns their `code` as the failure's `reason`.
 *
 * @example
 * ```ts
 * try {
 *   auth = await sessions.authenticateWithCode({ code, codeVerifier });
 * } catch (error) {
 *   if (!(error instanceof ApiError)) throw error;
 *   console.warn(error.code, error.status, error.requestId);
 *   return error.retryable ? new Response('Try again', { status: 503 }) : Response.redirect(signInUrl);
 * }
 * ```
 */
export abstract class ApiError extends SealedSessionError {
  /** Whether trying again later can succeed. */
  abstract readonly retryable: boolean;
  /** HTTP status, when a response was received. */
  readonly status: number | undefined;
  /** The provider's `X-Request-ID`, for support tickets. */
  readonly requestId: string | undefined;

  /** @param message - what went wrong; @param options - `status` and `requestId` of the response, when there was one. */
  constructor(message: string, options: ApiErrorOptions = {}) {
    super(message, options);
    this.status = options.status;
    this.requestId = options.requestId;
  }
}

/**
 * The refresh token or code is used, expired or revoked: the session cannot continue. Clear the
 * session cookie and send the user to sign in again; retrying the same grant cannot succeed.
 */
export class InvalidGrantError extends ApiError {
  /** Always `'invalid_grant'`. */
  readonly code = 'invalid_grant';
  /** Always `false`. */
  readonly retryable = false;
}

/**
 * Codes the provider uses when a sign-in needs another step by the user.
 */
export const AUTHENTICATION_FLOW_CODES = [
  'email_verification_required',
  'organization_selection_required',
  'mfa_enrollment',
  'mfa_challenge',
  'mfa_verification',
  'radar_email_challenge',
  'radar_sms_challenge',
  'sso_required',
] as const;

/**
 * One of {@link AUTHENTICATION_FLOW_CODES}.
 */
export type AuthenticationFlowCode = (typeof AUTHENTICATION_FLOW_CODES)[number];

/**
 * The user must complete another step (MFA, SSO, organization selection, …) before the sign-in
 * gives tokens. Continue the flow with `pendingAuthenticationToken` if your app implements that
 * step, or send the user back to the hosted sign-in page.
 */
export class AuthenticationFlowError extends ApiError {
  /** Always `false`: the user has to act. */
  readonly retryable = false;
  /** Which step is needed. */
  readonly code: AuthenticationFlowCode;
  /** Token to continue the flow with, when the provider sent one. */
  readonly pendingAuthenticationToken: string | undefined;

  /** @param message - the provider's message; @param options - `code`, the step needed, and the token to continue with. */
  constructor(message: string, options: ApiErrorOptions & { code: AuthenticationFlowCode; pendingAuthenticationToken?: string }) {
    super(message, options);
    this.code = options.code;
    this.pendingAuthenticationToken = options.pendingAuthenticationToken;
  }
}

/**
 * The provider rejected the request for another reason (bad parameters, unknown client, …).
 * Usually a configuration mistake: log `code` and `requestId`; retrying the same request fails again.
 */
export class RequestRejectedError extends ApiError {
  /** Always `false`. */
  readonly retryable = false;
  /** The provider's error code (`bad_request` when it sent none). */
  readonly code: string;

  /** @param message - the provider's message; @param options - `code`, the provider's error code. */
  constructor(message: string, options: ApiErrorOptions & { code: string }) {
    super(message, options);
    this.code = options.code;
  }
}

/**
 * HTTP 429: too many requests. Keep any session cookie and try again after `retryAfter` seconds.
 */
export class RateLimitedError extends ApiError {
  /** Always `'rate_limit_exceeded'`. */
  readonly code = 'rate_limit_exceeded';
  /** Always `true`. */
  readonly retryable = true;
  /** Seconds to wait, from the `Retry-After` header; `undefined` when the provider did not say. */
  readonly retryAfter: number | undefined;

  /** @param message - the provider's message; @param options - `retryAfter`, from the `Retry-After` header. */
  constructor(message: string, options: ApiErrorOptions & { retryAfter?: number } = {}) {
    super(message, options);
    this.retryAfter = options.retryAfter;
  }
}

/**
 * HTTP 5xx from the provider: an outage on its side. Keep any session cookie and try later.
 */
export class ServerError extends ApiError {
  /** Always `'server_error'`. */
  readonly code = 'server_error';
  /** Always `true`. */
  readonly retryable = true;
}

/**
 * No complete response, headers and body, within the manager's `timeoutMs`, or HTTP 408. The
 * request may still have been processed: a refresh token sent with it may be spent. Keep the
 * cookie and try later.
 */
export class TimeoutError extends ApiError {
  /** Always `'timeout'`. */
  readonly code = 'timeout';
  /** Always `true`. */
  readonly retryable = true;
}

/**
 * The request never reached the provider, or the connection broke (DNS, TLS, reset). Keep the
 * cookie and try later; check outbound connectivity if it persists.
 */
export class NetworkError extends ApiError {
  /** Always `'network_error'`. */
  readonly code = 'network_error';
  /** Always `true`. */
  readonly retryable = true;
}

/**
 * An answer that is not what the API documents, so it says nothing about the grant: a 2xx body
 * that is not the documented JSON (often a proxy's HTML page), a redirect (never followed), a
 * 4xx without an API error in JSON (a gateway's page), or a body over 1 MiB. Treated as
 * transient: keep the cookie and try later; check `baseUrl` and proxies if it persists.
 */
export class InvalidResponseError extends ApiError {
  /** Always `'invalid_response'`. */
  readonly code = 'invalid_response';
  /** Always `true`. */
  readonly retryable = true;
}
