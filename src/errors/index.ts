/**
 * `sealed-session/errors`: every error class the library throws, and their codes. Each is a
 * {@link SealedSessionError} with a stable `code`, `name` equal to its class and, where it wraps
 * another failure, `cause`; one base class per layer groups them. Match on the class or on
 * `code`, never on the message.
 *
 * @example
 * ```ts
 * import { ApiError, ConfigError } from 'sealed-session/errors';
 *
 * try {
 *   auth = await sessions.authenticateWithCode({ code, codeVerifier });
 * } catch (error) {
 *   if (error instanceof ApiError && error.retryable) return new Response('Try again', { status: 503 });
 *   throw error;
 * }
 * ```
 * @packageDocumentation
 */
export { SealedSessionError } from './base.js';
export {
  SealError,
  SealMalformedError,
  SealBadMacError,
  SealExpiredError,
  SealTimestampError,
  SealUnknownPasswordError,
  SealPayloadError,
  SealPasswordError,
  SealOptionsError,
  type SealErrorCode,
  type SealPasswordProblem,
} from '../seal/errors.js';
export {
  CookieError,
  CookieNameError,
  CookieValueError,
  CookieOptionsError,
  CookieTooLargeError,
  type CookieErrorCode,
} from '../cookies/errors.js';
export { JwtError, JwtInvalidError, JwtExpiredError, JwksUnavailableError, type JwtInvalidCode } from '../jwt/errors.js';
export {
  ApiError,
  InvalidGrantError,
  AuthenticationFlowError,
  RequestRejectedError,
  RateLimitedError,
  ServerError,
  TimeoutError,
  NetworkError,
  InvalidResponseError,
  AUTHENTICATION_FLOW_CODES,
  type ApiErrorOptions,
  type AuthenticationFlowCode,
} from '../api/errors.js';
export { ConfigError, SessionError, type SessionErrorCode } from '../session/errors.js';
export {
  RefreshCoordinationError,
  RefreshOptionsError,
  RefreshStoreError,
  RefreshStoreTimeoutError,
  RefreshStoreUnavailableError,
  RefreshLockLostError,
  type RefreshCoordinationErrorCode,
  type RefreshStoreErrorCode,
} from '../session/stores/errors.js';
