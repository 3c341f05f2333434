import { ApiError } from '../api/errors.js';
import { copyUser } from '../api/wire.js';
import type { AuthenticationResponse, ClientSignals } from '../api/types.js';
import { validateClaims } from '../jwt/claims.js';
import { decodeJwt } from '../jwt/decode.js';
import { type AccessTokenClaims, JwksUnavailableError, JwtError, JwtExpiredError } from '../jwt/errors.js';
import { SealError, SealPayloadError } from '../seal/errors.js';
import { type Keyring, sealData, unsealWithDetails, type SealFormat } from '../seal/index.js';
import type { RefreshCoordination, RefreshOutcome, SessionContext } from './context.js';
import { SessionError } from './errors.js';
import { codecFor } from '../seal/codecs.js';
import { freezePayload, type OpenedSession, type OpenedSessionCache } from './opened-cache.js';
import { readSessionPayload, type SessionPayload, writeSessionPayload } from './payload.js';
import type {
  AuthenticateFailure,
  AuthenticateResult,
  AuthenticateSuccess,
  RefreshFailure,
  RefreshResult,
  SessionInfo,
} from './results.js';

/** Options of {@link Session.refresh}. */
export interface RefreshOptions extends ClientSignals {
  /** Switch to this organization. Default: keep the session's current organization. */
  organizationId?: string;
  /** Share the refresh with concurrent requests carrying the same cookie (see `RefreshCoordinator`). */
  coordinator?: RefreshCoordination;
}

type Opened = OpenedSession;

type OpenFailure = { failure: AuthenticateFailure };

function fail(reason: AuthenticateFailure['reason'], detail?: string, flags: Partial<AuthenticateFailure> = {}): AuthenticateFailure {
  const failure: AuthenticateFailure = { authenticated: false, reason, refreshable: false, retryable: false, ...flags };
  if (detail) failure.detail = detail;
  return failure;
}

/**
 * The public view of a session, built in one literal: it runs on every request. The user and
 * impersonator are copies (the cached payload is frozen and shared; `SessionInfo.user` is the
 * caller's to change); `claims` and its lists are the verifier's shared, frozen object.
 */
export function sessionInfo(payload: SessionPayload, claims: AccessTokenClaims, format: SealFormat): SessionInfo {
  return {
    sessionId: claims.sid,
    organizationId: claims.org_id,
    role: claims.role,
    roles: claims.roles,
    permissions: claims.permissions,
    entitlements: claims.entitlements,
    featureFlags: claims.feature_flags,
    user: copyUser(payload.user),
    impersonator: payload.impersonator && { email: payload.impersonator.email, reason: payload.impersonator.reason },
    authenticationMethod: payload.authenticationMethod,
    accessToken: payload.accessToken,
    expiresAt: new Date(claims.exp * 1000),
    claims,
    sealFormat: format,
  };
}

/** The result of a successful `authenticate()`: the session view plus two flags, without a copy. */
function authenticated(payload: SessionPayload, claims: AccessTokenClaims, format: SealFormat, sealedWithOldPassword: boolean): AuthenticateSuccess {
  const result = sessionInfo(payload, claims, format) as AuthenticateSuccess;
  result.authenticated = true;
  result.sealedWithOldPassword = sealedWithOldPassword;
  return result;
}

/**
 * The password a cookie opened by `passwordId` is re-sealed with when refreshed in its own
 * format, so that whoever wrote it can still read it. A seal that names no key (Fernet) may
 * come from an app holding that key alone (workos-python holds a single one): it stays under
 * the key that opened it, as long as that key seals the format. A seal that names its password
 * (Iron) moves to the newest one, which is how a rotation completes.
 */
function resealPasswordId(keyring: Keyring, format: SealFormat, passwordId: string): string | undefined {
  if (!codecFor(format).namesKey && keyring.sealingIds(format).includes(passwordId)) return passwordId;
  return keyring.newestId(format);
}

function refreshFailureFrom(error: unknown): RefreshOutcome {
  if (error instanceof ApiError) {
    const outcome: RefreshOutcome = { ok: false, reason: error.code, retryable: error.retryable };
    if ('retryAfter' in error && typeof error.retryAfter === 'number' && Number.isFinite(error.retryAfter)) outcome.retryAfter = error.retryAfter;
    return outcome;
  }
  // The only seal made here is the new session's: it outgrew what a seal may hold.
  if (error instanceof SealPayloadError) return { ok: false, reason: 'cookie_too_large', retryable: false };
  if (error instanceof SealError) return { ok: false, reason: 'invalid_session_cookie', retryable: false };
  return { ok: false, reason: 'network_error', retryable: true };
}

