/**
 * Errors of the identity provider's HTTP API, typed by what the caller must do next.
 *
 * `retryable` is the one bit a caller needs: `true` means the request may succeed later and
 * any session cookie must be kept; `false` means the grant is dead or the flow needs the user.
 */
export abstract class ApiError extends Error {
  /** Stable machine-readable code (the provider's own code where it sent one). */
  abstract readonly code: string;
  /** Whether trying again later can succeed. */
  abstract readonly retryable: boolean;
  /** HTTP status, when a response was received. */
  readonly status: number | undefined;
  /** The provider's `X-Request-ID`, for support tickets. */
  readonly requestId: string | undefined;

  constructor(message: string, options: { status?: number; requestId?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.status = options.status;
    this.requestId = options.requestId;
  }
}

/** The refresh token or code is used, expired or revoked: the session cannot continue. */
export class InvalidGrantError extends ApiError {
  readonly code = 'invalid_grant';
  readonly retryable = false;
}

/** Codes the provider uses when a sign-in needs another step by the user. */
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

/** One of {@link AUTHENTICATION_FLOW_CODES}. */
export type AuthenticationFlowCode = (typeof AUTHENTICATION_FLOW_CODES)[number];

/** The user must complete another step (MFA, SSO, organization selection, …). */
export class AuthenticationFlowError extends ApiError {
  readonly retryable = false;
  readonly code: AuthenticationFlowCode;
  /** Token to continue the flow with, when the provider sent one. */
  readonly pendingAuthenticationToken: string | undefined;

  constructor(code: AuthenticationFlowCode, message: string, options: { status?: number; requestId?: string; pendingAuthenticationToken?: string } = {}) {
    super(message, options);
    this.code = code;
    this.pendingAuthenticationToken = options.pendingAuthenticationToken;
  }
}

/** The provider rejected the request for another reason (bad parameters, unknown client, …). */
export class RequestRejectedError extends ApiError {
  readonly retryable = false;
  readonly code: string;

  constructor(code: string, message: string, options: { status?: number; requestId?: string } = {}) {
    super(message, options);
    this.code = code;
  }
}

/** HTTP 429. `retryAfter` is in seconds, from the `Retry-After` header. */
export class RateLimitedError extends ApiError {
  readonly code = 'rate_limit_exceeded';
  readonly retryable = true;
  readonly retryAfter: number | undefined;

  constructor(message: string, options: { status?: number; requestId?: string; retryAfter?: number } = {}) {
    super(message, options);
    this.retryAfter = options.retryAfter;
  }
}

/** HTTP 5xx from the provider. */
export class ServerError extends ApiError {
  readonly code = 'server_error';
  readonly retryable = true;
}

/** No response within the configured timeout (or HTTP 408). */
export class TimeoutError extends ApiError {
  readonly code = 'timeout';
  readonly retryable = true;
}

/** The request never reached the provider, or the connection broke. */
export class NetworkError extends ApiError {
  readonly code = 'network_error';
  readonly retryable = true;
}

/** A 2xx response whose body is not what the API documents. */
export class InvalidResponseError extends ApiError {
  readonly code = 'invalid_response';
  readonly retryable = true;
}
