import { eventsOf, loadWithEvents, type SessionManager } from '../session/manager.js';
import type { RefreshCoordination } from '../session/context.js';
import { RefreshCoordinator } from '../session/coordinator.js';
import { createEvents, type EventOptions, type Events } from '../session/events.js';
import type { AuthenticateFailureReason, RefreshFailure, RefreshSuccess, SessionInfo } from '../session/results.js';
import {
  COOKIE_SIZE_BUDGET,
  DEFAULT_MAX_CHUNKS,
  type ReadChunkedCookieResult,
  deleteChunkedCookie,
  readChunkedCookie,
  writeChunkedCookie,
} from '../cookies/chunks.js';
import { CookieTooLargeError } from '../cookies/errors.js';
import { parseCookieHeader } from '../cookies/parse.js';
import { sessionCookieDefaults, type SessionCookie, type SessionCookieConfig } from '../cookies/session-cookie.js';
import { checkAuthenticatorOptions } from './options.js';

/**
 * Options of {@link createRequestAuthenticator} (and, through {@link SessionHandlerOptions}, of
 * `createSessionHandler`).
 */
export interface RequestAuthenticatorOptions extends EventOptions {
  /** The app's one `SessionManager`: its keyring, verifier and caches serve every request. */
  sessions: SessionManager;
  /** Session cookie settings (name, domain, max-age…). `url` decides the `Secure` default. */
  cookie?: SessionCookieConfig & {
    /**
     * Most chunks a session cookie is split into when written. Default {@link cookies!DEFAULT_MAX_CHUNKS}:
     * every chunk comes back in the request's `Cookie` header, and servers cap its size.
     */
    maxChunks?: number;
    /**
     * How the sealed session is carried in the cookie value, for a cookie another SDK wraps
     * (React Router's signed cookie session). Default: the sealed session is the value.
     */
    encoding?: CookieValueEncoding;
  };
  /**
   * Refresh this many seconds before the access token expires, so it never expires in the middle
   * of a request's work. Default 60 (half the lifetime for tokens shorter than two minutes); 0 disables.
   */
  refreshBufferSec?: number;
  /**
   * Longest a request whose token is still valid waits for an early refresh, in milliseconds.
   * Past it the request is served with its current token; the refresh goes on and the next
   * request picks up its result. Default 2000: a slow provider, or a dead instance holding the
   * refresh lock, must not hold up pages that can be answered. Expired tokens always wait.
   */
  proactiveRefreshWaitMs?: number;
  /** Shares refreshes between concurrent requests. Default: a new in-memory `RefreshCoordinator`. */
  coordinator?: RefreshCoordination;
  /**
   * Receives the events of the requests handled here (see {@link EventOptions}), instead of the
   * manager's `onEvent`. Unset, with `debug` unset too, the manager's settings apply. JWKS
   * fetches serve every request of the manager: they go to the manager's `onEvent`.
   */
  onEvent?: EventOptions['onEvent'];
}

/**
 * Wraps the sealed session in a cookie value and takes it back out. Synchronous, because the
 * cookie is read and written on every request path, and pure.
 */
export interface CookieValueEncoding {
  /** The cookie value that carries `sealedSession`; the size budget applies to it. */
  encode(sealedSession: string): string;
  /** The sealed session `value` carries, or `undefined` when it carries none. Never throws. */
  decode(value: string): string | undefined;
}

/**
 * The session of a request, as seen by the app: the {@link SessionInfo} fields when signed in,
 * the reason otherwise. It never holds the sealed cookie or the refresh token, so it is safe to
 * hand to templates and logs. Narrow on `authenticated`.
 */
