/**
 * The event stream: one typed event for each thing an operator may want to see, from the core
 * (authenticate, refresh, JWKS, refresh store) and from the request handlers (sign-in, sign-out,
 * cookie size). Events carry ids, reasons, codes and durations, never a token, a cookie, a code,
 * a secret or an email.
 */
import type { JwksFetchFailure, JwksFetchTrigger } from '../jwt/jwks.js';
import type { SealFormat } from '../seal/codecs.js';
import type { AuthenticateFailureReason } from './results.js';

export type { JwksFetchFailure, JwksFetchTrigger };

interface EventBase {
  /** When it happened, in milliseconds since the epoch (the manager's clock). */
  at: number;
}

/** A browser was sent to the provider to sign in (or up). */
export interface SignInStartedEvent extends EventBase {
  type: 'sign_in.started';
  /** The callback URL sent to the provider for this sign-in. */
  redirectUri: string;
  screenHint: 'sign-in' | 'sign-up';
}

/** The callback exchanged its code and set the session cookie. */
export interface SignInSucceededEvent extends EventBase {
  type: 'sign_in.succeeded';
  userId: string;
  sessionId: string | undefined;
  organizationId: string | undefined;
  /** Time spent exchanging the code and sealing the session, in milliseconds. */
  durationMs: number;
}

/**
 * Why a callback signed nobody in.
 * - `provider_error`: the provider sent the browser back with an `error` (`providerCode` holds it).
 * - `missing_parameters`: no code, no state, or no sign-in state cookie (an old or foreign link).
 * - `state_expired`: the sign-in state cookie is older than its ten minutes.
 * - `state_invalid`: the state cookie does not open (tampered, or sealed with another password).
 * - `state_mismatch`: the `state` in the URL is not this browser's (login CSRF, or two tabs).
 * - `redirect_uri_mismatch`: the callback arrived at another redirect URI than the sign-in sent.
 * - `redirect_uri_not_allowed`: the sign-in could not start: no redirect URI is allowed for the request.
 * - `pkce_failed`: the provider refused the code for its PKCE verifier.
 * - `code_exchange_failed`: the provider refused the code or could not be reached (`providerCode`, `retryable`).
 * - `cookie_too_large`: the session does not fit in the session cookie.
 */
export type SignInFailureCause =
  | 'provider_error'
  | 'missing_parameters'
  | 'state_expired'
  | 'state_invalid'
  | 'state_mismatch'
  | 'redirect_uri_mismatch'
  | 'redirect_uri_not_allowed'
  | 'pkce_failed'
  | 'code_exchange_failed'
  | 'cookie_too_large';

/** A sign-in ended without a session. */
export interface SignInFailedEvent extends EventBase {
  type: 'sign_in.failed';
  cause: SignInFailureCause;
  /** The provider's error code, when it gave one (`invalid_grant`, `access_denied`…). */
  providerCode?: string;
  /** Whether the same sign-in may succeed if tried again (a provider outage). */
  retryable: boolean;
}

/** The outcome of one `authenticate()` of a session cookie. */
export type AuthenticateEvent = EventBase & { type: 'authenticate' } & (
  | { authenticated: true; userId: string; sessionId: string; organizationId: string | undefined }
  | {
      authenticated: false;
      reason: AuthenticateFailureReason | 'invalid_cookie_chunks';
      detail?: string;
      /** The access token expired: a refresh can renew the session. */
      refreshable: boolean;
    }
);

/** This process is about to spend a refresh token at the provider (once per token, however many requests wait). */
export interface RefreshStartedEvent extends EventBase {
  type: 'refresh.started';
  sessionId: string | undefined;
  organizationId: string | undefined;
}

interface RefreshEnd extends EventBase {
  sessionId: string | undefined;
  /** From the call to its outcome, waiting included, in milliseconds. */
  durationMs: number;
  /** `false` when this call received the outcome of another call's refresh instead of making its own. */
  leader: boolean;
  /** The outcome was kept from a refresh that had already finished (the grace window). */
  graceHit: boolean;
}

/** A refresh gave this call a new session. */
export interface RefreshSucceededEvent extends RefreshEnd {
  type: 'refresh.succeeded';
  organizationId: string | undefined;
}

/** A refresh gave this call no session. */
export interface RefreshFailedEvent extends RefreshEnd {
  type: 'refresh.failed';
  reason: string;
  detail?: string;
  retryable: boolean;
}

/** The provider's signing keys were fetched. */
export interface JwksFetchedEvent extends EventBase {
  type: 'jwks.fetched';
  trigger: JwksFetchTrigger;
  durationMs: number;
  /** Usable RS256 keys in the set. */
  keyCount: number;
}

/** Fetching the provider's signing keys failed; cached keys, if any, are still served. */
export interface JwksFailedEvent extends EventBase {
  type: 'jwks.failed';
  trigger: JwksFetchTrigger;
  durationMs: number;
  reason: JwksFetchFailure;
}

/** The shared refresh store failed; the coordinator went on with in-process coordination. */
export interface StoreFallbackEvent extends EventBase {
  type: 'store.fallback';
  /** The store error's code (`ERR_REFRESH_STORE_TIMEOUT`, `ERR_REFRESH_STORE_UNAVAILABLE`…). */
  code: string;
}

/** A session cookie was written near its size budget, or could not be written at all. */
export interface CookieBudgetEvent extends EventBase {
  type: 'cookie.budget';
  /** Bytes of the `Set-Cookie` headers written, or of the sealed value that did not fit. */
  bytes: number;
  /** Bytes `maxChunks` cookies can hold. */
  budgetBytes: number;
  /** Cookies written (chunks); 0 when it did not fit. */
  chunks: number;
  /** False when the session could not be written: the browser keeps its old cookie. */
  fits: boolean;
}

