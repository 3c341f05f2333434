/**
 * sealed-session: sealed (encrypted) session cookies for apps that sign users in with WorkOS
 * AuthKit. This entry point holds what an app needs to run sessions: `SessionManager` and
 * `Session`, the Fetch handler (`createSessionHandler`, `createRequestAuthenticator`,
 * `withCookies`, `safeReturnTo`), `sealData` and `unsealData`, and the types of their options
 * and results. Errors are at `sealed-session/errors`; the keyring, refresh coordination, cookie
 * primitives and adapters have entry points of their own. Web standards only.
 *
 * @example
 * ```ts
 * import { createSessionHandler, SessionManager } from 'sealed-session';
 * import { ConfigError } from 'sealed-session/errors';
 *
 * const sessions = new SessionManager(); // WORKOS_CLIENT_ID, WORKOS_API_KEY, WORKOS_COOKIE_PASSWORD
 * const auth = createSessionHandler({ sessions, redirectUri: 'https://app.example.com/auth/callback' });
 * ```
 * @packageDocumentation
 */
export { SessionManager, type SealSessionInput } from './session/manager.js';
export { Session, type RefreshOptions } from './session/session.js';
export { defaultIssuers, type SessionManagerOptions } from './session/config.js';
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
export type { RefreshCoordination } from './session/context.js';
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
  OpenOnlyPasswordEvent,
} from './session/events.js';
export { describeEvent } from './session/events.js';
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
export type { AccessTokenClaims } from './jwt/errors.js';
export type { JwksCache, GetKeyOptions, JwksFetchReport, JwksFetchTrigger, JwksFetchFailure } from './jwt/jwks.js';

export { sealData, unsealData, type SealOptions, type UnsealOptions } from './seal/seal.js';
export type { PasswordEntry, PasswordInput } from './seal/keyring.js';
export type { SealFormat } from './seal/codecs.js';

export * from './http/index.js';