export type RequestSession =
  | (SessionInfo & {
      /** Always `true`: narrows the union. */
      authenticated: true;
      /** True when this request refreshed the session (its Set-Cookie carries the new cookie, unless `cookieError` says otherwise). */
      refreshed: boolean;
      /**
       * Set when the refreshed session could not be written: `'cookie_too_large'`, it does not fit
       * in `maxChunks` chunks (the provider's user or token grew). The request is served with the
       * refreshed session and the browser keeps its old cookie, which gets the same session for
       * the coordinator's grace window and is then signed out. Not retryable: alert on it, and
       * raise `maxChunks` or keep the user's metadata small.
       */
      cookieError?: 'cookie_too_large';
    })
  | {
      /** Always `false`: narrows the union. */
      authenticated: false;
      /**
       * Why there is no session: the reason of the failed `authenticate()` or `refresh()`, or
       * `invalid_cookie_chunks` when the chunks of a split cookie do not fit together
       * (`invalid_session_cookie` with detail `bad_encoding` when the cookie's encoding does not open).
       */
      reason: AuthenticateFailureReason | RefreshFailure['reason'] | 'invalid_cookie_chunks';
      /** True when the cookie was kept because the failure is temporary. */
      retryable: boolean;
      /** The underlying code when `reason` groups several (`jwt_bad_issuer`, `missing_chunk`, …). */
      detail?: string;
      /** Seconds before a retry can succeed, when the provider said (`rate_limit_exceeded`). */
      retryAfter?: number;
    };

/**
 * Result of {@link RequestAuthenticator.authenticate}: the session for the app, and the cookie
 * changes the response must carry (a refreshed cookie, or the deletion of a dead one).
 */
export interface RequestAuth {
  /** The request's session; hand it to the app. */
  session: RequestSession;
  /** `Set-Cookie` values to add to the response, each as its own header. */
  setCookies: string[];
}

/**
 * Reads, authenticates and refreshes the session cookie of Fetch requests. Built by
 * {@link createRequestAuthenticator}; a {@link SessionHandler} is one too.
 */
export interface RequestAuthenticator {
  /** The resolved session cookie: its name and attributes, for code that sets or deletes it itself. */
  readonly cookie: SessionCookie;
  /**
   * The session of `request`, refreshed when its access token has expired, expires within
   * `refreshBufferSec`, or the cookie was sealed with an old password. A missing or bad cookie
   * is a result, not a throw. Add `setCookies` to the response, e.g. with {@link withCookies}.
   */
  authenticate(request: Request): Promise<RequestAuth>;
  /** `Set-Cookie` values that store `sealedSession`, replacing whatever `request` carried. */
  writeCookie(request: Request, sealedSession: string): string[];
  /** `Set-Cookie` values that delete the session cookie (and every chunk `request` carried). */
  clearCookie(request: Request): string[];
  /** The sealed session `request` carries: its value, absent, or invalid (chunks, or an encoding that does not open). */
  readCookie(request: Request): ReadCookieResult;
}

/**
 * What {@link RequestAuthenticator.readCookie} found: the chunked cookie's result, or `invalid`
 * with reason `bad_encoding` when the value does not carry a sealed session in the configured
 * {@link CookieValueEncoding}.
 */
export type ReadCookieResult = ReadChunkedCookieResult | { readonly status: 'invalid'; readonly reason: 'bad_encoding' };

const defaults = {
  refreshBufferSec: 60,
  proactiveRefreshWaitMs: 2_000,
};

/** A written session cookie past this share of what its chunks can hold is reported as near its budget. */
const NEAR_BUDGET = 0.8;

/** The events of a handler: its own options, or else its manager's. Internal. */
export function eventsFor(options: RequestAuthenticatorOptions): Events {
  return options.onEvent === undefined && options.debug === undefined ? eventsOf(options.sessions) : createEvents(options);
}

/** Bytes of the cookies a write sets (its deletions of stale chunks aside), and how many. */
function writtenSize(setCookies: readonly string[]): { bytes: number; chunks: number } {
  let bytes = 0;
  let chunks = 0;
  for (const header of setCookies) {
    // A deletion has an empty value: `name=; Max-Age=0…`.
    if (header.charCodeAt(header.indexOf('=') + 1) === 0x3b) continue;
    bytes += header.length;
    chunks++;
  }
  return { bytes, chunks };
}

/** `promise`, or `undefined` once `ms` have passed. The timer never keeps a process alive. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, ms, undefined);
    (timer as { unref?: () => void }).unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Adds `Set-Cookie` values to a response, with `Cache-Control: no-store` (a shared cache must
 * never store a response that sets someone's session). Returns `response` itself when its
 * headers can be changed, a copy when they are immutable (a fetched response or
 * `Response.redirect`), and `response` untouched when there is nothing to set.
 *
 * @example
 * ```ts
 * const { session, setCookies } = await authenticator.authenticate(request);
 * return withCookies(Response.json({ signedIn: session.authenticated }), setCookies);
 * ```
 */