const TERMINAL_PASSTHROUGH = new Set(['invalid_grant', 'mfa_enrollment', 'sso_required', 'invalid_session_cookie', 'invalid_jwt', 'cookie_too_large']);
const RETRYABLE_PASSTHROUGH = new Set(['rate_limit_exceeded', 'server_error', 'timeout', 'network_error', 'invalid_response', 'refresh_in_progress']);

function toRefreshFailure(outcome: Extract<RefreshOutcome, { ok: false }>): RefreshFailure {
  if (outcome.retryable) {
    const reason = RETRYABLE_PASSTHROUGH.has(outcome.reason) ? outcome.reason : 'server_error';
    const failure = { authenticated: false, reason, retryable: true } as Extract<RefreshFailure, { retryable: true }>;
    if (reason !== outcome.reason) failure.detail = outcome.reason;
    if (outcome.retryAfter !== undefined) failure.retryAfter = outcome.retryAfter;
    return failure;
  }
  if (TERMINAL_PASSTHROUGH.has(outcome.reason)) {
    return { authenticated: false, reason: outcome.reason as 'invalid_grant', retryable: false };
  }
  // The coordinator refused a signed-out session: to the app, a revoked grant.
  if (outcome.reason === 'session_ended') return { authenticated: false, reason: 'invalid_grant', retryable: false, detail: outcome.reason };
  // Other flow codes (organization selection, email verification…) all need the user at the sign-in page.
  const reason = outcome.reason.includes('_required') || outcome.reason.startsWith('mfa_') || outcome.reason.startsWith('radar_')
    ? 'authentication_required'
    : 'request_rejected';
  return { authenticated: false, reason, retryable: false, detail: outcome.reason };
}

/**
 * One sealed session cookie, loaded. Every method returns a result and never throws for a
 * bad cookie, except `getLogoutUrl` and `getSessionId`, which must return a value and so throw
 * {@link SessionError}. Get one from `sessions.loadSealedSession()`, once per request: it
 * unseals the cookie at most once, however many methods are called.
 *
 * @example
 * ```ts
 * const session = sessions.loadSealedSession({ sessionData: cookie });
 * const result = await session.authenticate();
 * if (!result.authenticated && result.refreshable) {
 *   const refreshed = await session.refresh();
 *   if (refreshed.authenticated) setCookie(refreshed.sealedSession);
 * }
 * ```
 */
export class Session {
  readonly #context: SessionContext;
  readonly #sessionData: string;
  readonly #cache: OpenedSessionCache | undefined;
  #opened: Opened | OpenFailure | Promise<Opened | OpenFailure> | undefined;

  /** @internal Created by `SessionManager.loadSealedSession`, with the manager's opened-cookie cache. */
  constructor(context: SessionContext, sessionData: unknown, cache?: OpenedSessionCache) {
    this.#context = context;
    this.#sessionData = typeof sessionData === 'string' ? sessionData : '';
    this.#cache = cache;
  }

  /** The sealed cookie value this session was loaded from. */
  get sealedSession(): string {
    return this.#sessionData;
  }

  /** Unseals the cookie and verifies its access token. */
  async authenticate(): Promise<AuthenticateResult> {
    // A cookie or token seen before is answered without waiting on promises that are already settled.
    const state = this.#open();
    const opened = state instanceof Promise ? await state : state;
    if ('failure' in opened) return this.#outcome(opened.failure);
    const { payload, format, sealedWithOldPassword } = opened;
    const { verifier } = this.#context;
    let claims: AccessTokenClaims;
    try {
      const checked = verifier.claims(payload.accessToken);
      claims = checked instanceof Promise ? await checked : checked;
    } catch (error) {
      if (error instanceof JwtExpiredError) {
        if (error.claims.sub !== payload.user.id) return this.#outcome(fail('invalid_session_cookie', 'session_user_mismatch'));
        return this.#outcome(fail('invalid_jwt', error.code, { refreshable: true }));
      }
      if (error instanceof JwksUnavailableError) return this.#outcome(fail('jwks_unavailable', error.code, { retryable: true }));
      return this.#outcome(fail('invalid_jwt', error instanceof JwtError ? error.code : 'jwt_unverifiable'));
    }
    if (claims.sub !== payload.user.id) return this.#outcome(fail('invalid_session_cookie', 'session_user_mismatch'));
    return this.#outcome(authenticated(payload, claims, format, sealedWithOldPassword));
  }