/** A sign-out: the cookie is cleared, and the provider session ended when it could be read. */
export interface SignOutEvent extends EventBase {
  type: 'sign_out';
  sessionId: string | undefined;
  /** The session was also revoked at the provider (`revokeOnSignOut`). */
  revoked: boolean;
}

/**
 * A session cookie was opened with a password kept only to open (`openOnly`). Its result says
 * `sealedWithOldPassword`, and a refresh re-seals it with a password that seals. When these stop
 * coming, remove that password. Sent once per cookie opened (opened cookies are remembered), not
 * per request.
 */
export interface OpenOnlyPasswordEvent extends EventBase {
  type: 'password.open_only_used';
  /** The id of the password that opened it. */
  passwordId: string;
  format: SealFormat;
}

/**
 * Every event, told apart by `type`. Narrow on it:
 *
 * @example
 * ```ts
 * const sessions = new SessionManager({
 *   onEvent(event: SessionEvent) {
 *     if (event.type === 'refresh.failed' && !event.retryable) metrics.increment('sign_outs', { reason: event.reason });
 *   },
 * });
 * ```
 */
export type SessionEvent =
  | SignInStartedEvent
  | SignInSucceededEvent
  | SignInFailedEvent
  | AuthenticateEvent
  | RefreshStartedEvent
  | RefreshSucceededEvent
  | RefreshFailedEvent
  | JwksFetchedEvent
  | JwksFailedEvent
  | StoreFallbackEvent
  | CookieBudgetEvent
  | SignOutEvent
  | OpenOnlyPasswordEvent;

/** The `type` of every event. */
export type SessionEventType = SessionEvent['type'];

/**
 * The event options of `SessionManager`, `RefreshCoordinator` and the request handlers.
 *
 * @example
 * ```ts
 * const options: EventOptions = { onEvent: (event) => logger.info(event, event.type) };
 * const sessions = new SessionManager({ ...options, clientId, apiKey, cookiePassword });
 * ```
 */
export interface EventOptions {
  /** Receives every event. A listener that throws is ignored: it never breaks a request. */
  onEvent?: (event: SessionEvent) => void;
  /**
   * `true` prints one readable line per event to the console. By default (unset, without
   * `onEvent`) only failures that would otherwise go unseen are printed, as warnings: a sign-in
   * that failed on the server, the refresh store falling back, a cookie that could not be
   * written, and, once per process, a cookie opened with an `openOnly` password. `false`
   * prints nothing.
   */
  debug?: boolean;
}

/** Where the core and the handlers send events. Internal. */
export interface Events {
  /** Whether every event is wanted: frequent events are only built when it is true. */
  readonly listening: boolean;
  emit(event: SessionEvent): void;
}

/** Failures that would go unseen: printed as warnings unless events are handled otherwise. */
function isWarning(event: SessionEvent): boolean {
  switch (event.type) {
    case 'sign_in.failed':
      return !event.cause.startsWith('state_') && event.cause !== 'missing_parameters';
    case 'store.fallback':
      return true;
    case 'cookie.budget':
      return !event.fits;
    case 'password.open_only_used':
      return true;
    default:
      return false;
  }
}

/** Warnings that recur for as long as a migration lasts: printed for the first event only. */
const printOnce: ReadonlySet<SessionEventType> = new Set(['password.open_only_used']);
const printed = new Set<SessionEventType>();

/** Whether the default warning for `event` is still to be printed in this process. */
function firstWarning(event: SessionEvent): boolean {
  if (!printOnce.has(event.type)) return true;
  if (printed.has(event.type)) return false;
  printed.add(event.type);
  return true;
}

function isFailure(event: SessionEvent): boolean {
  return event.type.endsWith('.failed') || isWarning(event) || (event.type === 'authenticate' && !event.authenticated && !event.refreshable);
}

/**
 * One line for a person, as `debug: true` prints it: the type, then each field but `at`.
 *
 * @example
 * ```ts
 * describeEvent({ type: 'sign_in.failed', at: Date.now(), cause: 'state_mismatch', retryable: false });
 * // 'sealed-session sign_in.failed cause="state_mismatch" retryable=false'
 * const sessions = new SessionManager({ onEvent: (event) => myLogger.info(describeEvent(event)) });
 * ```
 */
export function describeEvent(event: SessionEvent): string {
  let line = `sealed-session ${event.type}`;
  for (const [name, value] of Object.entries(event)) {
    if (name === 'type' || name === 'at' || value === undefined) continue;
    line += ` ${name}=${typeof value === 'string' ? JSON.stringify(value) : String(value)}`;
  }
  return line;
}

function print(event: SessionEvent): void {
  const line = describeEvent(event);
  if (isFailure(event)) console.warn(line);
  else console.info(line);
}

/** The events of a manager, coordinator or handler, from its options. */
export function createEvents(options: EventOptions = {}): Events {
  const { onEvent, debug } = options;
  const listening = onEvent !== undefined || debug === true;
  const warnOnly = debug === undefined && onEvent === undefined;
  return {
    listening,
    emit(event) {
      if (onEvent !== undefined) {
        try {
          const returned: unknown = onEvent(event);
          // An async listener's rejection must not become an unhandled one.
          if (returned instanceof Promise) returned.catch(() => undefined);
        } catch {
          // An observer's bug must not become a failed request.
        }
      }
      if (debug === true || (warnOnly && isWarning(event) && firstWarning(event))) print(event);
    },
  };
}