export function withCookies(response: Response, setCookies: readonly string[]): Response {
  if (setCookies.length === 0) return response;
  let target = response;
  try {
    for (const value of setCookies) target.headers.append('set-cookie', value);
  } catch {
    // Immutable headers (a fetched response): copy it.
    target = new Response(response.body, response);
    for (const value of setCookies) target.headers.append('set-cookie', value);
  }
  target.headers.set('cache-control', 'no-store');
  return target;
}

/**
 * The session as the app sees it: the {@link SessionInfo} fields of an authenticate or refresh
 * result and nothing else (no sealed cookie, no raw grant). One literal rather than a rest
 * pattern and a spread: this runs on every request, and those copy the object twice.
 */
function requestSession(info: SessionInfo, refreshed: boolean): Extract<RequestSession, { authenticated: true }> {
  return {
    authenticated: true,
    sessionId: info.sessionId,
    organizationId: info.organizationId,
    role: info.role,
    roles: info.roles,
    permissions: info.permissions,
    entitlements: info.entitlements,
    featureFlags: info.featureFlags,
    user: info.user,
    impersonator: info.impersonator,
    authenticationMethod: info.authenticationMethod,
    accessToken: info.accessToken,
    expiresAt: info.expiresAt,
    claims: info.claims,
    sealFormat: info.sealFormat,
    refreshed,
  };
}

/**
 * The `Set-Cookie` values `write` makes for a session, or `undefined` when the session does not
 * fit in its chunks: a refreshed session that outgrew the cookie is an outcome, not a throw.
 */
export function cookiesThatFit(write: () => string[]): string[] | undefined {
  try {
    return write();
  } catch (error) {
    if (error instanceof CookieTooLargeError) return undefined;
    throw error;
  }
}

function bufferFor(info: SessionInfo, configured: number): number {
  const lifetime = info.claims.exp - info.claims.iat;
  return lifetime > 0 ? Math.min(configured, lifetime / 2) : configured;
}

/**
 * Creates the per-request session logic: read the cookie (joining chunks), authenticate it,
 * refresh it shortly before and after expiry through the coordinator, and say which cookies
 * to set. A transient refresh failure keeps the cookie (and serves the old token while it is
 * valid); a terminal one clears it. Use it when the app has its own sign-in routes;
 * `createSessionHandler` adds them. Create one per app: its coordinator shares refreshes
 * between concurrent requests.
 *
 * @throws {ConfigError} listing every invalid option (each problem names the option and the fix).
 * @example
 * ```ts
 * const authenticator = createRequestAuthenticator({ sessions });
 * export default {
 *   async fetch(request: Request): Promise<Response> {
 *     const { session, setCookies } = await authenticator.authenticate(request);
 *     const response = session.authenticated ? new Response(`Hi ${session.user.email}`) : new Response('Please sign in', { status: 401 });
 *     return withCookies(response, setCookies);
 *   },
 * };
 * ```
 */
