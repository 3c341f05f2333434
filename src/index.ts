/**
 * sealed-session: sealed (encrypted) session cookies for apps that sign users in with WorkOS
 * AuthKit. Web standards only at this entry point; Node-only pieces have their own entry points,
 * and so do the cookie primitives (`sealed-session/cookies`).
 * @packageDocumentation
 */
export { SessionManager, type SealSessionInput } from './session/manager.js';
export { Session, type RefreshOptions } from './session/session.js';
export type { SessionManagerOptions } from './session/config.js';
export { defaultIssuers } from './session/config.js';
export { ConfigError, SessionError, type SessionErrorCode } from './session/errors.js';
export type {
  AuthenticateResult,
  AuthenticateSuccess,
  AuthenticateFailure,
  AuthenticateFailureReason,
  RefreshResult,
  RefreshSuccess,
  RefreshFailure,
  TerminalRefreshFailureReason,
  RetryableRefreshFailureReason,
  SessionInfo,
} from './session/results.js';
export type { RefreshCoordination, RefreshOutcome } from './session/context.js';
export type { SessionPayload } from './session/payload.js';
export type {
  SessionEvent,
  SessionEventType,
  EventOptions,
  SignInStartedEvent,
  SignInSucceededEvent,
  SignInFailedEvent,
  SignInFailureCause,
  AuthenticateEvent,
  RefreshStartedEvent,
  RefreshSucceededEvent,
  RefreshFailedEvent,
  JwksFetchedEvent,
  JwksFailedEvent,
  StoreFallbackEvent,
  CookieBudgetEvent,
  SignOutEvent,
} from './session/events.js';
export { describeEvent } from './session/events.js';

export * from './seal/index.js';

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
  type AuthenticationFlowCode,
} from './api/errors.js';
export type {
  User,
  Impersonator,
  AuthenticationMethod,
  AuthenticationResponse,
  AuthenticateWithCodeOptions,
  AuthenticateWithRefreshTokenOptions,
  AuthorizationUrlOptions,
  LogoutUrlOptions,
  ClientSignals,
} from './api/types.js';

export {
  JwtError,
  JwtInvalidError,
  JwtExpiredError,
  JwksUnavailableError,
  type JwtInvalidCode,
  type AccessTokenClaims,
} from './jwt/errors.js';
export {
  JwksCache,
  type JwksCacheOptions,
  type JwksFetchReport,
  type JwksFetchTrigger,
  type JwksFetchFailure,
} from './jwt/jwks.js';

export * from './http/index.js';
export {
  RefreshCoordinator,
  type RefreshCoordinatorOptions,
  type RefreshRunOptions,
  type SharedRefreshOutcome,
  type RefreshStore,
} from './session/coordinator.js';
export { createMemoryRefreshStore } from './session/stores/memory.js';