  /** `result`, told to the listeners when there are any: the event is only built for them. */
  #outcome(result: AuthenticateResult): AuthenticateResult {
    const { events, config } = this.#context;
    if (!events.listening) return result;
    if (result.authenticated) {
      events.emit({
        type: 'authenticate',
        at: config.now(),
        authenticated: true,
        userId: result.user.id,
        sessionId: result.sessionId,
        organizationId: result.organizationId,
      });
    } else {
      const { reason, detail, refreshable } = result;
      events.emit(detail === undefined
        ? { type: 'authenticate', at: config.now(), authenticated: false, reason, refreshable }
        : { type: 'authenticate', at: config.now(), authenticated: false, reason, detail, refreshable });
    }
    return result;
  }

  /**
   * Exchanges the cookie's refresh token for new tokens and seals them into a new cookie. Works
   * with an expired access token. The organization is kept unless `organizationId` is given.
   * No automatic retry: a refresh token is single use.
   */
  async refresh(options: RefreshOptions = {}): Promise<RefreshResult> {
    const result = await this.#refreshOnce(options);
    const wanted = options.organizationId;
    if (wanted === undefined || !result.authenticated || !result.shared || result.organizationId === wanted) return result;
    // Sharing is per refresh token, not per organization: this switch received the session of
    // another request's refresh of the same token. Switch from that session, with its new token.
    return new Session(this.#context, result.sealedSession, this.#cache).#refreshOnce(options);
  }

  async #refreshOnce(options: RefreshOptions): Promise<RefreshResult> {
    const started = performance.now();
    if (!this.#sessionData) return this.#refreshEnded({ authenticated: false, reason: 'no_session_cookie_provided', retryable: false }, started);
    const opened = await this.#open();
    if ('failure' in opened) return this.#refreshEnded({ authenticated: false, reason: 'invalid_session_cookie', retryable: false }, started);
    const { payload, format } = opened;
    const current = this.#sessionOf(payload.accessToken);
    const organizationId = options.organizationId ?? current.organizationId;
    const { config } = this.#context;
    const targetFormat = config.refreshSealFormat === 'preserve' ? format : config.refreshSealFormat;
    const sealOptions = {
      password: config.keyring,
      format: targetFormat,
      ...(targetFormat === format ? { passwordId: resealPasswordId(config.keyring, format, opened.passwordId) } : {}),
    };

    const { events } = this.#context;
    let fresh: { response: AuthenticationResponse; sealedSession: string } | undefined;
    const run = async (): Promise<RefreshOutcome> => {
      events.emit({ type: 'refresh.started', at: config.now(), sessionId: current.sessionId, organizationId });
      try {
        const response = await this.#context.api.authenticateWithRefreshToken({
          refreshToken: payload.refreshToken,
          organizationId,
          ipAddress: options.ipAddress,
          userAgent: options.userAgent,
        });
        const next: SessionPayload = { accessToken: response.accessToken, refreshToken: response.refreshToken, user: response.user };
        if (response.impersonator) next.impersonator = response.impersonator;
        const method = response.authenticationMethod ?? payload.authenticationMethod;
        if (method) next.authenticationMethod = method;
        // Sealed before anything else can fail: the old refresh token is already spent.
        const sealedSession = await sealData(writeSessionPayload(next, targetFormat), sealOptions);
        fresh = { response, sealedSession };
        const { sessionId } = this.#sessionOf(response.accessToken);
        return sessionId === undefined ? { ok: true, sealedSession } : { ok: true, sealedSession, sessionId };
      } catch (error) {
        return refreshFailureFrom(error);
      }
    };
    const outcome = options.coordinator
      ? await options.coordinator.run(payload.refreshToken, run, { sessionId: current.sessionId })
      : { ...(await run()), shared: false };
    const result = outcome.ok ? await this.#refreshed(outcome.sealedSession, fresh?.response, outcome.shared) : toRefreshFailure(outcome);
    return this.#refreshEnded(result, started, current.sessionId, outcome);
  }

  /** `result`, told as a `refresh.succeeded` or `refresh.failed` event. */
  #refreshEnded(result: RefreshResult, started: number, sessionId?: string, outcome?: { shared: boolean; kept?: boolean }): RefreshResult {
    const end = {
      at: this.#context.config.now(),
      sessionId,
      durationMs: performance.now() - started,
      leader: outcome?.shared !== true,
      graceHit: outcome?.kept === true,
    };
    const { events } = this.#context;
    if (result.authenticated) {
      events.emit({ type: 'refresh.succeeded', ...end, sessionId: result.sessionId, organizationId: result.organizationId });
    } else {
      const failure = { type: 'refresh.failed' as const, ...end, reason: result.reason, retryable: result.retryable };
      events.emit(result.detail === undefined ? failure : { ...failure, detail: result.detail });
    }
    return result;
  }

  /**
   * The provider's logout URL for this session. Works with an expired access token: the
   * session id comes from a cookie whose seal and token signature are valid.
   * @throws {SessionError} when the cookie is missing or invalid.
   */
  async getLogoutUrl(options: { returnTo?: string } = {}): Promise<string> {
    return this.#context.api.getLogoutUrl({ sessionId: await this.getSessionId(), returnTo: options.returnTo });
  }

  /**
   * The session id (`sid`) of the cookie, whether or not its access token has expired.
   * @throws {SessionError} when the cookie is missing or invalid.
   */
  async getSessionId(): Promise<string> {
    const opened = await this.#open();
    if ('failure' in opened) {
      const { reason } = opened.failure;
      throw new SessionError(`Cannot read the session: ${opened.failure.detail ?? reason}`, {
        code: reason === 'no_session_cookie_provided' ? reason : 'invalid_session_cookie',
      });
    }
    try {
      const claims = await this.#context.verifier.verify(opened.payload.accessToken, { ignoreExpiry: true });
      return claims.sid;
    } catch (error) {
      if (error instanceof JwksUnavailableError) {
        // The seal is authentic (MAC checked with our key), so its token is ours; logout must
        // not wait for a key server.
        const sid = decodeJwt(opened.payload.accessToken).payload.sid;
        if (typeof sid === 'string' && sid) return sid;
      }
      throw new SessionError('The session cookie holds an invalid access token', { code: 'invalid_jwt', cause: error });
    }
  }

  /** The opened cookie: settled at once on a cache hit, a promise when the seal must be opened. */
  #open(): Opened | OpenFailure | Promise<Opened | OpenFailure> {
    if (this.#opened) return this.#opened;
    // Date.now, not the manager's clock: it is the clock the seal layer judges seals by.
    const hit = this.#sessionData ? this.#cache?.get(this.#sessionData, Date.now()) : undefined;
    this.#opened = hit ?? this.#unseal();
    return this.#opened;
  }

  async #unseal(): Promise<Opened | OpenFailure> {
    const sealed = this.#sessionData;
    if (!sealed) return { failure: fail('no_session_cookie_provided') };
    try {
      const { keyring } = this.#context.config;
      const unsealed = await unsealWithDetails(sealed, { password: keyring });
      // Read after the seal layer read its clock, so a hit is only ever judged at a later time.
      const openedAt = Date.now();
      const payload = readSessionPayload(unsealed.data);
      if (!payload) return { failure: fail('invalid_session_cookie', 'session_bad_payload') };
      const { format, passwordId } = unsealed;
      if (keyring.openOnlyIds.includes(passwordId)) {
        this.#context.events.emit({ type: 'password.open_only_used', at: this.#context.config.now(), passwordId, format });
      }
      const opened: Opened = {
        payload: freezePayload(payload),
        format,
        passwordId,
        sealedWithOldPassword: resealPasswordId(keyring, format, passwordId) !== passwordId,
      };
      if (this.#cache && unsealed.expiresAtMs === undefined) this.#cache.remember(sealed, opened, openedAt);
      return opened;
    } catch (error) {
      return { failure: fail('invalid_session_cookie', error instanceof SealError ? error.code : 'seal_malformed') };
    }
  }

  /**
   * The organization and session of the cookie's token, read without verifying it: the token
   * comes out of a seal made with our key, and it is usually expired when this is asked.
   */
  #sessionOf(accessToken: string): { organizationId?: string; sessionId?: string } {
    let payload: Record<string, unknown>;
    try {
      payload = decodeJwt(accessToken).payload;
    } catch {
      return {};
    }
    const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);
    return { organizationId: text(payload.org_id), sessionId: text(payload.sid) };
  }

  async #refreshed(sealedSession: string, response: AuthenticationResponse | undefined, shared: boolean): Promise<RefreshResult> {
    // The token came from the provider's token endpoint (or a cookie sealed with our key), so no
    // JWKS check here: a key-server hiccup must not strand the user on a spent refresh token.
    const opened = await new Session(this.#context, sealedSession, this.#cache).#open();
    if ('failure' in opened) return { authenticated: false, reason: 'invalid_session_cookie', retryable: false };
    const { payload, format } = opened;
    let claims: AccessTokenClaims;
    try {
      const { config } = this.#context;
      claims = validateClaims(decodeJwt(payload.accessToken).payload, config, config.now() / 1000, { ignoreExpiry: true });
    } catch (error) {
      return { authenticated: false, reason: 'invalid_jwt', retryable: false, detail: error instanceof JwtError ? error.code : 'jwt_malformed' };
    }
    if (claims.sub !== payload.user.id) {
      return { authenticated: false, reason: 'invalid_session_cookie', retryable: false, detail: 'session_user_mismatch' };
    }
    const session: AuthenticationResponse = response ?? {
      user: copyUser(payload.user),
      accessToken: payload.accessToken,
      refreshToken: payload.refreshToken,
      ...(claims.org_id ? { organizationId: claims.org_id } : {}),
      ...(payload.impersonator ? { impersonator: { ...payload.impersonator } } : {}),
      ...(payload.authenticationMethod ? { authenticationMethod: payload.authenticationMethod } : {}),
    };
    return { authenticated: true, ...sessionInfo(payload, claims, format), sealedSession, session, shared };
  }
}