export function createRequestAuthenticator(options: RequestAuthenticatorOptions): RequestAuthenticator {
  checkAuthenticatorOptions(options);
  const { sessions } = options;
  const cookie = sessionCookieDefaults(options.cookie);
  const maxChunks = options.cookie?.maxChunks;
  const refreshBufferSec = options.refreshBufferSec ?? defaults.refreshBufferSec;
  const proactiveRefreshWaitMs = options.proactiveRefreshWaitMs ?? defaults.proactiveRefreshWaitMs;
  const events = eventsFor(options);
  const coordinator = options.coordinator ?? new RefreshCoordinator({ now: () => sessions.now(), onEvent: events.emit });
  const budgetBytes = (maxChunks ?? DEFAULT_MAX_CHUNKS) * COOKIE_SIZE_BUDGET;

  const encoding = options.cookie?.encoding;

  const cookiesOf = (request: Request) => parseCookieHeader(request.headers);
  const readCookie = (request: Request): ReadCookieResult => {
    const read = readChunkedCookie(cookiesOf(request), cookie.name);
    if (read.status !== 'ok' || encoding === undefined) return read;
    const value = encoding.decode(read.value);
    return value === undefined ? { status: 'invalid', reason: 'bad_encoding' } : { ...read, value };
  };
  const clearCookie = (request: Request) => deleteChunkedCookie(cookie.name, cookiesOf(request), cookie.options);

  function writeCookie(request: Request, sealedSession: string): string[] {
    let setCookies: string[];
    try {
      setCookies = writeChunkedCookie({
        name: cookie.name,
        value: encoding ? encoding.encode(sealedSession) : sealedSession,
        options: cookie.options,
        existingNames: cookiesOf(request),
        maxChunks,
      });
    } catch (error) {
      if (error instanceof CookieTooLargeError) {
        events.emit({ type: 'cookie.budget', at: sessions.now(), bytes: error.size, budgetBytes, chunks: 0, fits: false });
      }
      throw error;
    }
    const { bytes, chunks } = writtenSize(setCookies);
    if (bytes > budgetBytes * NEAR_BUDGET) events.emit({ type: 'cookie.budget', at: sessions.now(), bytes, budgetBytes, chunks, fits: true });
    return setCookies;
  }

  /** A request turned away before its cookie reached a session: told like `authenticate()` outcomes. */
  function unread(reason: 'no_session_cookie_provided' | 'invalid_cookie_chunks', detail?: string): void {
    if (!events.listening) return;
    const event = { type: 'authenticate' as const, at: sessions.now(), authenticated: false as const, reason, refreshable: false };
    events.emit(detail === undefined ? event : { ...event, detail });
  }

  async function authenticate(request: Request): Promise<RequestAuth> {
    const read = readCookie(request);
    if (read.status === 'absent') {
      unread('no_session_cookie_provided');
      return { session: { authenticated: false, reason: 'no_session_cookie_provided', retryable: false }, setCookies: [] };
    }
    if (read.status === 'invalid') {
      unread('invalid_cookie_chunks', read.reason);
      // A value that does not open in the cookie's encoding is a cookie that does not unseal.
      const reason = read.reason === 'bad_encoding' ? 'invalid_session_cookie' : 'invalid_cookie_chunks';
      return {
        session: { authenticated: false, reason, retryable: false, detail: read.reason },
        setCookies: clearCookie(request),
      };
    }
    const session = loadWithEvents(sessions, read.value, events);
    const result = await session.authenticate();
    if (result.authenticated) {
      const remaining = result.expiresAt.getTime() / 1000 - sessions.now() / 1000;
      const dueSoon = refreshBufferSec > 0 && remaining <= bufferFor(result, refreshBufferSec);
      if (!dueSoon && !result.sealedWithOldPassword) return { session: requestSession(result, false), setCookies: [] };
    } else if (!result.refreshable) {
      const session: RequestSession = { authenticated: false, reason: result.reason, retryable: result.retryable };
      if (result.detail) session.detail = result.detail;
      return { session, setCookies: result.retryable ? [] : clearCookie(request) };
    }

    const refreshing = session.refresh({
      coordinator,
      userAgent: request.headers.get('user-agent') ?? undefined,
    });
    const stored = (refreshed: RefreshSuccess): RequestAuth => {
      const session = requestSession(refreshed, true);
      const setCookies = cookiesThatFit(() => writeCookie(request, refreshed.sealedSession));
      if (setCookies !== undefined) return { session, setCookies };
      // The old token is spent: serve the new session now, and leave the old cookie to the grace window.
      session.cookieError = 'cookie_too_large';
      return { session, setCookies: [] };
    };
    if (result.authenticated) {
      const refreshed = await within(refreshing, proactiveRefreshWaitMs);
      if (refreshed?.authenticated) return stored(refreshed);
      // The old token is still valid: serve it. A slow refresh goes on and reaches the next request
      // through the grace window; a terminal failure lost a race to another rotation's newer cookie.
      return { session: requestSession(result, false), setCookies: [] };
    }
    const refreshed = await refreshing;
    if (refreshed.authenticated) return stored(refreshed);
    const failed: RequestSession = { authenticated: false, reason: refreshed.reason, retryable: refreshed.retryable };
    if (refreshed.detail) failed.detail = refreshed.detail;
    if (refreshed.retryable && refreshed.retryAfter !== undefined) failed.retryAfter = refreshed.retryAfter;
    return { session: failed, setCookies: refreshed.retryable ? [] : clearCookie(request) };
  }

  return { cookie, authenticate, writeCookie, clearCookie, readCookie };
}
